// The ingestor role over real HTTP (HttpServer on 127.0.0.1) and a real
// embedded queue store in a temporary folder.

#include "config/Settings.h"
#include "event/Event.h"
#include "http/HttpServer.h"
#include "ingest/IngestService.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace mutt;

namespace {

const QByteArray currentKey = "ingest-key-current-0123";
const QByteArray nextKey = "ingest-key-next-4567";
const QByteArray validEvent = R"({"hostname":"r1","message":"link down","timestamp":"2025-01-15T14:30:22Z"})";

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;

    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

QByteArray gzip(const QByteArray &data)
{
    z_stream stream {};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray readSample(const QString &relativePath)
{
    QFile file(QStringLiteral(MUTT_SHARED_DATA_DIR "/") + relativePath);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestIngest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void singleObject();
    void routes_data();
    void routes();
    void arrayKeepsOrder();
    void ndjsonBody();
    void gzipBody();
    void demoSyslogFile();
    void demoTrapFile();
    void networkDevicesFile();
    void mixedBatch();
    void badRequests_data();
    void badRequests();
    void unauthorized_data();
    void unauthorized();
    void nextKeyAccepted();
    void bodyTooLarge();
    void gzipBomb();
    void rateLimited();
    void queueAtCap();
    void correlationId_data();
    void correlationId();
    void reservedFieldsStripped();
    void bigIntegerAndDuplicateKey();
    void depthAndCounters();
    void serviceInfo();

private:
    void start(const std::function<void(config::Settings &)> &adjust = {});
    Reply post(const QByteArray &body, const QByteArray &contentType = "application/json",
        const QList<QPair<QByteArray, QByteArray>> &headers = {{"X-API-KEY", currentKey}},
        const QByteArray &path = "/ingest");
    Reply get(const QByteArray &path);
    Reply finish(QNetworkReply *reply);
    QList<QByteArray> queued();  // oldest first
    qint64 counter(const QString &key);

    std::unique_ptr<QTemporaryDir> m_dir;
    config::Settings m_settings;
    std::unique_ptr<metrics::MetricsRegistry> m_metrics;
    std::unique_ptr<queue::EmbeddedStore> m_store;
    std::unique_ptr<ingest::IngestService> m_service;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_client;
};

void TestIngest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_metrics = std::make_unique<metrics::MetricsRegistry>();
    queue::EmbeddedStoreOptions options;
    options.sync = queue::EmbeddedSync::Normal;
    auto store = queue::EmbeddedStore::open(m_dir->filePath(QStringLiteral("queue.db")), options);
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    m_store = std::move(store).value();
    m_client = std::make_unique<QNetworkAccessManager>();
}

void TestIngest::cleanup()
{
    if (m_server)
        m_server->close();
    m_server.reset();
    m_service.reset();
    m_store.reset();
    m_metrics.reset();
    m_client.reset();
    m_dir.reset();
}

void TestIngest::start(const std::function<void(config::Settings &)> &adjust)
{
    m_settings = config::Settings();
    m_settings.ingestApiKey = QString::fromLatin1(currentKey);
    m_settings.ingestApiKeyNext = QString::fromLatin1(nextKey);
    m_settings.dataDir = m_dir->path();
    if (adjust)
        adjust(m_settings);

    m_service = std::make_unique<ingest::IngestService>(m_settings, *m_store, *m_store, *m_metrics);
    http::HttpServerOptions options;
    options.name = QStringLiteral("ingest-test");
    options.maxBodyBytes = m_settings.maxBodyBytes;
    m_server = std::make_unique<http::HttpServer>(options);
    m_service->registerRoutes(*m_server);
    const Result<quint16> port = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY2(port.ok(), port.ok() ? "" : qPrintable(port.error().message));
}

Reply TestIngest::post(const QByteArray &body, const QByteArray &contentType,
    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &path)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(QString::fromLatin1(path))));
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return finish(m_client->post(request, body));
}

Reply TestIngest::get(const QByteArray &path)
{
    const QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(QString::fromLatin1(path))));
    return finish(m_client->get(request));
}

