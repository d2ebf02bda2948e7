// A fleet on one private redis-server and PostgreSQL database: one ingestor
// (with the api role), two alerters and two forwarders, each its own muttd
// process. One alerter and one forwarder are paused with SIGSTOP while they
// hold claimed items, for longer than their heartbeat TTL, so the janitors
// of the others return those items to the queues and the others process
// them. Then the paused processes resume with the old items still in memory.
// They must not record those items a second time: the conservation counters
// balance and every event counts as forwarded once. Moogsoft may receive an
// alert twice (at-least-once).

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "PgTestServer.h"
#include "RedisServer.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace mutt::itest;

namespace {

constexpr int kEvents = 120;
// Moogsoft responds after this delay, so a forwarder has alerts on the wire
// when it is paused.
constexpr int kMoogDelayMs = 1000;
const QString kAlerterList = QStringLiteral("mutt:processing:alerter:pause-alerter-a");
const QString kForwarderList = QStringLiteral("mutt:processing:moog:pause-forwarder-a");

QByteArray eventJson(int index)
{
    return QStringLiteral(
        R"({"hostname":"pause-host-%1","message":"ERROR pause event %2: interface down","syslog_severity":3})")
        .arg(index % 7)
        .arg(index)
        .toUtf8();
}

}  // namespace

class TestFleetPause final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void resumedWorkersDoNotCountTwice();
    void duplicatePodNameIsReported();

private:
    std::unique_ptr<MuttdProcess> makeProcess(const QString &pod);
    void startRole(MuttdProcess &process, const QString &role, const QString &healthVariable);
    [[nodiscard]] qint64 depth(const QString &list) const;
    bool post(int index);

    QTemporaryDir m_dir;
    std::unique_ptr<mutt::test::RedisServer> m_redis;
    mutt::pgtest::PgTestServer m_pg;
    mutt::sql::PostgresConfig m_database;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_ingestor;
    std::unique_ptr<MuttdProcess> m_alerterA;
    std::unique_ptr<MuttdProcess> m_alerterB;
    std::unique_ptr<MuttdProcess> m_forwarderA;
    std::unique_ptr<MuttdProcess> m_forwarderB;
    QSet<QString> m_acked;
};

void TestFleetPause::initTestCase()
{
    if (!mutt::test::RedisServer::available())
        QSKIP("redis-server or redis-cli is not installed");
    QVERIFY(m_dir.isValid());
    m_redis = std::make_unique<mutt::test::RedisServer>();
    const QString redisError = m_redis->start();
    QVERIFY2(redisError.isEmpty(), qPrintable(redisError));
    const mutt::Status pgStarted = m_pg.start();
    QVERIFY2(pgStarted, qPrintable(pgStarted ? QString() : pgStarted.error().toString()));
    auto database = m_pg.createDatabase();
    QVERIFY2(database, qPrintable(database ? QString() : database.error().toString()));
    m_database = database.value();
    QVERIFY2(m_moog.start(), "mutt-mock-moog did not start");
    QVERIFY(m_moog.setMode(QJsonObject {{QStringLiteral("delay_ms"), kMoogDelayMs}}));

    m_ingestor = makeProcess(QStringLiteral("pause-ingestor"));
    QString output;
    QVERIFY2(m_ingestor->importSeedRules(&output) == 0, qPrintable(output));
    startRole(*m_ingestor, QStringLiteral("ingestor,api"), QStringLiteral("SERVER_PORT_INGESTOR"));

    m_alerterA = makeProcess(QStringLiteral("pause-alerter-a"));
    m_alerterB = makeProcess(QStringLiteral("pause-alerter-b"));
    m_forwarderA = makeProcess(QStringLiteral("pause-forwarder-a"));
    m_forwarderB = makeProcess(QStringLiteral("pause-forwarder-b"));
    startRole(*m_alerterA, QStringLiteral("alerter"), QStringLiteral("HEALTH_PORT_ALERTER"));
    startRole(*m_alerterB, QStringLiteral("alerter"), QStringLiteral("HEALTH_PORT_ALERTER"));
    startRole(*m_forwarderA, QStringLiteral("forwarder"), QStringLiteral("HEALTH_PORT_MOOG"));
    startRole(*m_forwarderB, QStringLiteral("forwarder"), QStringLiteral("HEALTH_PORT_MOOG"));
}

