// Redis stopped and killed under sustained ingest, muttd on its own Redis
// (AOF, appendfsync always) and PostgreSQL. While Redis is down the
// ingestor refuses with 503 and /health names Redis; muttd keeps running;
// after the restart on the same port and directory every event that was
// answered 200 is accounted for and /health is healthy again.

#include "OutageBed.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace mutt::itest;

class TestRedisRestart final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void redisRestart_data();
    void redisRestart();
    void cleanupTestCase();

private:
    std::unique_ptr<OutageBed> m_bed;
};

void TestRedisRestart::initTestCase()
{
    m_bed = std::make_unique<OutageBed>();
    const QString servers = m_bed->startServers();
    if (servers.contains(QStringLiteral("not installed")))
        QSKIP(qPrintable(servers));
    QVERIFY2(servers.isEmpty(), qPrintable(servers));
    const QString muttd = m_bed->startMuttd();
    QVERIFY2(muttd.isEmpty(), qPrintable(muttd));
}

void TestRedisRestart::cleanupTestCase()
{
    m_bed.reset();
}

void TestRedisRestart::redisRestart_data()
{
    QTest::addColumn<bool>("killed");
    QTest::newRow("sigterm") << false;
    QTest::newRow("sigkill") << true;
}

void TestRedisRestart::redisRestart()
{
    QFETCH(bool, killed);
    const QString tag = killed ? QStringLiteral("kill") : QStringLiteral("term");

    m_bed->clearStatuses();
    m_bed->startLoad(tag, 20);
    QTRY_VERIFY_WITH_TIMEOUT(m_bed->statuses().value(200) >= 5, 20'000);

    QElapsedTimer outageTimer;
    outageTimer.start();
    const qsizetype logBefore = m_bed->muttd().output().count("answered 503, the sender retries");
    QVERIFY(killed ? m_bed->redis().kill() : m_bed->redis().stop());
    // A post answered while Redis was stopping may still arrive: count from
    // the first refusal on.
    QTRY_VERIFY_WITH_TIMEOUT(m_bed->statuses().value(503) >= 1, 20'000);
    m_bed->clearStatuses();
    // The outage lasts a few seconds of refused posts.
    const QDeadlineTimer outage(3'000);
    while (!outage.hasExpired())
        QTest::qWait(100);
    QVERIFY(m_bed->statuses().value(503) >= 3);
    // Nothing can be acknowledged while Redis is down.
    QCOMPARE(m_bed->statuses().value(200), 0);

    const HttpReply down = m_bed->health();
    QCOMPARE(down.status, 503);
    const QString errors = down.json().value(QStringLiteral("errors")).toVariant().toStringList().join(u'\n');
    QVERIFY2(errors.contains(QStringLiteral("redis: unavailable since")), qPrintable(errors));
    QVERIFY(m_bed->muttd().running());

    const QString restarted = m_bed->redis().start();
    QVERIFY2(restarted.isEmpty(), qPrintable(restarted));
    QTRY_COMPARE_WITH_TIMEOUT(m_bed->health().status, 200, 30'000);
    // Batches refused during the outage are logged as errors at most once
    // per 10 s (with the count of the others), not once per request.
    const qsizetype rejectedBatchLines = m_bed->muttd().output().count("answered 503, the sender retries") - logBefore;
    QVERIFY2(rejectedBatchLines <= 2 + outageTimer.elapsed() / 10'000,
        qPrintable(QStringLiteral("%1 error lines for refused batches in %2 ms")
                       .arg(rejectedBatchLines)
                       .arg(outageTimer.elapsed())));
    m_bed->clearStatuses();
    QTRY_VERIFY_WITH_TIMEOUT(m_bed->statuses().value(200) >= 5, 20'000);
    m_bed->stopLoad();

    QTRY_VERIFY2_WITH_TIMEOUT(m_bed->accountingProblem().isEmpty(), qPrintable(m_bed->accountingProblem()), 45'000);
    QVERIFY(m_bed->muttd().running());
}

QTEST_GUILESS_MAIN(TestRedisRestart)
#include "tst_redisrestart.moc"