Reply TestIngest::finish(QNetworkReply *reply)
{
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(30000);
    Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

QList<QByteArray> TestIngest::queued()
{
    auto items = m_store->range(m_settings.ingestQueue, 0, -1);
    if (!items.ok())
        return {};
    QList<QByteArray> oldestFirst = items.value();
    std::reverse(oldestFirst.begin(), oldestFirst.end());
    return oldestFirst;
}

qint64 TestIngest::counter(const QString &key)
{
    const auto value = m_store->counter(key);
    return value.ok() ? value.value() : -1;
}

void TestIngest::singleObject()
{
    start();

    const Reply reply = post(validEvent);
    const QList<QByteArray> items = queued();

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("status")).toString(), QStringLiteral("queued"));
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 1);
    QCOMPARE(reply.json.value(QStringLiteral("queue_depth")).toInt(), 1);
    QVERIFY(!reply.json.contains(QStringLiteral("rejected")));
    QVERIFY(reply.body.startsWith(R"({"status":"queued","correlation_id":")"));
    QCOMPARE(items.size(), 1);
    const auto event = event::Event::parse(items.first());
    QVERIFY(event.ok());
    QCOMPARE(event.value().correlationId(), reply.json.value(QStringLiteral("correlation_id")).toString());
    QVERIFY(event::parseTimestamp(event.value().string("_received_at")).has_value());
    QVERIFY(items.first().startsWith(QByteArray(validEvent.chopped(1) + R"(,"_correlation_id":")")));
    QCOMPARE(m_metrics->valueOf(QStringLiteral("mutt_ingest_requests_total"),
                 {{QStringLiteral("status"), QStringLiteral("success")}, {QStringLiteral("reason"), QString()}}),
        1.0);
    QCOMPARE(m_metrics->valueOf(
                 QStringLiteral("mutt_ingest_events_total"), {{QStringLiteral("outcome"), QStringLiteral("accepted")}}),
        1.0);
}

void TestIngest::routes_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("ingest") << QByteArray("/ingest");
    QTest::newRow("v1") << QByteArray("/api/v1/ingest");
    QTest::newRow("v2") << QByteArray("/api/v2/ingest");
    QTest::newRow("double slash") << QByteArray("//ingest");
}

void TestIngest::routes()
{
    QFETCH(QByteArray, path);
    start();

    const Reply reply = post(validEvent, "application/json", {{"X-API-KEY", currentKey}}, path);

    QCOMPARE(reply.status, 200);
    QCOMPARE(queued().size(), 1);
}

void TestIngest::arrayKeepsOrder()
{
    start();
    const QByteArray body = R"([{"hostname":"a","message":"1"},{"hostname":"b","message":"2"},)"
                            R"({"hostname":"c","message":"3"}])";

    const Reply reply = post(body);
    const QList<QByteArray> items = queued();

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 3);
    QCOMPARE(items.size(), 3);
    const QString cid = reply.json.value(QStringLiteral("correlation_id")).toString();
    QCOMPARE(event::Event::parse(items[0]).value().hostname(), QStringLiteral("a"));
    QCOMPARE(event::Event::parse(items[2]).value().hostname(), QStringLiteral("c"));
    QCOMPARE(event::Event::parse(items[0]).value().correlationId(), cid + QStringLiteral("-0"));
    QCOMPARE(event::Event::parse(items[2]).value().correlationId(), cid + QStringLiteral("-2"));
    QCOMPARE(event::Event::parse(items[1]).value().string("_timestamp_source"), QStringLiteral("received"));
}

void TestIngest::ndjsonBody()
{
    start();
    const QByteArray body = validEvent + "\r\n\r\n" + validEvent + "\n";

    const Reply ndjson = post(body, "application/x-ndjson");
    const Reply text = post(body, "text/plain");

    QCOMPARE(ndjson.status, 200);
    QCOMPARE(ndjson.json.value(QStringLiteral("accepted")).toInt(), 2);
    QCOMPARE(text.status, 200);
    QCOMPARE(queued().size(), 4);
}

