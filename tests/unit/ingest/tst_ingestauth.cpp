// X-API-KEY checks with cached key digests, and generated correlation ids.

#include "ingest/IngestAuth.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <atomic>

using mutt::ingest::ApiKeyCheck;
using mutt::ingest::correlationIdFor;

class TestIngestAuth : public QObject {
    Q_OBJECT

private slots:
    void cachedDigestsFollowTheVersion();
    void generatedCorrelationIds();
};

void TestIngestAuth::cachedDigestsFollowTheVersion()
{
    QStringList keys {QStringLiteral("key-a")};
    quint64 version = 1;
    int reads = 0;
    const ApiKeyCheck check(
        [&] {
            ++reads;
            return keys;
        },
        [&] { return version; });

    QVERIFY(check.accepts("key-a"));
    QVERIFY(!check.accepts("key-b"));
    QVERIFY(!check.accepts(""));
    QCOMPARE(reads, 1);  // the same version: the digests of the first check

    keys = {QStringLiteral("key-b"), QStringLiteral("key-c")};
    version = 2;
    QVERIFY(!check.accepts("key-a"));
    QVERIFY(check.accepts("key-b"));
    QVERIFY(check.accepts("key-c"));
    QCOMPARE(reads, 2);

    keys = {};
    version = 3;
    QVERIFY(!check.accepts("key-b"));

    // Without a version the keys are read for every check.
    int plainReads = 0;
    const ApiKeyCheck plain([&] {
        ++plainReads;
        return QStringList {QStringLiteral("key-a")};
    });
    QVERIFY(plain.accepts("key-a"));
    QVERIFY(plain.accepts("key-a"));
    QCOMPARE(plainReads, 2);
}

void TestIngestAuth::generatedCorrelationIds()
{
    const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> seen;
    for (int i = 0; i < 10'000; ++i) {
        const QString id = correlationIdFor({});
        QVERIFY2(uuid.match(id).hasMatch(), qPrintable(id));
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 10'000);
    QCOMPARE(correlationIdFor("abc-1.2:3_x"), QStringLiteral("abc-1.2:3_x"));
    QVERIFY(uuid.match(correlationIdFor("bad id")).hasMatch());
}

QTEST_GUILESS_MAIN(TestIngestAuth)
#include "tst_ingestauth.moc"
