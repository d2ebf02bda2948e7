// The web UI REST API over real HTTP on 127.0.0.1, on a real SQLite store
// and embedded queue store, on both /api/v1/ and /api/v2/.

#include "api/ApiService.h"
#include "config/Settings.h"
#include "http/HttpServer.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"
#include "sql/SeedBundle.h"
#include "sql/SqliteSqlStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <atomic>

using namespace mutt;

namespace {

constexpr auto kKey = "api-test-key";
constexpr auto kNextKey = "api-test-next-key";

struct Reply {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QString error() const { return json().value(QStringLiteral("error")).toString(); }
};

bool isRfc3339Utc(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$"));
    return pattern.match(text).hasMatch();
}

}  // namespace

class TestApi final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void auth_data();
    void auth();
    void versionHeaders_data();
    void versionHeaders();
    void badRequest_data();
    void badRequest();
    void notFound_data();
    void notFound();
    void ruleLifecycle_data();
    void ruleLifecycle();
    void auditedRuleDelete_data();
    void auditedRuleDelete();
    void handlingWarnings_data();
    void handlingWarnings();
    void devHosts_data();
    void devHosts();
    void devHostWithSlash_data();
    void devHostWithSlash();
    void teams_data();
    void teams();
    void dynamicConfig_data();
    void dynamicConfig();
    void eventAuditPaging_data();
    void eventAuditPaging();
    void changeNotice();
    void ingestRates();
    void slo();
    void health();
    void circuitForceAndReset();

private:
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
        QList<QPair<QByteArray, QByteArray>> headers = {{"X-API-KEY", kKey}});
    static void addPrefixes();
    qint64 createRule(const QString &prefix, const QString &match);

    QTemporaryDir m_dir;
    config::Settings m_settings;
    std::unique_ptr<queue::EmbeddedStore> m_queue;
    std::unique_ptr<sql::SqliteSqlStore> m_sql;
    metrics::MetricsRegistry m_registry;
    QThreadPool m_pool;
    std::unique_ptr<api::ApiService> m_api;
    std::unique_ptr<http::HttpServer> m_server;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
    std::atomic<int> m_ruleNotices {0};
};

void TestApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto queue = queue::EmbeddedStore::open(m_dir.filePath(QStringLiteral("queue.db")));
    QVERIFY2(queue.ok(), qPrintable(queue.ok() ? QString() : queue.error().message));
    m_queue = std::move(queue.value());
    auto sql = sql::SqliteSqlStore::open(m_dir.filePath(QStringLiteral("mutt.db")));
    QVERIFY(sql.ok());
    m_sql = std::move(sql.value());
    QVERIFY(m_sql->migrate().ok());
    const auto seed = sql::loadMuttV25Seed();
    QVERIFY2(seed.ok(), qPrintable(seed.ok() ? QString() : seed.error().message));
    QVERIFY(m_sql->importBundle(seed.value(), sql::AuditContext {}).ok());

    m_queue->subscribeConfig([this](const QString &key) {
        if (key == u"rules")
            ++m_ruleNotices;
    });

    m_settings.webuiApiKey = QString::fromLatin1(kKey);
    m_settings.webuiApiKeyNext = QString::fromLatin1(kNextKey);
    m_api = std::make_unique<api::ApiService>(
        api::ApiDeps {m_settings, *m_sql, *m_queue, *m_queue, m_registry, &m_pool, [] {
                          return http::HttpResponse::json(200, QJsonObject {{QStringLiteral("status"), u"healthy"_qs}});
                      }});
    m_server = std::make_unique<http::HttpServer>(http::HttpServerOptions {});
    m_api->registerOn(*m_server);
    const auto port = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port.ok());
    m_port = port.value();
}

void TestApi::cleanupTestCase()
{
    m_server->close();
    m_pool.waitForDone();
}

Reply TestApi::call(
    const QByteArray &method, const QString &path, const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
    loop.exec();

    Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return result;
}

void TestApi::addPrefixes()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("v1") << QStringLiteral("/api/v1");
    QTest::newRow("v2") << QStringLiteral("/api/v2");
}

qint64 TestApi::createRule(const QString &prefix, const QString &match)
{
    const QJsonObject rule {{QStringLiteral("match_string"), match}, {QStringLiteral("priority"), 42},
        {QStringLiteral("prod_handling"), u"Page_and_ticket"_qs}, {QStringLiteral("dev_handling"), u"Ignore"_qs},
        {QStringLiteral("team_assignment"), u"NetOps"_qs}, {QStringLiteral("reason"), u"test"_qs}};
    const Reply created = call("POST", prefix + u"/rules", QJsonDocument(rule).toJson());
    return created.status == 201 ? created.json().value(QStringLiteral("id")).toInteger() : 0;
}

void TestApi::handlingWarnings_data()
{
    addPrefixes();
}

