#include "FreePort.h"
#include "MockMoogServer.h"
#include "config/Settings.h"
#include "metrics/MetricsRegistry.h"
#include "runtime/Engine.h"
#include "runtime/RoleHttp.h"
#include "runtime/StatusSampler.h"
#include "sql/SqliteSqlStore.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace mutt;
using runtime::Role;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;  // lower-case names

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Reply request(const QByteArray &method, const QString &url, const QByteArray &body = {},
    const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest req {QUrl(url)};
    req.setTransferTimeout(10'000);
    for (const auto &[name, value] : headers)
        req.setRawHeader(name, value);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));

    QNetworkReply *reply = manager.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();

    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        out.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return out;
}

// Sends `bytes` as they are and reads until the server closes or a whole
// response with its Content-Length body has arrived. It waits in an event
// loop, because the engine accepts connections on this thread.
Reply rawRequest(quint16 port, const QByteArray &bytes)
{
    QTcpSocket socket;
    QByteArray received;
    Reply out;
    QEventLoop loop;
    const auto parse = [&] {
        received += socket.readAll();
        const qsizetype headerEnd = received.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = received.left(headerEnd).split('\n');
        out.status = lines.value(0).split(' ').value(1).toInt();
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                out.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        const qsizetype length = out.headers.value("content-length").toLongLong();
        if (received.size() >= headerEnd + 4 + length) {
            out.body = received.mid(headerEnd + 4, length);
            loop.quit();
        }
    };
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] { socket.write(bytes); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, parse);
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    socket.connectToHost(QHostAddress::LocalHost, port);
    loop.exec();
    return out;
}

QByteArray eventBody(int index, const char *message)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("timestamp"), QStringLiteral("2025-01-15T14:30:22Z")},
            {QStringLiteral("hostname"), QStringLiteral("router%1").arg(index)},
            {QStringLiteral("message"), QString::fromLatin1(message)}, {QStringLiteral("syslog_severity"), 2}})
        .toJson(QJsonDocument::Compact);
}

}  // namespace

class RuntimeTest final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void plan_data();
    void plan();
    void itemAge_data();
    void itemAge();
    void heartbeatValues();

    void healthOnEveryPort();
    void metricsExposition();
    void statusNeedsKey();
    void versionEndpoints();
    void conservationBalanced();
    void singlePort();
    void serverErrorsOnApiPort_data();
    void serverErrorsOnApiPort();
    void bodyTooLargeOnSinglePort();
    void noWebhookUrl();
    void reloadAndStop();
    void portInUse();

private:
    config::Settings baseSettings() const;
    QString url(quint16 port, const char *path) const;

    mockmoog::MockMoogServer m_moog;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<runtime::Engine> m_engine;
};

void RuntimeTest::initTestCase()
{
    QVERIFY(m_moog.listen().ok());
}

void RuntimeTest::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataDir->isValid());
}

void RuntimeTest::cleanup()
{
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    m_dataDir.reset();
}

config::Settings RuntimeTest::baseSettings() const
{
    config::Settings settings;
    settings.dataDir = m_dataDir->path();
    settings.podName = QStringLiteral("test-pod");
    settings.embeddedSync = QStringLiteral("normal");
    settings.moogWebhookUrl = m_moog.url();
    settings.moogApiKey = QStringLiteral("moog-test-key");
    settings.remediationInterval = 3600;  // one cycle at start is enough
    settings.brpoplpushTimeout = 1;  // the alerter notices stop() within a second
    for (quint16 *port : {&settings.ingestPort, &settings.alerterHealthPort, &settings.alerterMetricsPort,
             &settings.moogHealthPort, &settings.moogMetricsPort, &settings.remediationHealthPort,
             &settings.remediationMetricsPort, &settings.webuiPort})
        *port = testserver::freeLoopbackPort();
    return settings;
}

QString RuntimeTest::url(quint16 port, const char *path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(QString::fromLatin1(path));
}

void RuntimeTest::plan_data()
{
    QTest::addColumn<bool>("singlePort");
    QTest::addColumn<bool>("sharedPort");
    QTest::addColumn<int>("listeners");

    QTest::newRow("one port per role") << false << false << 8;
    QTest::newRow("single port") << true << false << 1;
    QTest::newRow("alerter and forwarder health share") << false << true << 7;
}