void TestIngest::gzipBody()
{
    start();
    const QByteArray body = '[' + validEvent + ',' + validEvent + ']';

    const Reply reply = post(gzip(body), "application/json", {{"X-API-KEY", currentKey}, {"Content-Encoding", "gzip"}});

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 2);
    QCOMPARE(queued().size(), 2);
}

void TestIngest::demoSyslogFile()
{
    start();
    const QByteArray body = readSample(QStringLiteral("reference-demo/demo_syslog_events.json"));
    QVERIFY(body.contains("\r\n"));

    const Reply reply = post(body);

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 330);
    QCOMPARE(queued().size(), 330);
    QCOMPARE(counter(queue::keys::statAccepted), 330);
}

void TestIngest::demoTrapFile()
{
    start();

    const Reply reply = post(readSample(QStringLiteral("reference-demo/demo_snmp_traps.json")));
    const QList<QByteArray> items = queued();

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 100);
    QCOMPARE(items.size(), 100);
    for (const QByteArray &item : items) {
        const auto trap = event::Event::parse(item);
        QVERIFY(trap.ok());
        QCOMPARE(trap.value().hostname(), trap.value().string("source_ip"));
        QVERIFY(trap.value().message().startsWith(QStringLiteral("SNMP trap ") + *trap.value().trapOid()
            + QStringLiteral(" from ") + trap.value().hostname()));
    }
    QCOMPARE(event::Event::parse(items[1]).value().message(),
        QStringLiteral("SNMP trap 1.3.6.1.6.3.1.1.5.3 from 192.168.1.65: 1.3.6.1.2.1.2.2.1.1=2, "
                       "1.3.6.1.2.1.2.2.1.8=2"));
}

void TestIngest::networkDevicesFile()
{
    start();

    const Reply reply = post(readSample(QStringLiteral("network-devices.ndjson")), "application/x-ndjson");

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 133);
    QCOMPARE(queued().size(), 133);
}

void TestIngest::mixedBatch()
{
    start();
    const QByteArray body = '[' + validEvent + R"(,{"message":"no host"},)" + validEvent
        + R"(,{"hostname":"h","message":"m","syslog_severity":"loud"}])";

    const Reply reply = post(body);
    const auto rejected = m_store->range(queue::keys::rejectedIngest, 0, -1);

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("accepted")).toInt(), 2);
    QCOMPARE(reply.json.value(QStringLiteral("rejected")).toInt(), 2);
    const QJsonArray errors = reply.json.value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].toObject().value(QStringLiteral("index")).toInt(), 1);
    QVERIFY(errors[0].toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("hostname")));
    QCOMPARE(errors[1].toObject().value(QStringLiteral("index")).toInt(), 3);
    QVERIFY(errors[1].toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("\"loud\"")));
    QCOMPARE(queued().size(), 2);
    QVERIFY(rejected.ok());
    QCOMPARE(rejected.value().size(), 2);
    const QJsonObject entry = QJsonDocument::fromJson(rejected.value().last()).object();
    QCOMPARE(entry.value(QStringLiteral("index")).toInt(), 1);
    QCOMPARE(entry.value(QStringLiteral("raw")).toString(), QStringLiteral(R"({"message":"no host"})"));
    QCOMPARE(entry.value(QStringLiteral("correlation_id")).toString(),
        reply.json.value(QStringLiteral("correlation_id")).toString());
    QCOMPARE(counter(queue::keys::statAccepted), 2);
    QCOMPARE(m_metrics->valueOf(
                 QStringLiteral("mutt_ingest_events_total"), {{QStringLiteral("outcome"), QStringLiteral("rejected")}}),
        2.0);
}