// A handling value that does not forward is stored (MUTT v2.5 accepts any
// text), and the response lists it under "warnings"; forwarding values leave
// the key out.
void TestApi::handlingWarnings()
{
    QFETCH(QString, prefix);
    const qint64 quiet = createRule(prefix, u"HANDLING-QUIET"_qs);
    QVERIFY(quiet > 0);

    const QJsonObject rule {{QStringLiteral("match_string"), u"HANDLING-TYPO"_qs},
        {QStringLiteral("prod_handling"), u"Page"_qs}, {QStringLiteral("dev_handling"), u"Ignore"_qs},
        {QStringLiteral("team_assignment"), u"NetOps"_qs}};
    const Reply created = call("POST", prefix + u"/rules", QJsonDocument(rule).toJson());
    QCOMPARE(created.status, 201);
    const QJsonArray createWarnings = created.json().value(QStringLiteral("warnings")).toArray();
    QCOMPARE(createWarnings.size(), 1);
    QVERIFY2(createWarnings.at(0).toString().startsWith(u"prod_handling \"Page\" does not forward"_qs),
        qPrintable(createWarnings.at(0).toString()));

    const qint64 id = created.json().value(QStringLiteral("id")).toInteger();
    const Reply updated = call("PUT", prefix + u"/rules/" + QString::number(id), R"({"dev_handling":"Tickt_only"})");
    QCOMPARE(updated.status, 200);
    const QJsonArray updateWarnings = updated.json().value(QStringLiteral("warnings")).toArray();
    QCOMPARE(updateWarnings.size(), 2);
    QVERIFY2(updateWarnings.at(1).toString().startsWith(u"dev_handling \"Tickt_only\" does not forward"_qs),
        qPrintable(updateWarnings.at(1).toString()));

    const Reply fixed = call(
        "PUT", prefix + u"/rules/" + QString::number(id), R"({"prod_handling":"Page_only","dev_handling":"Ignore"})");
    QCOMPARE(fixed.status, 200);
    QVERIFY(!fixed.json().contains(QStringLiteral("warnings")));

    const Reply quietUpdate = call("PUT", prefix + u"/rules/" + QString::number(quiet), R"({"priority":43})");
    QCOMPARE(quietUpdate.status, 200);
    QVERIFY(!quietUpdate.json().contains(QStringLiteral("warnings")));
}

void TestApi::auth_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorText");
    for (const QString &prefix : {u"/api/v1"_qs, u"/api/v2"_qs}) {
        const QByteArray p = prefix.toLatin1();
        QTest::addRow("%s no key", p.constData())
            << prefix + u"/rules" << QByteArray() << QByteArray() << 401 << u"X-API-KEY"_qs;
        QTest::addRow("%s wrong key", p.constData())
            << prefix + u"/rules" << QByteArray("X-API-KEY") << QByteArray("nope") << 401 << u"not valid"_qs;
        QTest::addRow("%s key in query", p.constData())
            << prefix + u"/rules?api_key=api-test-key" << QByteArray() << QByteArray() << 401 << u"query string"_qs;
        QTest::addRow("%s key in query upper case", p.constData())
            << prefix + u"/rules?API_KEY=api-test-key" << QByteArray("X-API-KEY") << QByteArray(kKey) << 401
            << u"query string"_qs;
        QTest::addRow("%s key in query mixed case", p.constData())
            << prefix + u"/rules?page=1&Api_Key=api-test-key" << QByteArray("X-API-KEY") << QByteArray(kKey) << 401
            << u"query string"_qs;
        QTest::addRow("%s key in query after empty one", p.constData())
            << prefix + u"/rules?api_key=&API_KEY=api-test-key" << QByteArray("X-API-KEY") << QByteArray(kKey) << 401
            << u"query string"_qs;
        QTest::addRow("%s key in query encoded", p.constData())
            << prefix + u"/rules?API%5Fkey=api-test-key" << QByteArray("X-API-KEY") << QByteArray(kKey) << 401
            << u"query string"_qs;
        QTest::addRow("%s right key in query and header", p.constData())
            << prefix + u"/rules?api_key=api-test-key" << QByteArray("X-API-KEY") << QByteArray(kKey) << 401
            << u"query string"_qs;
        QTest::addRow("%s header", p.constData())
            << prefix + u"/rules" << QByteArray("X-API-KEY") << QByteArray(kKey) << 200 << QString();
        QTest::addRow("%s next key", p.constData())
            << prefix + u"/rules" << QByteArray("X-API-KEY") << QByteArray(kNextKey) << 200 << QString();
        QTest::addRow("%s bearer", p.constData())
            << prefix + u"/rules" << QByteArray("Authorization") << QByteArray("Bearer ") + kKey << 200 << QString();
        QTest::addRow("%s version public", p.constData())
            << prefix + u"/health" << QByteArray() << QByteArray() << 200 << QString();
    }
}