void RuntimeTest::plan()
{
    QFETCH(bool, singlePort);
    QFETCH(bool, sharedPort);
    QFETCH(int, listeners);

    config::Settings settings;
    settings.singlePort = singlePort;
    if (sharedPort)
        settings.moogHealthPort = settings.alerterHealthPort;
    const QList<Role> every = runtime::allRoles();

    const QList<runtime::ListenerPlan> plans
        = runtime::RoleHttp::plan(settings, QSet<Role>(every.begin(), every.end()));

    QCOMPARE(plans.size(), listeners);
    int ingestListeners = 0;
    for (const runtime::ListenerPlan &plan : plans)
        ingestListeners += plan.ingest ? 1 : 0;
    QCOMPARE(ingestListeners, 1);
    if (sharedPort) {
        const auto shared = std::find_if(plans.cbegin(), plans.cend(),
            [&](const runtime::ListenerPlan &p) { return p.port == settings.alerterHealthPort; });
        QVERIFY(shared->roles.contains(Role::Alerter));
        QVERIFY(shared->roles.contains(Role::Forwarder));
    }
}

void RuntimeTest::itemAge_data()
{
    QTest::addColumn<QByteArray>("item");
    QTest::addColumn<bool>("dlq");
    QTest::addColumn<qint64>("expected");

    const qint64 now = 1'736'951'422'000;  // 2025-01-15T14:30:22Z
    Q_UNUSED(now);
    QTest::newRow("received_at") << QByteArray(R"({"_received_at":"2025-01-15T14:30:12.000Z"})") << false
                                 << qint64(10'000);
    QTest::newRow("raw_json") << QByteArray(R"({"raw_json":{"_received_at":"2025-01-15T14:30:20Z"}})") << false
                              << qint64(2'000);
    QTest::newRow("dlq_at preferred") << QByteArray(
        R"({"_received_at":"2025-01-15T14:00:00Z","_dlq_at":"2025-01-15T14:30:21Z"})")
                                      << true << qint64(1'000);
    QTest::newRow("epoch seconds") << QByteArray(R"({"_received_at":1736951417})") << false << qint64(5'000);
    QTest::newRow("no time") << QByteArray(R"({"message":"x"})") << false << qint64(-1);
    QTest::newRow("not json") << QByteArray("garbage") << false << qint64(-1);
}

void RuntimeTest::itemAge()
{
    QFETCH(QByteArray, item);
    QFETCH(bool, dlq);
    QFETCH(qint64, expected);

    const std::optional<qint64> age = runtime::StatusSampler::itemAgeMs(item, dlq, 1'736'951'422'000);

    QCOMPARE(age.value_or(-1), expected);
}

void RuntimeTest::heartbeatValues()
{
    runtime::QueueInfo info;
    runtime::StatusSampler::applyHeartbeat(info, QByteArray("1000"), 1'000'000'000'000);
    QVERIFY(!info.heartbeatAgeUnknown);
    QCOMPARE(info.heartbeatAgeMs.value_or(-1), qint64(1'000'000'000'000 - 1'000'000));

    runtime::StatusSampler::applyHeartbeat(info, QByteArray("999999995000"), 1'000'000'000'000);
    QCOMPARE(info.heartbeatAgeMs.value_or(-1), qint64(5000));

    runtime::StatusSampler::applyHeartbeat(info, QByteArray("alive"), 1'000'000'000'000);
    QVERIFY(info.heartbeatAgeUnknown);
    QVERIFY(info.heartbeatAgeMs.has_value());

    runtime::StatusSampler::applyHeartbeat(info, std::nullopt, 1'000'000'000'000);
    QVERIFY(!info.heartbeatAgeMs.has_value());
}

void RuntimeTest::healthOnEveryPort()
{
    const config::Settings settings = baseSettings();
    const QList<Role> every = runtime::allRoles();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role>(every.begin(), every.end()));
    const Status started = m_engine->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));

    const QList<QPair<quint16, QString>> ports {
        {settings.ingestPort, QStringLiteral("mutt-ingestor")},
        {settings.alerterHealthPort, QStringLiteral("mutt-alerter")},
        {settings.alerterMetricsPort, QStringLiteral("mutt-alerter")},
        {settings.moogHealthPort, QStringLiteral("mutt-forwarder")},
        {settings.moogMetricsPort, QStringLiteral("mutt-forwarder")},
        {settings.remediationHealthPort, QStringLiteral("mutt-remediation")},
        {settings.remediationMetricsPort, QStringLiteral("mutt-remediation")},
        {settings.webuiPort, QStringLiteral("mutt-api")},
    };
    for (const auto &[port, service] : ports) {
        const Reply reply = request("GET", url(port, "/health"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));
        QCOMPARE(reply.json().value(QStringLiteral("service")).toString(), service);
        QCOMPARE(reply.json().value(QStringLiteral("checks")).toObject().value(QStringLiteral("queue_store")),
            QJsonValue(QStringLiteral("ok")));
    }

    const Reply alerter = request("GET", url(settings.alerterHealthPort, "/health"));
    QCOMPARE(alerter.json().value(QStringLiteral("checks")).toObject().value(QStringLiteral("sql_store")),
        QJsonValue(QStringLiteral("ok")));
    const Reply forwarder = request("GET", url(settings.moogHealthPort, "/health"));
    QCOMPARE(forwarder.json().value(QStringLiteral("details")).toObject().value(QStringLiteral("circuit_state")),
        QJsonValue(QStringLiteral("CLOSED")));
    QCOMPARE(forwarder.json().value(QStringLiteral("checks")).toObject().value(QStringLiteral("circuit")),
        QJsonValue(QStringLiteral("ok")));
}

void RuntimeTest::metricsExposition()
{
    const config::Settings settings = baseSettings();
    const QList<Role> every = runtime::allRoles();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role>(every.begin(), every.end()));
    QVERIFY(m_engine->start().ok());

    const Reply reply = request("GET", url(settings.alerterMetricsPort, "/metrics"));

    QCOMPARE(reply.status, 200);
    QVERIFY(reply.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
    static const QRegularExpression sample(QStringLiteral(
        R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInfNa]+$)"));
    for (const QByteArray &line : reply.body.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QVERIFY2(sample.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }
    const QString text = QString::fromUtf8(reply.body);
    for (const char *name :
        {"mutt_queue_depth{queue=\"mutt:ingest_queue\"}", "mutt_queue_oldest_age_seconds{queue=\"mutt:dlq:moog\"}",
            "mutt_conservation_events{outcome=\"accepted\"}", "mutt_conservation_events{outcome=\"in_flight\"}",
            "mutt_conservation_difference", "mutt_ingest_requests_total", "mutt_alerter_events_processed_total",
            "mutt_moog_requests_total", "mutt_circuit_breaker_state", "mutt_remediation_loops_total"})
        QVERIFY2(text.contains(QLatin1StringView(name)), name);
}

void RuntimeTest::statusNeedsKey()
{
    config::Settings settings = baseSettings();
    settings.moogProcessingPrefix = QStringLiteral("site2:processing:moog");
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Api});
    QVERIFY(m_engine->start().ok());
    const QByteArray key = m_engine->settings().webuiApiKey.toUtf8();
    QCOMPARE(key.size(), 64);

    const Reply missing = request("GET", url(settings.webuiPort, "/api/v2/status"));
    const Reply wrong = request("GET", url(settings.webuiPort, "/api/v2/status"), {}, {{"X-API-KEY", "nope"}});
    const Reply right = request("GET", url(settings.webuiPort, "/api/v2/status"), {}, {{"X-API-KEY", key}});
    const Reply queues = request("GET", url(settings.webuiPort, "/api/v2/queues"), {}, {{"X-API-KEY", key}});

    QCOMPARE(missing.status, 401);
    QCOMPARE(missing.headers.value("x-api-version"), QByteArray("2.5"));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(right.status, 200);
    QCOMPARE(right.headers.value("x-api-supported-versions"), QByteArray("2.5, 2.0, 1.0"));
    const auto status = runtime::engineStatusFromJson(right.json());
    QVERIFY(status.has_value());
    QCOMPARE(status->forwarderListPrefix, QStringLiteral("site2:processing:moog"));
    QCOMPARE(right.json().value(QStringLiteral("roles")).toArray().size(), 1);
    QCOMPARE(queues.status, 200);
    QVERIFY(queues.json().value(QStringLiteral("queues")).toArray().size() >= 6);
}