void TestIngest::badRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("reason");

    QTest::newRow("bad JSON") << QByteArray(R"({"hostname":"h",)") << QByteArray("application/json")
                              << QStringLiteral("invalid JSON at byte") << QStringLiteral("json");
    QTest::newRow("wrong content type") << validEvent << QByteArray("application/xml")
                                        << QStringLiteral("Content-Type \"application/xml\" is not accepted")
                                        << QStringLiteral("json");
    QTest::newRow("empty array") << QByteArray("[]") << QByteArray("application/json")
                                 << QStringLiteral("array is empty") << QStringLiteral("json");
    QTest::newRow("no valid item") << QByteArray(R"([{"message":"a"},{"message":"b"}])")
                                   << QByteArray("application/json")
                                   << QStringLiteral("none of the 2 events is valid; item 0: missing required field "
                                                     "hostname")
                                   << QStringLiteral("validation");
    QTest::newRow("depth 65") << (QByteArray(64, '[') + "{}" + QByteArray(64, ']')) << QByteArray("application/json")
                              << QStringLiteral("JSON nesting deeper than 64 levels at byte 64")
                              << QStringLiteral("json");
    QTest::newRow("lone surrogate") << QByteArray(R"({"hostname":"h","message":"\udc00"})")
                                    << QByteArray("application/json") << QStringLiteral("lone UTF-16 surrogate \\uDC00")
                                    << QStringLiteral("json");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"hostname\":\"h\",\"message\":\"\xc3\x28\"}")
                                   << QByteArray("application/json") << QStringLiteral("invalid UTF-8 at byte 27")
                                   << QStringLiteral("json");
    QTest::newRow("missing hostname") << QByteArray(R"({"message":"m","timestamp":"2025-01-15T14:30:22Z"})")
                                      << QByteArray("application/json")
                                      << QStringLiteral("missing required field hostname")
                                      << QStringLiteral("validation");
    QTest::newRow("bad severity") << QByteArray(R"({"hostname":"h","message":"m","syslog_severity":"Bogus"})")
                                  << QByteArray("application/json")
                                  << QStringLiteral("syslog_severity must be 0-7 or a syslog severity name")
                                  << QStringLiteral("validation");
    QTest::newRow("bad NDJSON lines") << QByteArray("{nope\n{also nope\n") << QByteArray("application/x-ndjson")
                                      << QStringLiteral("(line 1)") << QStringLiteral("json");
}

void TestIngest::badRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, messagePart);
    QFETCH(QString, reason);
    start();

    const Reply reply = post(body, contentType);

    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QVERIFY2(reply.json.value(QStringLiteral("message")).toString().contains(messagePart), reply.body.constData());
    QVERIFY(!reply.json.value(QStringLiteral("correlation_id")).toString().isEmpty());
    QCOMPARE(queued().size(), 0);
    QCOMPARE(counter(queue::keys::statAccepted), 0);
    QCOMPARE(m_metrics->valueOf(QStringLiteral("mutt_ingest_requests_total"),
                 {{QStringLiteral("status"), QStringLiteral("fail")}, {QStringLiteral("reason"), reason}}),
        1.0);
}

void TestIngest::unauthorized_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("wrong") << QByteArray("not-the-key");
    QTest::newRow("prefix of the key") << currentKey.left(10);
    QTest::newRow("key plus suffix") << (currentKey + "x");
}

void TestIngest::unauthorized()
{
    QFETCH(QByteArray, key);
    start();
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!key.isEmpty())
        headers.append({"X-API-KEY", key});

    const Reply reply = post(validEvent, "application/json", headers);

    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QCOMPARE(reply.json.value(QStringLiteral("message")).toString(), QStringLiteral("Unauthorized"));
    QVERIFY(reply.json.contains(QStringLiteral("correlation_id")));
    const QString hint = reply.json.value(QStringLiteral("hint")).toString();
    QVERIFY2(hint.contains(QStringLiteral("send INGEST_API_KEY in the X-API-KEY header")), qPrintable(hint));
    QCOMPARE(hint.startsWith(QStringLiteral("no API key")), key.isEmpty());
    QCOMPARE(queued().size(), 0);
    QCOMPARE(
        m_metrics->valueOf(QStringLiteral("mutt_ingest_requests_total"),
            {{QStringLiteral("status"), QStringLiteral("fail")}, {QStringLiteral("reason"), QStringLiteral("auth")}}),
        1.0);
}

