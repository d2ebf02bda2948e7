// Interoperability with MUTT v2.5 and the incident runbook, on the
// production backends: muttd on a private redis-server and PostgreSQL
// database. A v2.5 ingestor's queue item (pushed with redis-cli) is
// processed and forwarded. The alert items on mutt:alert_queue carry the
// v2.5 alert fields. The runbook's read-only commands (redis-cli LLEN, curl
// /health and /metrics, Prometheus queries) run as the runbook writes them,
// with only the ports changed, and return what the runbook expects.

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "PgTestServer.h"
#include "ProcessTools.h"
#include "RedisServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

const QString kCorePod = QStringLiteral("interop-core");
const QString kForwarderPod = QStringLiteral("interop-forwarder");

// A queue item as the v2.5 ingestor LPUSHes it: the client's event plus
// `_correlation_id`, nothing else.
QByteArray v25Event(const QString &correlationId)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("timestamp"), QStringLiteral("2025-01-15T14:30:22Z")},
            {QStringLiteral("hostname"), QStringLiteral("interop-host-1")},
            {QStringLiteral("message"), QStringLiteral("ERROR interop event: interface down")},
            {QStringLiteral("syslog_severity"), 3}, {QStringLiteral("_correlation_id"), correlationId}})
        .toJson(QJsonDocument::Compact);
}

QSet<QString> receivedIds(const MockMoogProcess &moog)
{
    QSet<QString> ids;
    const QJsonArray requests = moog.requests();
    for (const QJsonValue &value : requests)
        ids.insert(
            value.toObject().value(QStringLiteral("body")).toObject().value(QStringLiteral("external_id")).toString());
    return ids;
}

// The sum of the samples of `metric` in Prometheus text lines.
double sumSamples(const QString &lines, const QString &metric)
{
    double sum = 0;
    for (const QString &line : lines.split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith(metric))
            continue;
        sum += line.section(u' ', -1).toDouble();
    }
    return sum;
}

}  // namespace

class TestInterop final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void v25ItemIsForwarded();
    void runbookQueueDepths_data();
    void runbookQueueDepths();
    void runbookDlqDepth();
    void runbookProcessingList();
    void runbookHealth();
    void runbookAlerterMetrics();
    void runbookCircuitMetrics();
    void prometheusQueries();

private:
    // Runs `command` with bash. The ports are in REDIS_PORT,
    // SERVER_PORT_INGESTOR, METRICS_PORT_ALERTER and METRICS_PORT_MOOG.
    QString shell(const QString &command, int *exitCode = nullptr) const;
    [[nodiscard]] MuttdBackends backends() const;
    void startForwarder();

    QTemporaryDir m_dir;
    std::unique_ptr<mutt::test::RedisServer> m_redis;
    mutt::pgtest::PgTestServer m_pg;
    mutt::sql::PostgresConfig m_database;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_core;
    std::unique_ptr<MuttdProcess> m_forwarder;
    QString m_envFile;
};

void TestInterop::initTestCase()
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

    // The runbook reads POD_NAME from /etc/mutt/mutt.env; ours is here.
    m_envFile = m_dir.filePath(QStringLiteral("mutt.env"));
    QFile env(m_envFile);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write(QStringLiteral("POD_NAME=%1\n").arg(kCorePod).toUtf8());
    env.close();

    // Ingestor, alerter and api in one process; the forwarder starts later,
    // so the alerter's items stay on mutt:alert_queue to be read.
    m_core = std::make_unique<MuttdProcess>(m_dir.filePath(QStringLiteral("core")), backends());
    m_core->setEnv(QStringLiteral("MUTT_CONFIG_FILE"), m_envFile);
    m_core->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    QString output;
    QVERIFY2(m_core->importSeedRules(&output) == 0, qPrintable(output));
    QVERIFY(m_core->start(QStringLiteral("ingestor,alerter,api")));
    QVERIFY2(m_core->waitHealthy(), m_core->output().constData());
    QVERIFY2(m_core->waitHealthyOn(QStringLiteral("HEALTH_PORT_ALERTER")), m_core->output().constData());
}