void TestApi::auth()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(int, status);
    QFETCH(QString, errorText);

    QList<QPair<QByteArray, QByteArray>> headers;
    if (!header.isEmpty())
        headers.append({header, value});
    const Reply reply = call("GET", path, {}, headers);
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.error().contains(errorText), qPrintable(reply.error()));
    if (status == 401)
        QVERIFY(!reply.json().value(QStringLiteral("correlation_id")).toString().isEmpty());
}

void TestApi::versionHeaders_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("v1 ok") << u"/api/v1/rules"_qs << 200;
    QTest::newRow("v2 ok") << u"/api/v2/teams"_qs << 200;
    QTest::newRow("v1 404") << u"/api/v1/nothing-here"_qs << 404;
    QTest::newRow("v2 400") << u"/api/v2/rules/abc"_qs << 400;
}

void TestApi::versionHeaders()
{
    QFETCH(QString, path);
    QFETCH(int, status);

    const Reply reply = call("GET", path);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.headers.value("x-api-version"), QByteArray("2.5"));
    QCOMPARE(reply.headers.value("x-api-supported-versions"), QByteArray("2.5, 2.0, 1.0"));
    QVERIFY(!reply.headers.value("x-mutt-version").isEmpty());
}

void TestApi::badRequest_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");

    const QByteArray handling = R"("prod_handling":"P","dev_handling":"D","team_assignment":"T")";
    for (const QString &prefix : {u"/api/v1"_qs, u"/api/v2"_qs}) {
        const QByteArray p = prefix.toLatin1();
        QTest::addRow("%s rule bad json", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray("{\"match") << u"JSON"_qs;
        QTest::addRow("%s rule not object", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray("[1]") << u"JSON object"_qs;
        QTest::addRow("%s rule missing field", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray(R"({"match_string":"X","prod_handling":"P"})")
            << u"dev_handling"_qs;
        QTest::addRow("%s rule bad regex", p.constData())
            << QByteArray("POST") << prefix + u"/rules"
            << QByteArray(R"({"match_string":"(unclosed","match_type":"regex",)") + handling + "}"
            << u"match_string"_qs;
        QTest::addRow("%s rule bad priority", p.constData())
            << QByteArray("POST") << prefix + u"/rules"
            << QByteArray(R"({"match_string":"X","priority":"high",)") + handling + "}" << u"priority"_qs;
        QTest::addRow("%s rule bad severity", p.constData())
            << QByteArray("POST") << prefix + u"/rules"
            << QByteArray(R"({"match_string":"X","syslog_severity":9,)") + handling + "}" << u"syslog_severity"_qs;
        QTest::addRow("%s rule no match", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray("{") + handling + "}"
            << u"match_string or trap_oid"_qs;
        QTest::addRow("%s rule unknown field", p.constData())
            << QByteArray("POST") << prefix + u"/rules"
            << QByteArray(R"({"match_string":"X","colour":"red",)") + handling + "}" << u"colour"_qs;
        QTest::addRow("%s update nothing", p.constData())
            << QByteArray("PUT") << prefix + u"/rules/1" << QByteArray("{}") << u"No fields"_qs;
        QTest::addRow("%s update bad priority", p.constData())
            << QByteArray("PUT") << prefix + u"/rules/1" << QByteArray(R"({"priority":"high"})") << u"priority"_qs;
        QTest::addRow("%s rule id text", p.constData())
            << QByteArray("GET") << prefix + u"/rules/abc" << QByteArray() << u"rule id"_qs;
        QTest::addRow("%s page text", p.constData())
            << QByteArray("GET") << prefix + u"/audit-logs?page=x" << QByteArray() << u"page"_qs;
        QTest::addRow("%s limit too big", p.constData())
            << QByteArray("GET") << prefix + u"/audit-logs?limit=500" << QByteArray() << u"limit"_qs;
        QTest::addRow("%s rule_id text", p.constData())
            << QByteArray("GET") << prefix + u"/audit-logs?rule_id=x" << QByteArray() << u"rule_id"_qs;
        QTest::addRow("%s operation", p.constData())
            << QByteArray("GET") << prefix + u"/audit?operation=MERGE" << QByteArray() << u"operation"_qs;
        QTest::addRow("%s start_date", p.constData())
            << QByteArray("GET") << prefix + u"/config-audit?start_date=yesterday" << QByteArray() << u"start_date"_qs;
        QTest::addRow("%s record_id", p.constData())
            << QByteArray("GET") << prefix + u"/audit?record_id=one" << QByteArray() << u"record_id"_qs;
        QTest::addRow("%s config value type", p.constData())
            << QByteArray("PUT") << prefix + u"/config/unhandled_threshold" << QByteArray(R"({"value":"abc"})")
            << u"unhandled_threshold"_qs;
        QTest::addRow("%s config shed mode", p.constData())
            << QByteArray("PUT") << prefix + u"/config/alerter_shed_mode" << QByteArray(R"({"value":"drop"})")
            << u"alerter_shed_mode"_qs;
        QTest::addRow("%s config unknown key", p.constData()) << QByteArray("PUT") << prefix + u"/config/no_such_key"
                                                              << QByteArray(R"({"value":1})") << u"no_such_key"_qs;
        QTest::addRow("%s config no value", p.constData())
            << QByteArray("PUT") << prefix + u"/config/unhandled_threshold" << QByteArray(R"({"reason":"x"})")
            << u"value"_qs;
        QTest::addRow("%s dev host missing", p.constData())
            << QByteArray("POST") << prefix + u"/dev-hosts" << QByteArray("{}") << u"hostname"_qs;
        QTest::addRow("%s team missing", p.constData())
            << QByteArray("POST") << prefix + u"/teams" << QByteArray(R"({"hostname":"h1"})") << u"team_assignment"_qs;
        QTest::addRow("%s rule nul", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray(R"({"match_string":"a\u0000b",)") + handling + "}"
            << u"match_string contains a NUL"_qs;
        QTest::addRow("%s rule lone surrogate", p.constData())
            << QByteArray("POST") << prefix + u"/rules" << QByteArray(R"({"match_string":"a\ud800b",)") + handling + "}"
            << u"match_string contains a lone"_qs;
        QTest::addRow("%s dev host nul", p.constData())
            << QByteArray("POST") << prefix + u"/dev-hosts" << QByteArray(R"({"hostname":"h\u0000"})")
            << u"hostname contains a NUL"_qs;
        QTest::addRow("%s reason surrogate", p.constData())
            << QByteArray("DELETE") << prefix + u"/rules/999999" << QByteArray(R"({"reason":"\udc00"})")
            << u"reason contains a lone"_qs;
        QTest::addRow("%s rule id above int32", p.constData())
            << QByteArray("GET") << prefix + u"/rules/2147483648" << QByteArray() << u"rule id"_qs;
        QTest::addRow("%s rule id sign", p.constData())
            << QByteArray("GET") << prefix + u"/rules/+1" << QByteArray() << u"rule id"_qs;
        QTest::addRow("%s rule id nul", p.constData())
            << QByteArray("GET") << prefix + u"/rules/1%00" << QByteArray() << u"NUL"_qs;
        QTest::addRow("%s rule_id above int32", p.constData())
            << QByteArray("GET") << prefix + u"/audit-logs?rule_id=9223372036854775807" << QByteArray()
            << u"rule_id"_qs;
        QTest::addRow("%s record_id above int32", p.constData())
            << QByteArray("GET") << prefix + u"/audit?record_id=2147483648" << QByteArray() << u"record_id"_qs;
        QTest::addRow("%s hostname query nul", p.constData())
            << QByteArray("GET") << prefix + u"/audit-logs?hostname=a%00b" << QByteArray() << u"NUL"_qs;
        QTest::addRow("%s team update missing", p.constData())
            << QByteArray("PUT") << prefix + u"/teams/router1.prod.example.com" << QByteArray("{}")
            << u"team_assignment"_qs;
    }
}

void TestApi::badRequest()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, field);

    const Reply reply = call(method, path, body);
    QCOMPARE(reply.status, 400);
    QVERIFY2(reply.error().contains(field), qPrintable(reply.error()));
}

void TestApi::notFound_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    for (const QString &prefix : {u"/api/v1"_qs, u"/api/v2"_qs}) {
        const QByteArray p = prefix.toLatin1();
        QTest::addRow("%s get rule", p.constData())
            << QByteArray("GET") << prefix + u"/rules/99999" << QByteArray() << 404;
        QTest::addRow("%s put rule", p.constData())
            << QByteArray("PUT") << prefix + u"/rules/99999" << QByteArray(R"({"priority":1})") << 404;
        QTest::addRow("%s delete rule", p.constData())
            << QByteArray("DELETE") << prefix + u"/rules/99999" << QByteArray() << 404;
        QTest::addRow("%s delete dev host", p.constData())
            << QByteArray("DELETE") << prefix + u"/dev-hosts/nope" << QByteArray() << 404;
        QTest::addRow("%s put team", p.constData())
            << QByteArray("PUT") << prefix + u"/teams/nope" << QByteArray(R"({"team_assignment":"X"})") << 404;
        QTest::addRow("%s delete team", p.constData())
            << QByteArray("DELETE") << prefix + u"/teams/nope" << QByteArray() << 404;
        QTest::addRow("%s config key", p.constData())
            << QByteArray("GET") << prefix + u"/config/ingest_rate_window" << QByteArray() << 404;
        QTest::addRow("%s unknown path", p.constData())
            << QByteArray("GET") << prefix + u"/nothing/here" << QByteArray() << 404;
        QTest::addRow("%s wrong method", p.constData())
            << QByteArray("DELETE") << prefix + u"/rules" << QByteArray() << 405;
    }
}

void TestApi::notFound()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);

    const Reply reply = call(method, path, body);
    QCOMPARE(reply.status, status);
    QVERIFY(!reply.error().isEmpty());
}