void TestIngest::nextKeyAccepted()
{
    start();

    const Reply next = post(validEvent, "application/json", {{"x-api-key", nextKey}});

    QCOMPARE(next.status, 200);
    QCOMPARE(queued().size(), 1);
}

void TestIngest::bodyTooLarge()
{
    start([](config::Settings &s) { s.maxBodyBytes = 64 * 1024; });
    QByteArray body = '[' + validEvent;
    while (body.size() < 100 * 1024)
        body += ',' + validEvent;
    body += ']';

    const Reply reply = post(body);

    QCOMPARE(reply.status, 413);
    QCOMPARE(queued().size(), 0);
}

void TestIngest::gzipBomb()
{
    start([](config::Settings &s) { s.maxBodyBytes = 64 * 1024; });
    const QByteArray bomb = gzip(QByteArray(8 * 1024 * 1024, ' '));
    QVERIFY(bomb.size() < 64 * 1024);

    const Reply reply = post(bomb, "application/json", {{"X-API-KEY", currentKey}, {"Content-Encoding", "gzip"}});

    QCOMPARE(reply.status, 413);
    QVERIFY(reply.json.value(QStringLiteral("message")).toString().contains(QStringLiteral("MAX_BODY_BYTES")));
    QCOMPARE(queued().size(), 0);
}

void TestIngest::rateLimited()
{
    start([](config::Settings &s) {
        s.rateLimitEnabled = true;
        s.ingestMaxRate = 5;
        s.ingestRateWindow = 60;
    });
    const QByteArray three = '[' + validEvent + ',' + validEvent + ',' + validEvent + ']';

    const Reply first = post(three);
    const Reply second = post(three);
    const Reply tooBig = post('[' + three.mid(1).chopped(1) + ',' + three.mid(1));

    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 429);
    const int retryAfter = second.header("Retry-After").toInt();
    QVERIFY(retryAfter >= 1);
    QVERIFY(retryAfter <= 60);
    QCOMPARE(second.json.value(QStringLiteral("retry_after")).toInt(), retryAfter);
    QCOMPARE(tooBig.status, 413);
    QCOMPARE(queued().size(), 3);
    QCOMPARE(m_metrics->valueOf(QStringLiteral("mutt_ingest_rate_limit_hits_total")), 2.0);
}

void TestIngest::queueAtCap()
{
    QVERIFY(m_store->apply({queue::Op::pushHead(queue::keys::ingestQueue, {"a", "b", "c", "d", "e"})}).ok());
    start([](config::Settings &s) { s.maxIngestQueueSize = 5; });

    const Reply full = post(validEvent);
    QVERIFY(m_store->setConfig(QStringLiteral("max_ingest_queue_size"), QStringLiteral("7")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_service->queueLimit(), 7, 10000);
    const Reply tooMany = post('[' + validEvent + ',' + validEvent + ',' + validEvent + ']');
    const Reply fits = post('[' + validEvent + ',' + validEvent + ']');

    QCOMPARE(full.status, 503);
    QVERIFY(full.header("Retry-After").toInt() >= 1);
    QCOMPARE(full.json.value(QStringLiteral("queue_limit")).toInt(), 5);
    QCOMPARE(full.json.value(QStringLiteral("queue_depth")).toInt(), 5);
    QCOMPARE(tooMany.status, 503);
    QCOMPARE(tooMany.json.value(QStringLiteral("queue_limit")).toInt(), 7);
    QCOMPARE(fits.status, 200);
    QCOMPARE(queued().size(), 7);
    QCOMPARE(counter(queue::keys::statAccepted), 2);
}

void TestIngest::correlationId_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("kept");
    QTest::newRow("valid") << QByteArray("req-2025.01:abc_DEF-9") << true;
    QTest::newRow("64 chars") << QByteArray(64, 'a') << true;
    QTest::newRow("65 chars") << QByteArray(65, 'a') << false;
    QTest::newRow("space") << QByteArray("has space") << false;
    QTest::newRow("slash") << QByteArray("a/b") << false;
}