void TestInterop::cleanupTestCase()
{
    if (m_forwarder)
        QCOMPARE(m_forwarder->terminate(), 0);
    if (m_core)
        QCOMPARE(m_core->terminate(), 0);
    m_moog.stop();
}

MuttdBackends TestInterop::backends() const
{
    MuttdBackends out;
    out.redisHost = m_redis->host();
    out.redisPort = m_redis->port();
    out.dbHost = m_database.host;
    out.dbPort = m_database.port;
    out.dbName = m_database.database;
    out.dbUser = m_pg.user();
    out.dbPassword = m_pg.password();
    return out;
}

void TestInterop::startForwarder()
{
    m_forwarder = std::make_unique<MuttdProcess>(m_dir.filePath(QStringLiteral("forwarder")), backends());
    m_forwarder->setEnv(QStringLiteral("POD_NAME"), kForwarderPod);
    m_forwarder->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    QVERIFY(m_forwarder->start(QStringLiteral("forwarder")));
    QVERIFY2(m_forwarder->waitHealthyOn(QStringLiteral("HEALTH_PORT_MOOG")), m_forwarder->output().constData());
}

QString TestInterop::shell(const QString &command, int *exitCode) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("REDIS_PORT"), QString::number(m_redis->port()));
    env.insert(
        QStringLiteral("SERVER_PORT_INGESTOR"), QString::number(m_core->port(QStringLiteral("SERVER_PORT_INGESTOR"))));
    env.insert(
        QStringLiteral("METRICS_PORT_ALERTER"), QString::number(m_core->port(QStringLiteral("METRICS_PORT_ALERTER"))));
    if (m_forwarder)
        env.insert(QStringLiteral("METRICS_PORT_MOOG"),
            QString::number(m_forwarder->port(QStringLiteral("METRICS_PORT_MOOG"))));
    env.insert(QStringLiteral("MUTT_ENV_FILE"), m_envFile);

    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("bash"), {QStringLiteral("-c"), command});
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished();
    }
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

void TestInterop::v25ItemIsForwarded()
{
    bool pushed = false;
    m_redis->cli({QStringLiteral("LPUSH"), QStringLiteral("mutt:ingest_queue"),
                     QString::fromUtf8(v25Event(QStringLiteral("interop-v25-0001")))},
        &pushed);
    QVERIFY(pushed);

    // The alerter's item, read raw as a v2.5 forwarder would read it.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_redis->cli({QStringLiteral("LLEN"), QStringLiteral("mutt:alert_queue")}), QStringLiteral("1"), 20'000);
    const QString raw
        = m_redis->cli({QStringLiteral("LINDEX"), QStringLiteral("mutt:alert_queue"), QStringLiteral("0")});
    const QJsonObject alert = QJsonDocument::fromJson(raw.toUtf8()).object();
    QVERIFY2(!alert.isEmpty(), qPrintable(raw));
    QCOMPARE(alert.value(QStringLiteral("hostname")).toString(), QStringLiteral("interop-host-1"));
    QCOMPARE(alert.value(QStringLiteral("team_assignment")).toString(), QStringLiteral("NETO"));
    QCOMPARE(
        alert.value(QStringLiteral("message_body")).toString(), QStringLiteral("ERROR interop event: interface down"));
    QCOMPARE(alert.value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("interop-v25-0001"));
    // Severity follows the event (syslog 3 is Major), not v2.5's constant Warning.
    QCOMPARE(alert.value(QStringLiteral("severity")).toString(), QStringLiteral("Major"));
    const QJsonObject rawJson = alert.value(QStringLiteral("raw_json")).toObject();
    QCOMPARE(rawJson.value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("interop-v25-0001"));
    QCOMPARE(rawJson.value(QStringLiteral("hostname")).toString(), QStringLiteral("interop-host-1"));
    QVERIFY2(!alert.contains(QStringLiteral("api_key")), "the Moogsoft key must not be written into a queue item");
    QVERIFY(!raw.contains(QStringLiteral("itest-moog-token")));

    startForwarder();
    QTRY_VERIFY_WITH_TIMEOUT(receivedIds(m_moog).contains(QStringLiteral("interop-v25-0001")), 20'000);
}

void TestInterop::runbookQueueDepths_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("ingest") << QStringLiteral(
        R"sh(echo "Ingest Queue: $(redis-cli -p $REDIS_PORT LLEN mutt:ingest_queue)")sh");
    QTest::newRow("alert") << QStringLiteral(
        R"sh(echo "Alert Queue: $(redis-cli -p $REDIS_PORT LLEN mutt:alert_queue)")sh");
}

