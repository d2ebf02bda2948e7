// A fleet on one private redis-server and PostgreSQL database: one ingestor
// (with the api role), two alerters and two forwarders, each its own muttd
// process with its own POD_NAME and ports, delivering to the mock Moogsoft
// receiver. Under sustained ingest one alerter and one forwarder are killed
// with SIGKILL. The alerter hangs first (SIGSTOP), so Redis keeps serving
// its pending blocking claim into its processing list. Then the survivors'
// janitors recover the dead pods' processing lists, every acknowledged event
// reaches Moogsoft (all of them match a forwarding seed rule), the
// conservation counters balance, and the fleet-wide Moogsoft rate limit
// holds across both forwarders.

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "PgTestServer.h"
#include "RedisServer.h"

#include <QJsonArray>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace mutt::itest;

namespace {

constexpr int kEvents = 300;
constexpr int kStopAfterAcks = 100;
constexpr int kKillAfterAcks = 130;
// Moogsoft responds after this delay, so each forwarder always has alerts on
// the wire (in its processing list) when it is killed.
constexpr int kMoogDelayMs = 1000;
constexpr int kMoogRateLimit = 20;  // alerts per MOOG_RATE_PERIOD (1 s), for the whole fleet
// Arrival at the mock trails the rate-limit grant by the HTTP send time,
// which varies from send to send. So grants made within that spread before a
// second boundary can arrive after it. The spread is a few ms on loopback; on
// two loaded cores we estimate up to about 100 ms, which at 20/s is 2
// alerts. One more covers the receiver's millisecond timestamps.
constexpr int kWindowEdgeTolerance = 3;

QByteArray eventJson(int index)
{
    return QStringLiteral(
        R"({"hostname":"fleet-host-%1","message":"ERROR fleet event %2: interface down","syslog_severity":3})")
        .arg(index % 17)
        .arg(index)
        .toUtf8();
}

}  // namespace

class TestFleet final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedWorkersLoseNothing();
    void rateLimitHoldsAcrossForwarders();

private:
    std::unique_ptr<MuttdProcess> makeProcess(const QString &pod);
    void startRole(MuttdProcess &process, const QString &role, const QString &healthVariable);
    [[nodiscard]] qint64 processingDepth(const QString &prefix, const QString &pod) const;

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
};

void TestFleet::initTestCase()
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

    m_ingestor = makeProcess(QStringLiteral("fleet-ingestor"));
    QString output;
    QVERIFY2(m_ingestor->importSeedRules(&output) == 0, qPrintable(output));
    startRole(*m_ingestor, QStringLiteral("ingestor,api"), QStringLiteral("SERVER_PORT_INGESTOR"));

    m_alerterA = makeProcess(QStringLiteral("fleet-alerter-a"));
    m_alerterB = makeProcess(QStringLiteral("fleet-alerter-b"));
    m_forwarderA = makeProcess(QStringLiteral("fleet-forwarder-a"));
    m_forwarderB = makeProcess(QStringLiteral("fleet-forwarder-b"));
    startRole(*m_alerterA, QStringLiteral("alerter"), QStringLiteral("HEALTH_PORT_ALERTER"));
    startRole(*m_alerterB, QStringLiteral("alerter"), QStringLiteral("HEALTH_PORT_ALERTER"));
    startRole(*m_forwarderA, QStringLiteral("forwarder"), QStringLiteral("HEALTH_PORT_MOOG"));
    startRole(*m_forwarderB, QStringLiteral("forwarder"), QStringLiteral("HEALTH_PORT_MOOG"));
}

void TestFleet::cleanupTestCase()
{
    for (auto *process : {&m_forwarderA, &m_forwarderB, &m_alerterA, &m_alerterB, &m_ingestor}) {
        if (*process)
            (*process)->terminate();
    }
    m_moog.stop();
}