void TestIngest::correlationId()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, kept);
    start();

    const Reply reply = post(validEvent, "application/json", {{"X-API-KEY", currentKey}, {"X-Correlation-ID", header}});
    const Reply rejected = post("{", "application/json", {{"X-API-KEY", currentKey}, {"X-Correlation-ID", header}});
    const QString cid = reply.json.value(QStringLiteral("correlation_id")).toString();

    QCOMPARE(reply.status, 200);
    QCOMPARE(cid == QString::fromLatin1(header), kept);
    if (!kept)
        QCOMPARE(cid.size(), 36);
    QCOMPARE(event::Event::parse(queued().first()).value().correlationId(), cid);
    QCOMPARE(rejected.json.value(QStringLiteral("correlation_id")).toString() == QString::fromLatin1(header), kept);
}

void TestIngest::reservedFieldsStripped()
{
    start();
    const QByteArray body = R"({"hostname":"h","message":"m","_retry_count":99,"_dlq_reason":"forced",)"
                            R"("_correlation_id":"spoofed","_moog_retry_count":7,"custom":"kept"})";

    const Reply reply = post(body);
    const auto event = event::Event::parse(queued().first());

    QCOMPARE(reply.status, 200);
    QVERIFY(!event.value().has("_retry_count"));
    QVERIFY(!event.value().has("_dlq_reason"));
    QVERIFY(!event.value().has("_moog_retry_count"));
    QCOMPARE(event.value().correlationId(), reply.json.value(QStringLiteral("correlation_id")).toString());
    QCOMPARE(event.value().string("custom"), QStringLiteral("kept"));
}

void TestIngest::bigIntegerAndDuplicateKey()
{
    start();
    const QByteArray body = R"({"hostname":"first","message":"m","seq":123456789012345678901234567890,)"
                            R"("counter":18446744073709551615,"hostname":"last"})";

    const Reply reply = post(body);
    const QByteArray item = queued().first();

    QCOMPARE(reply.status, 200);
    QVERIFY(item.startsWith(R"({"hostname":"last","message":"m","seq":123456789012345678901234567890,)"
                            R"("counter":18446744073709551615,)"));
}

void TestIngest::depthAndCounters()
{
    start();

    const Reply one = post(validEvent);
    const Reply two = post('[' + validEvent + ',' + validEvent + ']');
    const Reply bad = post(R"({"message":"no host"})");
    const Reply three = post(validEvent + '\n' + validEvent + '\n' + validEvent, "application/x-ndjson");

    QCOMPARE(one.json.value(QStringLiteral("queue_depth")).toInt(), 1);
    QCOMPARE(two.json.value(QStringLiteral("queue_depth")).toInt(), 3);
    QCOMPARE(two.json.value(QStringLiteral("accepted")).toInt(), 2);
    QCOMPARE(bad.status, 400);
    QCOMPARE(three.json.value(QStringLiteral("queue_depth")).toInt(), 6);
    QCOMPARE(queued().size(), 6);
    QCOMPARE(counter(queue::keys::statAccepted), 6);
    const auto minutes = m_store->counters(m_settings.metricsPrefix + QStringLiteral(":1m:"));
    const auto hours = m_store->counters(m_settings.metricsPrefix + QStringLiteral(":1h:"));
    const auto days = m_store->counters(m_settings.metricsPrefix + QStringLiteral(":24h:"));
    qint64 perMinute = 0;
    for (const auto &entry : minutes.value())
        perMinute += entry.second;
    QCOMPARE(perMinute, 6);
    QVERIFY(!hours.value().isEmpty());
    QVERIFY(!days.value().isEmpty());
    QVERIFY(days.value().first().first.startsWith(QStringLiteral("mutt:metrics:24h:20")));
    QCOMPARE(m_metrics->valueOf(QStringLiteral("mutt_ingest_queue_depth")), 6.0);
}

void TestIngest::serviceInfo()
{
    start();

    const Reply reply = get("/");

    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QStringLiteral("service")).toString(), QStringLiteral("MUTT Ingestor Service"));
    QCOMPARE(reply.json.value(QStringLiteral("endpoints")).toObject().value(QStringLiteral("ingest")).toString(),
        QStringLiteral("/ingest"));
}

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