void TestApi::ruleLifecycle_data()
{
    addPrefixes();
}

void TestApi::ruleLifecycle()
{
    QFETCH(QString, prefix);

    const qint64 id = createRule(prefix, u"LIFECYCLE-"_qs + prefix);
    QVERIFY(id > 0);

    const Reply got = call("GET", prefix + u"/rules/" + QString::number(id));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.json().value(QStringLiteral("priority")).toInt(), 42);
    QCOMPARE(got.json().value(QStringLiteral("match_type")).toString(), u"contains"_qs);
    QCOMPARE(got.json().value(QStringLiteral("is_active")).toBool(), true);

    const Reply listed = call("GET", prefix + u"/rules");
    QCOMPARE(listed.status, 200);
    const QJsonArray rules = listed.json().value(QStringLiteral("rules")).toArray();
    QVERIFY(std::any_of(rules.begin(), rules.end(),
        [id](const QJsonValue &rule) { return rule.toObject().value(QStringLiteral("id")).toInteger() == id; }));

    const Reply updated = call("PUT", prefix + u"/rules/" + QString::number(id), R"({"priority":7,"reason":"lower"})");
    QCOMPARE(updated.status, 200);
    QCOMPARE(
        call("GET", prefix + u"/rules/" + QString::number(id)).json().value(QStringLiteral("priority")).toInt(), 7);

    const Reply removed = call("DELETE", prefix + u"/rules/" + QString::number(id), R"({"reason":"done"})");
    QCOMPARE(removed.status, 200);
    QCOMPARE(call("GET", prefix + u"/rules/" + QString::number(id)).status, 404);

    const Reply audit = call("GET", prefix + u"/audit?table_name=alert_rules&record_id=" + QString::number(id));
    QCOMPARE(audit.status, 200);
    const QJsonArray logs = audit.json().value(QStringLiteral("logs")).toArray();
    QCOMPARE(logs.size(), 3);
    QStringList operations;
    for (const QJsonValue &row : logs)
        operations.append(row.toObject().value(QStringLiteral("operation")).toString());
    operations.sort();
    QCOMPARE(operations, QStringList({u"CREATE"_qs, u"DELETE"_qs, u"UPDATE"_qs}));
    const QJsonObject first = logs.first().toObject();
    QVERIFY2(isRfc3339Utc(first.value(QStringLiteral("changed_at")).toString()),
        qPrintable(first.value(QStringLiteral("changed_at")).toString()));
    QVERIFY(first.value(QStringLiteral("changed_by")).toString().startsWith(u"webui_api:"));
    QVERIFY(!first.value(QStringLiteral("changed_by")).toString().contains(QLatin1StringView(kKey).first(8)));

    const Reply lower = call("GET", prefix + u"/config-audit?operation=update&record_id=" + QString::number(id));
    QCOMPARE(lower.status, 200);
    QCOMPARE(lower.json().value(QStringLiteral("changes")).toArray().size(), 1);
}