std::unique_ptr<MuttdProcess> TestFleet::makeProcess(const QString &pod)
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
    process->setEnv(QStringLiteral("MOOG_RATE_LIMIT"), QString::number(kMoogRateLimit));
    process->setEnv(QStringLiteral("MOOG_RATE_PERIOD"), QStringLiteral("1"));
    process->setEnv(QStringLiteral("INGEST_MAX_RATE"), QStringLiteral("100000"));
    // Short heartbeat TTLs, so the survivors' janitors find the killed pods
    // within seconds.
    process->setEnv(QStringLiteral("ALERTER_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    process->setEnv(QStringLiteral("ALERTER_JANITOR_TIMEOUT"), QStringLiteral("3"));
    process->setEnv(QStringLiteral("MOOG_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    process->setEnv(QStringLiteral("MOOG_JANITOR_TIMEOUT"), QStringLiteral("3"));
    process->setEnv(QStringLiteral("JANITOR_INTERVAL"), QStringLiteral("2"));
    return process;
}

void TestFleet::startRole(MuttdProcess &process, const QString &role, const QString &healthVariable)
{
    QVERIFY(process.start(role));
    QVERIFY2(process.waitHealthyOn(healthVariable), process.output().constData());
}

qint64 TestFleet::processingDepth(const QString &prefix, const QString &pod) const
{
    return m_redis->cli({QStringLiteral("LLEN"), prefix + pod}).toLongLong();
}

void TestFleet::killedWorkersLoseNothing()
{
    QSet<QString> acked;
    qint64 deadAlerterDepth = -1;
    qint64 deadForwarderDepth = -1;
    for (int index = 0; index < kEvents; ++index) {
        const QString id = QStringLiteral("fleet-%1").arg(index);
        const HttpReply reply = m_ingestor->postEvents(
            eventJson(index), "application/json", {{QByteArray("X-Correlation-ID"), id.toUtf8()}});
        if (reply.status == 200)
            acked.insert(id);
        if (acked.size() == kStopAfterAcks) {
            const qint64 pid = m_alerterA->processId();
            QVERIFY(pid > 0);
            QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        }
        if (acked.size() == kKillAfterAcks && deadAlerterDepth < 0) {
            m_alerterA->kill();
            m_forwarderA->kill();
            deadAlerterDepth
                = processingDepth(QStringLiteral("mutt:processing:alerter:"), QStringLiteral("fleet-alerter-a"));
            deadForwarderDepth
                = processingDepth(QStringLiteral("mutt:processing:moog:"), QStringLiteral("fleet-forwarder-a"));
        }
        QTest::qWait(10);
    }
    QCOMPARE(acked.size(), kEvents);
    QVERIFY(!m_alerterA->running());
    QVERIFY(!m_forwarderA->running());
    qInfo("items held by the killed pods: alerter=%lld forwarder=%lld", deadAlerterDepth, deadForwarderDepth);
    QVERIFY(deadAlerterDepth > 0);
    QVERIFY(deadForwarderDepth > 0);

    // The survivors' janitors empty the dead pods' processing lists.
    QTRY_COMPARE_WITH_TIMEOUT(
        processingDepth(QStringLiteral("mutt:processing:alerter:"), QStringLiteral("fleet-alerter-a")), 0, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(
        processingDepth(QStringLiteral("mutt:processing:moog:"), QStringLiteral("fleet-forwarder-a")), 0, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(m_alerterB->output().contains("janitor recovered items of stopped alerters"), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(m_forwarderB->output().contains("janitor recovered alerts of stopped forwarders"), 10'000);

    // At 20 alerts/s the backlog drains in about kEvents / 20 s.
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
    QSet<QString> missing = acked;
    missing.subtract(received);
    QVERIFY2(missing.isEmpty(),
        qPrintable(QStringLiteral("%1 acknowledged events never reached Moogsoft, e.g. %2")
                       .arg(missing.size())
                       .arg(missing.isEmpty() ? QString() : *missing.begin())));

    const QJsonObject c = m_ingestor->status().value(QStringLiteral("conservation")).toObject();
    QCOMPARE(qint64(c.value(QStringLiteral("accepted")).toDouble()), qint64(kEvents));
    QCOMPARE(qint64(c.value(QStringLiteral("forwarded")).toDouble()), qint64(kEvents));
    QCOMPARE(qint64(c.value(QStringLiteral("in_dlq")).toDouble()), 0);
    QCOMPARE(qint64(c.value(QStringLiteral("difference")).toDouble()), 0);
}

void TestFleet::rateLimitHoldsAcrossForwarders()
{
    QMap<qint64, int> perSecond;
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = 0;
    const QJsonArray requests = m_moog.requests();
    for (const QJsonValue &value : requests) {
        const qint64 at = qint64(value.toObject().value(QStringLiteral("received_at_ms")).toDouble());
        ++perSecond[at / 1000];
        first = std::min(first, at);
        last = std::max(last, at);
    }
    QVERIFY(requests.size() >= kEvents);

    for (auto it = perSecond.cbegin(); it != perSecond.cend(); ++it) {
        QVERIFY2(it.value() <= kMoogRateLimit + kWindowEdgeTolerance,
            qPrintable(QStringLiteral("%1 alerts arrived in second %2; the fleet limit is %3/s")
                           .arg(it.value())
                           .arg(it.key())
                           .arg(kMoogRateLimit)));
    }
    // Over the whole run: n windows of 1 s hold at most n * limit grants.
    // The arrival span may be shorter than the grant span by the send-time
    // spread at either end, hence one window more.
    const qint64 windows = (last - first) / 1000 + 2;
    QVERIFY2(requests.size() <= windows * kMoogRateLimit,
        qPrintable(QStringLiteral("%1 alerts in %2 s").arg(requests.size()).arg(windows)));
}

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