void TestInterop::runbookQueueDepths()
{
    QFETCH(QString, command);
    const QString label = command.section(u'"', 1, 1).section(u':', 0, 0);

    // Drained: both queues read 0.
    QTRY_COMPARE_WITH_TIMEOUT(shell(command), label + QStringLiteral(": 0"), 20'000);
}

void TestInterop::runbookDlqDepth()
{
    const QString command = QStringLiteral(R"sh(echo "Moog DLQ: $(redis-cli -p $REDIS_PORT LLEN mutt:dlq:moog)")sh");
    QCOMPARE(shell(command), QStringLiteral("Moog DLQ: 0"));

    // Moogsoft rejects the next alert as invalid (400, not retried): it ends in the DLQ.
    QVERIFY(m_moog.setMode(QJsonObject {{QStringLiteral("status"), 400}, {QStringLiteral("fail_next"), 1}}));
    bool pushed = false;
    m_redis->cli({QStringLiteral("LPUSH"), QStringLiteral("mutt:ingest_queue"),
                     QString::fromUtf8(v25Event(QStringLiteral("interop-v25-0002")))},
        &pushed);
    QVERIFY(pushed);
    QTRY_COMPARE_WITH_TIMEOUT(shell(command), QStringLiteral("Moog DLQ: 1"), 20'000);
    QCOMPARE(shell(QStringLiteral("redis-cli -p $REDIS_PORT LLEN mutt:dlq:moog")), QStringLiteral("1"));
}

void TestInterop::runbookProcessingList()
{
    // As the runbook writes it, with its mutt.env path and -p changed.
    const QString script = QStringLiteral("POD_NAME=$(grep POD_NAME \"$MUTT_ENV_FILE\" | cut -d= -f2)\n"
                                          "PROCESSING_LIST=\"mutt:processing:alerter:$POD_NAME\"\n"
                                          "redis-cli -p $REDIS_PORT LLEN \"$PROCESSING_LIST\"\n");
    QTRY_COMPARE_WITH_TIMEOUT(shell(script), QStringLiteral("0"), 20'000);

    // The list the runbook names belongs to the running alerter: its
    // heartbeat is under the same POD_NAME.
    QCOMPARE(m_redis->cli({QStringLiteral("EXISTS"), QStringLiteral("mutt:heartbeat:alerter:") + kCorePod}),
        QStringLiteral("1"));
}

void TestInterop::runbookHealth()
{
    int exitCode = -1;
    const QString body = shell(QStringLiteral("curl http://localhost:$SERVER_PORT_INGESTOR/health"), &exitCode);
    QCOMPARE(exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(body.toUtf8()).object().value(QStringLiteral("status")).toString(),
        QStringLiteral("healthy"));

    const QString watched = shell(QStringLiteral(
        R"(curl -s http://localhost:$SERVER_PORT_INGESTOR/health && echo "Healthy" || echo "Unhealthy")"));
    QVERIFY2(watched.endsWith(QStringLiteral("Healthy")) && !watched.endsWith(QStringLiteral("Unhealthy")),
        qPrintable(watched));
}

void TestInterop::runbookAlerterMetrics()
{
    const QString lines = shell(QStringLiteral(
        "curl -s http://localhost:$METRICS_PORT_ALERTER/metrics | grep mutt_alerter_events_processed_total"));
    QVERIFY2(lines.contains(QStringLiteral("mutt_alerter_events_processed_total")), qPrintable(lines));
    // Both v2.5 items went through this alerter.
    QVERIFY2(sumSamples(lines, QStringLiteral("mutt_alerter_events_processed_total")) >= 2, qPrintable(lines));
}

void TestInterop::runbookCircuitMetrics()
{
    const QString lines
        = shell(QStringLiteral("curl -s http://localhost:$METRICS_PORT_MOOG/metrics | grep mutt_moog_circuit_breaker"));
    // Closed: the runbook's "circuit open" check (== 1) does not fire.
    QVERIFY2(lines.contains(QStringLiteral("mutt_moog_circuit_breaker_state{name=\"moogsoft\"} 0")), qPrintable(lines));
}

void TestInterop::prometheusQueries()
{
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (prometheus.isEmpty())
        QSKIP("prometheus is not installed; the runbook's PromQL queries are not checked");

    const quint16 port = freePort();
    const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                              "scrape_configs:\n  - job_name: mutt\n    static_configs:\n"
                              "      - targets: ['127.0.0.1:%1', '127.0.0.1:%2', '127.0.0.1:%3']\n")
                   .arg(m_core->port(QStringLiteral("SERVER_PORT_INGESTOR")))
                   .arg(m_core->port(QStringLiteral("METRICS_PORT_ALERTER")))
                   .arg(m_forwarder->port(QStringLiteral("METRICS_PORT_MOOG")))
                   .toUtf8());
    file.close();

    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(prometheus,
        {QStringLiteral("--config.file=") + config,
            QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("prometheus-data")),
            QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
    QVERIFY(server.waitForStarted(10'000));
    auto stopServer = qScopeGuard([&server] {
        server.terminate();
        if (!server.waitForFinished(10'000))
            server.kill();
        server.waitForFinished();
    });
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QTRY_COMPARE_WITH_TIMEOUT(httpGet(base + QStringLiteral("/-/ready"), {}, 1'000).status, 200, 30'000);

    auto query = [&base](const QString &promql) -> std::optional<double> {
        const HttpReply reply = httpGet(
            base + QStringLiteral("/api/v1/query?query=") + QString::fromLatin1(QUrl::toPercentEncoding(promql)));
        const QJsonArray result
            = reply.json().value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
        if (result.isEmpty())
            return std::nullopt;
        double sum = 0;
        for (const QJsonValue &series : result)
            sum += series.toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
        return sum;
    };

    const QString successQuery = QStringLiteral(R"(rate(mutt_ingest_requests_total{status="success"}[1m]))");
    const QString failQuery = QStringLiteral(R"(rate(mutt_ingest_requests_total{status="fail"}[1m]))");
    const QByteArray event = R"({"hostname":"interop-host-2","message":"INFO interop prometheus check"})";
    // Sends one accepted and one rejected (wrong key) request every half
    // second until both rates show in Prometheus.
    const QDeadlineTimer deadline(40'000);
    std::optional<double> success;
    std::optional<double> fail;
    while (!deadline.hasExpired()) {
        QCOMPARE(m_core->postEvents(event, "application/json").status, 200);
        QCOMPARE(httpPost(m_core->ingestUrl(), event,
                     {{QByteArray("Content-Type"), QByteArray("application/json")},
                         {QByteArray("X-API-KEY"), QByteArray("not-the-ingest-key")}})
                     .status,
            401);
        success = query(successQuery);
        fail = query(failQuery);
        if (success.value_or(0) > 0 && fail.value_or(0) > 0)
            break;
        QTest::qWait(500);
    }
    QVERIFY2(success.value_or(0) > 0, qPrintable(successQuery + QStringLiteral(" stayed 0 or empty")));
    QVERIFY2(fail.value_or(0) > 0, qPrintable(failQuery + QStringLiteral(" stayed 0 or empty")));

    const std::optional<double> circuit = query(QStringLiteral(R"(mutt_moog_circuit_breaker_state{name="moogsoft"})"));
    QVERIFY(circuit.has_value());
    QCOMPARE(*circuit, 0.0);
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