void TestApi::auditedRuleDelete_data()
{
    addPrefixes();
}

void TestApi::auditedRuleDelete()
{
    QFETCH(QString, prefix);

    const qint64 id = createRule(prefix, u"AUDITED-"_qs + prefix);
    QVERIFY(id > 0);
    sql::EventAuditRow row;
    row.eventTimestamp = QDateTime::currentDateTimeUtc();
    row.hostname = QStringLiteral("router1.prod.example.com");
    row.matchedRuleId = id;
    row.handlingDecision = QStringLiteral("Page_and_ticket");
    row.rawMessage = QStringLiteral("{}");
    row.correlationId = u"audited-"_qs + QString::number(id);
    QVERIFY(m_sql->writeEventAudit({row}).ok());

    const Reply refused = call("DELETE", prefix + u"/rules/" + QString::number(id));
    QCOMPARE(refused.status, 409);
    QVERIFY2(refused.error().contains(u"{\"is_active\": false}"), qPrintable(refused.error()));
    QVERIFY(refused.error().contains(prefix + u"/rules/" + QString::number(id)));

    QCOMPARE(call("PUT", prefix + u"/rules/" + QString::number(id), R"({"is_active":false})").status, 200);
    QCOMPARE(call("GET", prefix + u"/rules/" + QString::number(id)).json().value(QStringLiteral("is_active")).toBool(),
        false);
}

void TestApi::devHosts_data()
{
    addPrefixes();
}