void RuntimeTest::versionEndpoints()
{
    const config::Settings settings = baseSettings();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Api});
    QVERIFY(m_engine->start().ok());

    for (const char *path : {"/api/v1/version", "/api/v2/version"}) {
        const Reply reply = request("GET", url(settings.webuiPort, path));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("current_version")).toString(), QStringLiteral("2.5"));
        QCOMPARE(reply.headers.value("x-api-version"), QByteArray("2.5"));
    }
    const Reply unknown = request("GET", url(settings.webuiPort, "/api/v2/nothing"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.headers.value("x-api-version"), QByteArray("2.5"));
}

void RuntimeTest::conservationBalanced()
{
    const config::Settings settings = baseSettings();
    {
        auto sql = sql::SqliteSqlStore::open(m_dataDir->filePath(QStringLiteral("mutt.db")));
        QVERIFY(sql.ok());
        QVERIFY(sql.value()->migrate().ok());
        sql::AlertRule rule;
        rule.matchString = QStringLiteral("CRITICAL");
        rule.prodHandling = QStringLiteral("Page_and_ticket");
        rule.devHandling = QStringLiteral("Ticket_only");
        rule.teamAssignment = QStringLiteral("NETO");
        QVERIFY(sql.value()->createRule(rule, sql::AuditContext {}).ok());
    }
    const QList<Role> every = runtime::allRoles();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role>(every.begin(), every.end()));
    QVERIFY(m_engine->start().ok());
    const QByteArray ingestKey = m_engine->settings().ingestApiKey.toUtf8();
    const QByteArray webuiKey = m_engine->settings().webuiApiKey.toUtf8();

    for (int i = 0; i < 5; ++i) {
        const Reply reply = request("POST", url(settings.ingestPort, "/ingest"),
            eventBody(i, i < 3 ? "CRITICAL link down" : "interface flapping"), {{"X-API-KEY", ingestKey}});
        QCOMPARE(reply.status, 200);
    }

    runtime::Conservation c;
    auto settled = [&] {
        const Reply reply = request("GET", url(settings.webuiPort, "/api/v2/status"), {}, {{"X-API-KEY", webuiKey}});
        const auto status = runtime::engineStatusFromJson(reply.json());
        if (!status)
            return false;
        c = status->conservation;
        return c.accepted == 5 && c.inFlight == 0 && c.forwarded == 3;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 30'000);
    QCOMPARE(c.unhandled, 2);
    QCOMPARE(c.inDlq, 0);
    QVERIFY(c.balanced());
    QCOMPARE(m_moog.succeeded(), qint64(3));
    QCOMPARE(m_engine->metrics().valueOf(QStringLiteral("mutt_conservation_difference")), 0.0);
}

