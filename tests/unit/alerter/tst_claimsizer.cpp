#include "alerter/ClaimSizer.h"

#include <QTest>

using mutt::alerter::ClaimSizer;

class TestClaimSizer final : public QObject {
    Q_OBJECT

private slots:
    void startsAtBatchSize();
    void growsWhileClaimsFill();
    void shrinksAfterPartialClaim();
    void boundedByAlertRoom();
    void limitForLargeBatchSizes();
};

void TestClaimSizer::startsAtBatchSize()
{
    const ClaimSizer sizer(100);
    QCOMPARE(sizer.next(1'000'000), 100);
    QCOMPARE(ClaimSizer(0).next(1'000'000), 1);
}

void TestClaimSizer::growsWhileClaimsFill()
{
    ClaimSizer sizer(100);
    QCOMPARE(sizer.limit(), 800);
    QList<int> sizes;
    for (int i = 0; i < 6; ++i) {
        const int size = sizer.next(1'000'000);
        sizes.append(size);
        sizer.claimed(size, size);
    }
    QCOMPARE(sizes, QList<int>({100, 200, 400, 800, 800, 800}));
}

void TestClaimSizer::shrinksAfterPartialClaim()
{
    ClaimSizer sizer(100);
    sizer.claimed(100, 100);
    sizer.claimed(200, 200);
    QCOMPARE(sizer.next(1'000'000), 400);
    sizer.claimed(399, 400);
    QCOMPARE(sizer.next(1'000'000), 100);
    sizer.claimed(0, 100);
    QCOMPARE(sizer.next(1'000'000), 100);
}

void TestClaimSizer::boundedByAlertRoom()
{
    ClaimSizer sizer(100);
    for (int i = 0; i < 5; ++i)
        sizer.claimed(sizer.next(1'000'000), sizer.next(1'000'000));
    QCOMPARE(sizer.next(1'000'000), 800);
    QCOMPARE(sizer.next(250), 250);
    // Never below the batch size, also when the alert queue is past the
    // threshold (the lane defers or sheds before it claims then).
    QCOMPARE(sizer.next(50), 100);
    QCOMPARE(sizer.next(-500), 100);
    // A claim bounded by the room that came back full grows from the larger size.
    sizer.claimed(250, 250);
    QCOMPARE(sizer.next(1'000'000), 800);
}

void TestClaimSizer::limitForLargeBatchSizes()
{
    QCOMPARE(ClaimSizer(2'000).limit(), ClaimSizer::kMaxClaim);
    QCOMPARE(ClaimSizer(10'000).limit(), 10'000);
    QCOMPARE(ClaimSizer(1).limit(), 8);
}

QTEST_GUILESS_MAIN(TestClaimSizer)
#include "tst_claimsizer.moc"