void TestApi::devHosts()
{
    QFETCH(QString, prefix);
    const QString host = u"lab-"_qs + prefix.right(2);

    QCOMPARE(
        call("POST", prefix + u"/dev-hosts", QJsonDocument(QJsonObject {{u"hostname"_qs, host}}).toJson()).status, 201);
    QCOMPARE(
        call("POST", prefix + u"/dev-hosts", QJsonDocument(QJsonObject {{u"hostname"_qs, host}}).toJson()).status, 409);
    const QJsonArray hosts = call("GET", prefix + u"/dev-hosts").json().value(QStringLiteral("hosts")).toArray();
    QVERIFY(hosts.contains(QJsonObject {{u"hostname"_qs, host}}));
    QCOMPARE(call("DELETE", prefix + u"/dev-hosts/" + host).status, 200);

    const Reply audit = call("GET", prefix + u"/audit?table_name=development_hosts");
    QCOMPARE(audit.status, 200);
    int touching = 0;
    for (const QJsonValue &row : audit.json().value(QStringLiteral("logs")).toArray()) {
        const QJsonObject values = row.toObject().value(QStringLiteral("new_values")).toObject();
        const QJsonObject old = row.toObject().value(QStringLiteral("old_values")).toObject();
        touching += values.value(QStringLiteral("hostname")) == host || old.value(QStringLiteral("hostname")) == host;
    }
    QCOMPARE(touching, 2);
}

void TestApi::devHostWithSlash_data()
{
    addPrefixes();
}

void TestApi::devHostWithSlash()
{
    QFETCH(QString, prefix);
    const QString host = u"rack/"_qs + prefix.right(2);
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(host));

    const Reply added
        = call("POST", prefix + u"/dev-hosts", QJsonDocument(QJsonObject {{u"hostname"_qs, host}}).toJson());
    QCOMPARE(added.status, 201);
    const Reply removed = call("DELETE", prefix + u"/dev-hosts/" + encoded);
    QCOMPARE(removed.status, 200);
    const QJsonArray hosts = call("GET", prefix + u"/dev-hosts").json().value(QStringLiteral("hosts")).toArray();
    QVERIFY(!hosts.contains(QJsonObject {{u"hostname"_qs, host}}));
}

void TestApi::teams_data()
{
    addPrefixes();
}

void TestApi::teams()
{
    QFETCH(QString, prefix);
    const QString host = u"edge-"_qs + prefix.right(2);
    const QByteArray body
        = QJsonDocument(QJsonObject {{u"hostname"_qs, host}, {u"team_assignment"_qs, u"Blue"_qs}}).toJson();

    QCOMPARE(call("POST", prefix + u"/teams", body).status, 201);
    QCOMPARE(call("POST", prefix + u"/teams", body).status, 409);
    QCOMPARE(call("PUT", prefix + u"/teams/" + host, R"({"team_assignment":"Red"})").status, 200);
    const QJsonArray teams = call("GET", prefix + u"/teams").json().value(QStringLiteral("teams")).toArray();
    QVERIFY(teams.contains(QJsonObject {{u"hostname"_qs, host}, {u"team_assignment"_qs, u"Red"_qs}}));
    QCOMPARE(call("DELETE", prefix + u"/teams/" + host).status, 200);

    const Reply audit = call("GET", prefix + u"/audit?table_name=device_teams");
    QCOMPARE(audit.status, 200);
    QVERIFY(audit.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("total")).toInt() >= 3);
}

void TestApi::dynamicConfig_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QString>("firstStored");
    QTest::addColumn<QByteArray>("second");
    QTest::addColumn<QString>("secondStored");
    QTest::newRow("v1 integer") << u"/api/v1"_qs << u"unhandled_threshold"_qs << QByteArray("5") << u"5"_qs
                                << QByteArray("\"7\"") << u"7"_qs;
    QTest::newRow("v2 mode") << u"/api/v2"_qs << u"alerter_shed_mode"_qs << QByteArray("\"defer\"") << u"defer"_qs
                             << QByteArray("\"dlq\"") << u"dlq"_qs;
    QTest::newRow("v2 slo") << u"/api/v2"_qs << u"slo_ingestor_availability_window_hours"_qs << QByteArray("12")
                            << u"12"_qs << QByteArray("6.5") << u"6.5"_qs;
    QTest::newRow("v1 boolean") << u"/api/v1"_qs << u"retention_enforcement_enabled"_qs << QByteArray("false")
                                << u"false"_qs << QByteArray("true") << u"true"_qs;
}