void RuntimeTest::singlePort()
{
    config::Settings settings = baseSettings();
    settings.singlePort = true;
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Ingestor, Role::Api});
    QVERIFY(m_engine->start().ok());

    const Reply health = request("GET", url(settings.webuiPort, "/health"));
    const Reply ingest = request("POST", url(settings.webuiPort, "/ingest"), eventBody(1, "hello"),
        {{"X-API-KEY", m_engine->settings().ingestApiKey.toUtf8()}});

    QCOMPARE(m_engine->listeners().size(), 1);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(QStringLiteral("service")).toString(), QStringLiteral("mutt"));
    QCOMPARE(ingest.status, 200);
    QCOMPARE(m_engine->ingestUrl(), url(settings.webuiPort, "/ingest"));
}

void RuntimeTest::serverErrorsOnApiPort_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions");  // text both ports' messages contain

    QTest::newRow("404 no route") << QByteArray("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n") << 404 << QString();
    QTest::newRow("431 headers too large")
        << QByteArray("GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(70 * 1024, 'h') + "\r\n\r\n") << 431
        << QString();
    QTest::newRow("400 bad request line") << QByteArray("GARBAGE\r\n\r\n") << 400 << QString();
    QTest::newRow("413 body too large") << QByteArray(
        "POST /api/v2/ingest HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n")
                                        << 413 << QStringLiteral("limit of 10485760 bytes (MAX_BODY_BYTES)");
}

