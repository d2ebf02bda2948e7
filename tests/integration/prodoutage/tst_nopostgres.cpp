// muttd on a private Redis while no PostgreSQL listens at DB_HOST:DB_PORT.
// The ingestor, forwarder and remediation do not use the SQL store, so they
// start and ingest keeps queueing events, as the runbook expects during a
// database outage. The alerter needs the database and refuses to start with
// a message that names it.

#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"
#include "RedisServer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

QByteArray events(int count)
{
    QByteArray ndjson;
    for (int i = 0; i < count; ++i) {
        ndjson += QStringLiteral(R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"nodb-%1","message":"ERROR %1"})")
                      .arg(i)
                      .toUtf8();
        ndjson += '\n';
    }
    return ndjson;
}

}  // namespace

class TestNoPostgres final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void ingestWithoutDatabase();
    void alerterNamesTheDatabase();

private:
    [[nodiscard]] MuttdBackends backends() const;

    QTemporaryDir m_dir;
    std::unique_ptr<mutt::test::RedisServer> m_redis;
    MockMoogProcess m_moog;
    quint16 m_closedDbPort = 0;
};

void TestNoPostgres::initTestCase()
{
    if (!mutt::test::RedisServer::available())
        QSKIP("redis-server not installed");
    QVERIFY(m_dir.isValid());
    m_redis = std::make_unique<mutt::test::RedisServer>();
    const QString started = m_redis->start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QVERIFY2(m_moog.start(), "mutt-mock-moog did not start");
    // A free port that nothing listens on: connecting is refused at once.
    m_closedDbPort = freePort();
}

void TestNoPostgres::cleanupTestCase()
{
    m_moog.stop();
    if (m_redis)
        m_redis->stop();
}

MuttdBackends TestNoPostgres::backends() const
{
    MuttdBackends out;
    out.redisHost = m_redis->host();
    out.redisPort = m_redis->port();
    out.dbPort = m_closedDbPort;
    out.dbName = QStringLiteral("mutt_db");
    out.dbUser = QStringLiteral("mutt");
    out.dbPassword = QStringLiteral("unused-password");
    return out;
}

void TestNoPostgres::ingestWithoutDatabase()
{
    MuttdProcess muttd(m_dir.filePath(QStringLiteral("ingest")), backends());
    muttd.setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    QVERIFY(muttd.start(QStringLiteral("ingestor,forwarder,remediation")));
    QVERIFY2(muttd.waitHealthy(), muttd.output().constData());
    QVERIFY2(muttd.waitHealthyOn(QStringLiteral("HEALTH_PORT_MOOG")), muttd.output().constData());
    QVERIFY2(muttd.waitHealthyOn(QStringLiteral("HEALTH_PORT_REMEDIATION")), muttd.output().constData());

    const HttpReply reply = muttd.postEvents(events(5), "application/x-ndjson");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("accepted")).toInt(), 5);
    // Nothing runs the alerter, so the events wait in the ingest queue.
    QCOMPARE(m_redis->cli({QStringLiteral("LLEN"), QStringLiteral("mutt:ingest_queue")}), QStringLiteral("5"));

    const QByteArray output = muttd.output();
    QVERIFY2(output.contains("SQL store not opened: none of the roles ingestor,forwarder,remediation uses it"),
        output.constData());
    QVERIFY2(!output.contains("cannot connect to PostgreSQL"), output.constData());
    QVERIFY2(!output.contains("is not accepting connections"), output.constData());
    QCOMPARE(muttd.terminate(), 0);
}

void TestNoPostgres::alerterNamesTheDatabase()
{
    MuttdProcess muttd(m_dir.filePath(QStringLiteral("alerter")), backends());
    QVERIFY(muttd.start(QStringLiteral("alerter")));
    QTRY_VERIFY_WITH_TIMEOUT(!muttd.running(), 60'000);
    QCOMPARE(muttd.terminate(), 1);
    const QByteArray output = muttd.output();
    const QByteArray expected = QByteArray("cannot open the SQL store 127.0.0.1:") + QByteArray::number(m_closedDbPort);
    QVERIFY2(output.contains(expected), output.constData());
    // Nothing listens on the port, so the log states that instead of pointing at the passwords.
    QVERIFY2(output.contains("is not accepting connections (Connection refused)"), output.constData());
    QVERIFY2(!output.contains("DB_PASS_CURRENT"), output.constData());
}

QTEST_GUILESS_MAIN(TestNoPostgres)
#include "tst_nopostgres.moc"