void TestApi::dynamicConfig()
{
    QFETCH(QString, prefix);
    QFETCH(QString, key);
    QFETCH(QByteArray, first);
    QFETCH(QString, firstStored);
    QFETCH(QByteArray, second);
    QFETCH(QString, secondStored);

    const Reply created = call("PUT", prefix + u"/config/" + key, "{\"value\":" + first + ",\"reason\":\"t\"}");
    QCOMPARE(created.status, 200);
    QCOMPARE(created.json().value(QStringLiteral("new_value")).toString(), firstStored);
    QVERIFY(created.json().value(QStringLiteral("old_value")).isNull());
    const Reply updated = call("PUT", prefix + u"/config/" + key, "{\"value\":" + second + "}");
    QCOMPARE(updated.status, 200);
    QCOMPARE(updated.json().value(QStringLiteral("old_value")).toString(), firstStored);
    QCOMPARE(
        call("GET", prefix + u"/config").json().value(u"config"_qs).toObject().value(key).toString(), secondStored);
    QCOMPARE(call("GET", prefix + u"/config/" + key).json().value(u"value"_qs).toString(), secondStored);
    QCOMPARE(call("DELETE", prefix + u"/config/" + key).status, 200);
    QCOMPARE(call("GET", prefix + u"/config/" + key).status, 404);

    const Reply history = call("GET", prefix + u"/config/history?limit=200");
    QCOMPARE(history.status, 200);
    QStringList operations;
    for (const QJsonValue &value : history.json().value(QStringLiteral("history")).toArray()) {
        const QJsonObject row = value.toObject();
        QCOMPARE(row.value(QStringLiteral("table_name")).toString(), u"dynamic_config"_qs);
        const bool deleted = row.value(u"operation"_qs) == u"DELETE"_qs;
        const QJsonObject values = row.value(deleted ? u"old_values"_qs : u"new_values"_qs).toObject();
        if (values.value(QStringLiteral("key")).toString() == key)
            operations.append(row.value(QStringLiteral("operation")).toString());
    }
    operations.sort();
    QCOMPARE(operations, QStringList({u"CREATE"_qs, u"DELETE"_qs, u"UPDATE"_qs}));
}

void TestApi::eventAuditPaging_data()
{
    addPrefixes();
}

void TestApi::eventAuditPaging()
{
    QFETCH(QString, prefix);
    const QString host = u"paging-"_qs + prefix.right(2);
    QList<sql::EventAuditRow> rows;
    for (int n = 0; n < 5; ++n) {
        sql::EventAuditRow row;
        row.eventTimestamp = QDateTime::currentDateTimeUtc().addSecs(-60 * n);
        row.hostname = host;
        row.matchedRuleId = 1;
        row.handlingDecision = QStringLiteral("Ticket_only");
        row.rawMessage = QStringLiteral("{\"message\":\"m%1\"}").arg(n);
        row.correlationId = host + QString::number(n);
        rows.append(row);
    }
    QVERIFY(m_sql->writeEventAudit(rows).ok());

    const Reply page = call("GET", prefix + u"/audit-logs?hostname=" + host + u"&limit=2&page=3");
    QCOMPARE(page.status, 200);
    const QJsonObject pagination = page.json().value(QStringLiteral("pagination")).toObject();
    QCOMPARE(pagination.value(QStringLiteral("total")).toInt(), 5);
    QCOMPARE(pagination.value(QStringLiteral("pages")).toInt(), 3);
    QCOMPARE(pagination.value(QStringLiteral("page")).toInt(), 3);
    const QJsonArray logs = page.json().value(QStringLiteral("logs")).toArray();
    QCOMPARE(logs.size(), 1);
    QVERIFY(isRfc3339Utc(logs.first().toObject().value(QStringLiteral("event_timestamp")).toString()));

    const Reply none = call("GET", prefix + u"/audit-logs?hostname=nobody-here");
    QCOMPARE(none.json().value(u"pagination"_qs).toObject().value(u"pages"_qs).toInt(), 0);
}

void TestApi::changeNotice()
{
    const int before = m_ruleNotices.load();
    QVERIFY(createRule(u"/api/v2"_qs, u"NOTICE"_qs) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_ruleNotices.load() > before, 2000);
    const Reply config = call("GET", u"/api/v2/config"_qs);
    QVERIFY(!config.json().value(u"config"_qs).toObject().contains(u"rules"_qs));
}

void TestApi::ingestRates()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime lastMinute = now.addSecs(-60 - now.time().second());
    const QList<queue::Op> ops {
        queue::Op::increment(u"mutt:metrics:1m:"_qs + lastMinute.toString(u"yyyy-MM-dd'T'HH:mm"_qs), 30, 7200),
        queue::Op::increment(u"mutt:metrics:1h:"_qs + now.toString(u"yyyy-MM-dd'T'HH"_qs), 120, 172800)};
    QVERIFY(m_queue->apply(ops).ok());

    const Reply reply = call("GET", u"/api/v1/metrics"_qs);
    QCOMPARE(reply.status, 200);
    const QJsonObject summary = reply.json().value(u"summary"_qs).toObject();
    // The minute may have rolled over between the write and the read.
    const double current = summary.value(u"current_rate_1m"_qs).toDouble();
    QVERIFY2(current == 30.0 || current == 0.0, qPrintable(QString::number(current)));
    QCOMPARE(summary.value(u"avg_rate_15m"_qs).toDouble(), 2.0);
    QCOMPARE(summary.value(u"avg_rate_1h"_qs).toDouble(), 0.5);
    const QJsonObject chart = reply.json().value(u"chart_24h"_qs).toObject();
    QCOMPARE(chart.value(u"labels"_qs).toArray().size(), 24);
    QCOMPARE(chart.value(u"data"_qs).toArray().last().toDouble(), 2.0);
}