// The HTTP server sends these errors itself. On the api port the body is the
// api's {"error": sentence} with its version headers, while the ingest port
// keeps {"status":"error","message":...}.
void RuntimeTest::serverErrorsOnApiPort()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    const config::Settings settings = baseSettings();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Ingestor, Role::Api});
    QVERIFY(m_engine->start().ok());

    const Reply api = rawRequest(settings.webuiPort, request);
    QCOMPARE(api.status, status);
    QCOMPARE(api.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(api.headers.value("x-api-version"), QByteArray("2.5"));
    QCOMPARE(api.json().keys(), QStringList {QStringLiteral("error")});
    const QString apiMessage = api.json().value(QStringLiteral("error")).toString();
    QVERIFY2(apiMessage.size() > 20, api.body.constData());
    QVERIFY2(apiMessage.contains(mentions), api.body.constData());
    QVERIFY2(apiMessage.count(QStringLiteral("MAX_BODY_BYTES")) <= 1, api.body.constData());

    const Reply ingest = rawRequest(settings.ingestPort, request);
    QCOMPARE(ingest.status, status);
    QCOMPARE(ingest.json().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QVERIFY2(ingest.json().contains(QStringLiteral("message")), ingest.body.constData());
    QVERIFY2(ingest.json().value(QStringLiteral("message")).toString().contains(mentions), ingest.body.constData());
}

// With --single-port a 413 follows the path: paths under /api/ get the api's
// {"error": ...}, the ingest paths keep {"status":"error","message":...}.
void RuntimeTest::bodyTooLargeOnSinglePort()
{
    config::Settings settings = baseSettings();
    settings.singlePort = true;
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Ingestor, Role::Api});
    QVERIFY(m_engine->start().ok());

    const Reply api
        = rawRequest(settings.webuiPort, "POST /api/v2/rules HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n");
    QCOMPARE(api.status, 413);
    QCOMPARE(api.headers.value("x-api-version"), QByteArray("2.5"));
    QCOMPARE(api.json().keys(), QStringList {QStringLiteral("error")});
    QVERIFY2(api.json().value(QStringLiteral("error")).toString().contains(u"MAX_BODY_BYTES"), api.body.constData());

    for (const QByteArray path : {"/ingest", "/api/v1/ingest", "/api/v2/ingest"}) {
        const Reply ingest = rawRequest(
            settings.webuiPort, "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n");
        QCOMPARE(ingest.status, 413);
        QCOMPARE(ingest.json().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        QVERIFY2(ingest.json().value(QStringLiteral("message")).toString().contains(u"MAX_BODY_BYTES"),
            ingest.body.constData());
    }
}

void RuntimeTest::noWebhookUrl()
{
    config::Settings settings = baseSettings();
    settings.moogWebhookUrl.clear();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Forwarder});
    QVERIFY(m_engine->start().ok());

    const Reply health = request("GET", url(settings.moogHealthPort, "/health"));
    QCOMPARE(health.status, 503);
    const QString errors = health.json().value(QStringLiteral("errors")).toArray().first().toString();
    QVERIFY2(errors.contains(u"no Moog webhook URL configured"), qPrintable(errors));
    const auto status = m_engine->status();
    QVERIFY(status.ok());
    QCOMPARE(status.value().roles.size(), 1);
    QVERIFY(!status.value().roles.first().healthy);
    QVERIFY2(status.value().roles.first().detail.contains(u"no Moog webhook URL configured"),
        qPrintable(status.value().roles.first().detail));
}

void RuntimeTest::reloadAndStop()
{
    const config::Settings settings = baseSettings();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Alerter, Role::Api});
    QVERIFY(m_engine->start().ok());
    QVERIFY(m_engine->status().ok());

    m_engine->reload();
    QVERIFY(m_engine->status().ok());
    m_engine->stop();
    m_engine->stop();

    QVERIFY(!m_engine->isRunning());
    QCOMPARE(m_engine->status().error().code, ErrorCode::Unavailable);
    QVERIFY(m_engine->queueStore() == nullptr);
    QCOMPARE(request("GET", url(settings.webuiPort, "/health")).status, 0);
}

void RuntimeTest::portInUse()
{
    config::Settings settings = baseSettings();
    QTcpServer occupied;
    QVERIFY(occupied.listen(QHostAddress::LocalHost, 0));
    settings.webuiPort = occupied.serverPort();
    m_engine = std::make_unique<runtime::Engine>(settings, QSet<Role> {Role::Api});

    const Status started = m_engine->start();

    QVERIFY(!started.ok());
    QVERIFY(started.error().message.contains(QString::number(settings.webuiPort)));
    QVERIFY(!m_engine->isRunning());
}

QTEST_GUILESS_MAIN(RuntimeTest)
#include "tst_runtime.moc"