void TestFleetPause::cleanupTestCase()
{
    for (auto *process : {&m_alerterA, &m_forwarderA}) {
        if (*process && (*process)->processId() > 0)
            ::kill(pid_t((*process)->processId()), SIGCONT);
    }
    for (auto *process : {&m_forwarderA, &m_forwarderB, &m_alerterA, &m_alerterB, &m_ingestor}) {
        if (*process)
            (*process)->terminate();
    }
    m_moog.stop();
}

std::unique_ptr<MuttdProcess> TestFleetPause::makeProcess(const QString &pod)
{
    MuttdBackends backends;
    backends.redisHost = m_redis->host();
    backends.redisPort = m_redis->port();
    backends.dbHost = m_database.host;
    backends.dbPort = m_database.port;
    backends.dbName = m_database.database;
    backends.dbUser = m_pg.user();
    backends.dbPassword = m_pg.password();

    auto process = std::make_unique<MuttdProcess>(m_dir.filePath(pod), backends);
    process->setEnv(QStringLiteral("POD_NAME"), pod);
    process->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    process->setEnv(QStringLiteral("MOOG_RATE_LIMIT"), QStringLiteral("1000"));
    process->setEnv(QStringLiteral("INGEST_MAX_RATE"), QStringLiteral("100000"));
    // Short heartbeat TTLs, so a pause of a few seconds outlives them.
    process->setEnv(QStringLiteral("ALERTER_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    process->setEnv(QStringLiteral("ALERTER_JANITOR_TIMEOUT"), QStringLiteral("3"));
    process->setEnv(QStringLiteral("MOOG_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    process->setEnv(QStringLiteral("MOOG_JANITOR_TIMEOUT"), QStringLiteral("3"));
    process->setEnv(QStringLiteral("JANITOR_INTERVAL"), QStringLiteral("1"));
    return process;
}

void TestFleetPause::startRole(MuttdProcess &process, const QString &role, const QString &healthVariable)
{
    QVERIFY(process.start(role));
    QVERIFY2(process.waitHealthyOn(healthVariable), process.output().constData());
}

qint64 TestFleetPause::depth(const QString &list) const
{
    return m_redis->cli({QStringLiteral("LLEN"), list}).toLongLong();
}

bool TestFleetPause::post(int index)
{
    const QString id = QStringLiteral("pause-%1").arg(index);
    const HttpReply reply
        = m_ingestor->postEvents(eventJson(index), "application/json", {{QByteArray("X-Correlation-ID"), id.toUtf8()}});
    if (reply.status == 200)
        m_acked.insert(id);
    return reply.status == 200;
}

void TestFleetPause::resumedWorkersDoNotCountTwice()
{
    const pid_t alerter = pid_t(m_alerterA->processId());
    const pid_t forwarder = pid_t(m_forwarderA->processId());
    QVERIFY(alerter > 0 && forwarder > 0);

    // The alerter is paused first, with its blocking claim pending, so Redis
    // serves that claim into its list while it is paused. The forwarder is
    // paused once it has alerts that Moogsoft has not responded to yet.
    QCOMPARE(::kill(alerter, SIGSTOP), 0);
    int index = 0;
    bool forwarderPaused = false;
    for (; index < kEvents; ++index) {
        QVERIFY(post(index));
        if (!forwarderPaused && depth(kForwarderList) > 0) {
            QCOMPARE(::kill(forwarder, SIGSTOP), 0);
            forwarderPaused = true;
        }
        if (forwarderPaused && depth(kAlerterList) > 0 && index >= kEvents / 2)
            break;
        QTest::qWait(10);
    }
    QVERIFY2(forwarderPaused, "the forwarder never held an alert");
    const qint64 alerterHeld = depth(kAlerterList);
    const qint64 forwarderHeld = depth(kForwarderList);
    qInfo("items held by the paused pods: alerter=%lld forwarder=%lld", alerterHeld, forwarderHeld);
    QVERIFY(alerterHeld > 0);
    QVERIFY(forwarderHeld > 0);

    // The other pods' janitors take the paused pods' items back.
    QTRY_COMPARE_WITH_TIMEOUT(depth(kAlerterList), 0, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(depth(kForwarderList), 0, 30'000);
    QCOMPARE(::kill(alerter, SIGCONT), 0);
    QCOMPARE(::kill(forwarder, SIGCONT), 0);

    // The resumed pods write their heartbeats again and take new work.
    auto alive = [this](const QString &key) { return m_redis->cli({QStringLiteral("EXISTS"), key}).trimmed() == u"1"; };
    QTRY_VERIFY_WITH_TIMEOUT(alive(QStringLiteral("mutt:heartbeat:alerter:pause-alerter-a")), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(alive(QStringLiteral("mutt:heartbeat:moog:pause-forwarder-a")), 15'000);
    for (++index; index < kEvents; ++index) {
        QVERIFY(post(index));
        QTest::qWait(10);
    }
    QCOMPARE(m_acked.size(), kEvents);

    auto settled = [this]() {
        const QJsonObject c = m_ingestor->status().value(QStringLiteral("conservation")).toObject();
        return !c.isEmpty() && c.value(QStringLiteral("in_flight")).toDouble() == 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 45'000);

    QSet<QString> received;
    const QJsonArray requests = m_moog.requests();
    for (const QJsonValue &value : requests)
        received.insert(
            value.toObject().value(QStringLiteral("body")).toObject().value(QStringLiteral("external_id")).toString());
    QSet<QString> missing = m_acked;
    missing.subtract(received);
    QVERIFY2(missing.isEmpty(),
        qPrintable(QStringLiteral("%1 acknowledged events never reached Moogsoft").arg(missing.size())));

    const QJsonObject c = m_ingestor->status().value(QStringLiteral("conservation")).toObject();
    qInfo("Moogsoft received %lld requests for %d events", qint64(requests.size()), kEvents);
    QCOMPARE(qint64(c.value(QStringLiteral("accepted")).toDouble()), qint64(kEvents));
    QCOMPARE(qint64(c.value(QStringLiteral("forwarded")).toDouble()), qint64(kEvents));
    QCOMPARE(qint64(c.value(QStringLiteral("difference")).toDouble()), 0);
}

// A second alerter and forwarder started by mistake with the pod names of
// running ones: each pair shares one processing list, and both processes log
// an error.
void TestFleetPause::duplicatePodNameIsReported()
{
    auto alerter = makeProcess(QStringLiteral("pause-alerter-b"));
    auto forwarder = makeProcess(QStringLiteral("pause-forwarder-b"));
    startRole(*alerter, QStringLiteral("alerter"), QStringLiteral("HEALTH_PORT_ALERTER"));
    startRole(*forwarder, QStringLiteral("forwarder"), QStringLiteral("HEALTH_PORT_MOOG"));

    const QByteArray alerterError = "another process writes heartbeat key=mutt:heartbeat:alerter:pause-alerter-b";
    const QByteArray forwarderError = "another process writes heartbeat key=mutt:heartbeat:moog:pause-forwarder-b";
    QTRY_VERIFY_WITH_TIMEOUT(alerter->output().contains(alerterError), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(m_alerterB->output().contains(alerterError), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(forwarder->output().contains(forwarderError), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(m_forwarderB->output().contains(forwarderError), 15'000);
    QVERIFY(!m_alerterA->output().contains("another process writes heartbeat"));
    QVERIFY(!m_forwarderA->output().contains("another process writes heartbeat"));
    alerter->terminate();
    forwarder->terminate();
}

QTEST_GUILESS_MAIN(TestFleetPause)
#include "tst_fleetpause.moc"