void TestApi::slo()
{
    m_registry
        .counter(u"mutt_ingest_requests_total"_qs, u"h"_qs, {{u"status"_qs, u"success"_qs}, {u"reason"_qs, QString()}})
        .inc(99);
    m_registry
        .counter(u"mutt_ingest_requests_total"_qs, u"h"_qs, {{u"status"_qs, u"fail"_qs}, {u"reason"_qs, u"auth"_qs}})
        .inc(1);

    const Reply reply = call("GET", u"/api/v2/slo"_qs);
    QCOMPARE(reply.status, 200);
    const QJsonArray slos = reply.json().value(u"slos"_qs).toArray();
    QCOMPARE(slos.size(), 6);
    const QJsonObject ingest = slos.at(0).toObject();
    QCOMPARE(ingest.value(u"slo_name"_qs).toString(), u"ingestor_availability"_qs);
    QCOMPARE(ingest.value(u"actual_value"_qs).toDouble(), 0.99);
    QCOMPARE(ingest.value(u"status"_qs).toString(), u"critical"_qs);
    QCOMPARE(slos.at(3).toObject().value(u"status"_qs).toString(), u"unknown"_qs);
    QVERIFY(isRfc3339Utc(reply.json().value(u"timestamp"_qs).toString()));
}

void TestApi::health()
{
    const Reply reply = call("GET", u"/api/v1/health"_qs, {}, {});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(u"status"_qs).toString(), u"healthy"_qs);
}

// An operator pins the circuit OPEN with a reason and an expiry, then
// resets it. GET circuit shows each state, and both changes are in
// config_audit_log with their reason.
void TestApi::circuitForceAndReset()
{
    const Reply initial = call("GET", u"/api/v2/circuit"_qs);
    QCOMPARE(initial.status, 200);
    const QJsonObject closed = initial.json().value(u"circuit"_qs).toObject();
    QCOMPARE(closed.value(u"state"_qs).toString(), u"CLOSED"_qs);
    QCOMPARE(closed.value(u"threshold"_qs).toInt(), m_settings.circuitBreakerThreshold);
    QVERIFY(closed.value(u"forced_until"_qs).isNull());

    const Reply noReason = call("POST", u"/api/v2/circuit/force"_qs, R"({"state":"OPEN","minutes":5})");
    QCOMPARE(noReason.status, 400);
    QVERIFY2(noReason.error().contains(u"reason is required"_qs), qPrintable(noReason.error()));
    const Reply badState
        = call("POST", u"/api/v2/circuit/force"_qs, R"({"state":"HALF_OPEN","minutes":5,"reason":"t"})");
    QCOMPARE(badState.status, 400);
    QVERIFY2(badState.error().startsWith(u"state must be"_qs), qPrintable(badState.error()));
    const Reply badMinutes = call("POST", u"/api/v2/circuit/force"_qs, R"({"state":"OPEN","minutes":0,"reason":"t"})");
    QCOMPARE(badMinutes.status, 400);
    QVERIFY2(badMinutes.error().startsWith(u"minutes must be"_qs), qPrintable(badMinutes.error()));

    const Reply forced
        = call("POST", u"/api/v2/circuit/force"_qs, R"({"state":"OPEN","minutes":5,"reason":"Moogsoft maintenance"})");
    QCOMPARE(forced.status, 200);
    const QJsonObject open = forced.json().value(u"circuit"_qs).toObject();
    QCOMPARE(open.value(u"state"_qs).toString(), u"OPEN"_qs);
    QCOMPARE(open.value(u"forced_reason"_qs).toString(), u"Moogsoft maintenance"_qs);
    QVERIFY(open.value(u"forced_by"_qs).toString().startsWith(u"webui_api:"_qs));
    QVERIFY(isRfc3339Utc(open.value(u"forced_until"_qs).toString()));
    QCOMPARE(call("GET", u"/api/v1/circuit"_qs).json().value(u"circuit"_qs).toObject().value(u"state"_qs).toString(),
        u"OPEN"_qs);

    const Reply reset = call("POST", u"/api/v2/circuit/reset"_qs, R"({"reason":"Moogsoft is back"})");
    QCOMPARE(reset.status, 200);
    QCOMPARE(reset.json().value(u"circuit"_qs).toObject().value(u"state"_qs).toString(), u"CLOSED"_qs);
    QVERIFY(reset.json().value(u"circuit"_qs).toObject().value(u"forced_until"_qs).isNull());

    const Reply audit = call("GET", u"/api/v2/audit?table_name=circuit_breaker"_qs);
    QCOMPARE(audit.status, 200);
    QStringList reasons;
    for (const QJsonValue &value : audit.json().value(u"logs"_qs).toArray()) {
        const QJsonObject row = value.toObject();
        QCOMPARE(row.value(u"operation"_qs).toString(), u"UPDATE"_qs);
        reasons.append(row.value(u"reason"_qs).toString());
    }
    reasons.sort();
    QCOMPARE(reasons, QStringList({u"Moogsoft is back"_qs, u"Moogsoft maintenance"_qs}));
}

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
