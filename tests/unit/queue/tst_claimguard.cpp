// ClaimGuard: when a worker's heartbeat may have lapsed since a claim, and
// which claimed items are still in its processing list. The times are
// chosen by the test, so nothing here depends on how fast it runs.

#include "queue/ClaimGuard.h"
#include "queue/EmbeddedStore.h"

#include <QTemporaryDir>
#include <QtTest>

using mutt::queue::ClaimGuard;
using mutt::queue::EmbeddedStore;
using mutt::queue::Op;
using namespace std::chrono_literals;

class TestClaimGuard final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void unknownBeforeTheFirstWrite();
    void regularHeartbeatsKeepTheClaim();
    void aGapOfOneTtlMayLoseTheClaim();
    void aLateWriteDoesNotHideTheGap();
    void laterClaimsAreSafeAgain();
    void matchCountsEachOccurrence();
    void stillClaimedReadsTheList();
    void stillClaimedSkipsTheReadWhileSafe();
    void firstWriteIgnoresOldValue();
    void foreignWriteIsDetected();
    void ownOlderValueIsNotForeign();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EmbeddedStore> m_store;
    std::unique_ptr<ClaimGuard> m_guard;
    const QString m_list = QStringLiteral("mutt:processing:alerter:pod-a");
    const QString m_heartbeat = QStringLiteral("mutt:heartbeat:alerter:pod-a");
    const ClaimGuard::Clock::time_point m_t0 = ClaimGuard::Clock::now();
};

void TestClaimGuard::init()
{
    QVERIFY(m_dir.isValid());
    auto opened = EmbeddedStore::open(
        m_dir.filePath(QStringLiteral("queue-%1.db").arg(QLatin1StringView(QTest::currentTestFunction()))));
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    m_store = std::move(opened).value();
    m_guard = std::make_unique<ClaimGuard>(*m_store, m_list, m_heartbeat, 3);
}

void TestClaimGuard::cleanup()
{
    m_guard.reset();
    m_store.reset();
}

void TestClaimGuard::unknownBeforeTheFirstWrite()
{
    QVERIFY(m_guard->mayHaveLost(m_guard->mark(), m_t0));
}

void TestClaimGuard::regularHeartbeatsKeepTheClaim()
{
    m_guard->recordWrite(m_t0, m_t0 + 10ms);
    const ClaimGuard::Mark mark = m_guard->mark();
    for (int second = 1; second <= 10; ++second)
        m_guard->recordWrite(m_t0 + std::chrono::seconds(second), m_t0 + std::chrono::seconds(second) + 10ms);
    QVERIFY(!m_guard->mayHaveLost(mark, m_t0 + 10s + 500ms));
}

// A process stopped between two writes: the next write finds the previous
// one a TTL or more in the past.
void TestClaimGuard::aGapOfOneTtlMayLoseTheClaim()
{
    m_guard->recordWrite(m_t0, m_t0 + 10ms);
    const ClaimGuard::Mark mark = m_guard->mark();
    // Not written again yet: the check itself finds that the TTL has run out.
    QVERIFY(m_guard->mayHaveLost(mark, m_t0 + 3s));
    QVERIFY(!m_guard->mayHaveLost(mark, m_t0 + 2s));
    // Written again after the gap: the write records the lapse.
    m_guard->recordWrite(m_t0 + 8s, m_t0 + 8s + 10ms);
    QVERIFY(m_guard->mayHaveLost(mark, m_t0 + 8s + 20ms));
}

// The write started in time but was acknowledged only after the previous
// key could have expired (the process stopped with the write in flight).
void TestClaimGuard::aLateWriteDoesNotHideTheGap()
{
    m_guard->recordWrite(m_t0, m_t0 + 10ms);
    const ClaimGuard::Mark mark = m_guard->mark();
    m_guard->recordWrite(m_t0 + 1s, m_t0 + 9s);
    QVERIFY(m_guard->mayHaveLost(mark, m_t0 + 9s));
}

void TestClaimGuard::laterClaimsAreSafeAgain()
{
    m_guard->recordWrite(m_t0, m_t0 + 10ms);
    m_guard->recordWrite(m_t0 + 8s, m_t0 + 8s + 10ms);
    const ClaimGuard::Mark mark = m_guard->mark();
    QVERIFY(!m_guard->mayHaveLost(mark, m_t0 + 9s));
}

void TestClaimGuard::matchCountsEachOccurrence()
{
    const QList<QByteArray> items {"a", "b", "a", "c"};
    const QList<QByteArray> listed {"c", "a", "x"};
    const std::vector<bool> expected {true, false, false, true};
    QCOMPARE(ClaimGuard::matchListed(items, listed), expected);
}

void TestClaimGuard::stillClaimedReadsTheList()
{
    QVERIFY(m_store->apply({Op::pushHead(m_list, {"kept-1", "kept-2"})}).ok());
    const ClaimGuard::Mark mark = m_guard->mark();  // before any heartbeat: unknown
    const auto claimed = m_guard->stillClaimed(mark, {"kept-1", "taken", "kept-2"});
    QVERIFY(claimed.ok());
    const std::vector<bool> expected {true, false, true};
    QCOMPARE(claimed.value(), expected);
    // The heartbeat was written before the list was read.
    const auto heartbeat = m_store->value(m_heartbeat);
    QVERIFY(heartbeat.ok());
    QVERIFY(heartbeat.value().has_value());
}

void TestClaimGuard::stillClaimedSkipsTheReadWhileSafe()
{
    // A TTL of an hour, so the heartbeat cannot lapse while the test runs.
    ClaimGuard guard(*m_store, m_list, m_heartbeat, 3600);
    QVERIFY(guard.writeHeartbeat().ok());
    const ClaimGuard::Mark mark = guard.mark();
    // The list is empty, yet the items count as claimed: no gap since the mark.
    const auto claimed = guard.stillClaimed(mark, {"a"});
    QVERIFY(claimed.ok());
    QCOMPARE(claimed.value(), std::vector<bool> {true});
}

// A value left by a stopped process with this pod name is no conflict.
void TestClaimGuard::firstWriteIgnoresOldValue()
{
    QVERIFY(m_store->setValue(m_heartbeat, "1700000000000", 30).ok());
    bool foreign = false;
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(!foreign);
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(!foreign);
}

// Another process with the same pod name wrote between two writes.
void TestClaimGuard::foreignWriteIsDetected()
{
    bool foreign = false;
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(m_store->setValue(m_heartbeat, "1700000000000", 30).ok());
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(foreign);
    // No other process wrote since.
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(!foreign);
}

// A store that lost the latest write returns an older value of this guard.
void TestClaimGuard::ownOlderValueIsNotForeign()
{
    QVERIFY(m_guard->writeHeartbeat().ok());
    const auto older = m_store->value(m_heartbeat);
    QVERIFY(older.ok());
    QVERIFY(older.value().has_value());
    QTest::qWait(2);  // the next value is a later millisecond
    QVERIFY(m_guard->writeHeartbeat().ok());
    QVERIFY(m_store->setValue(m_heartbeat, *older.value(), 30).ok());
    bool foreign = true;
    QVERIFY(m_guard->writeHeartbeat(&foreign).ok());
    QVERIFY(!foreign);
}

QTEST_GUILESS_MAIN(TestClaimGuard)
#include "tst_claimguard.moc"
