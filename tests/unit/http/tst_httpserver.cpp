#include "RawHttpClient.h"
#include "TestCertificates.h"

#include "http/HttpDeliveryBatch.h"
#include "http/HttpRequestParser.h"
#include "http/HttpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace mutt::http;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 5000;

HttpResponse textResponse(const QByteArray &body)
{
    return HttpResponse::text(200, body);
}

// Threads started by handlers, joined when each test ends.
struct ThreadBag {
    std::mutex mutex;
    std::vector<std::thread> threads;

    void start(std::function<void()> work)
    {
        std::lock_guard lock(mutex);
        threads.emplace_back(std::move(work));
    }
    void joinAll()
    {
        std::vector<std::thread> running;
        {
            std::lock_guard lock(mutex);
            running.swap(threads);
        }
        for (std::thread &thread : running)
            thread.join();
    }
};

}  // namespace

class TestHttpServer final : public QObject {
    Q_OBJECT

private slots:
    void cleanup();

    void simpleGet();
    void simplePost();
    void keepAliveSequential();
    void pipelineAnswersInOrder();
    void chunkedBody();
    void incrementalParse();
    void expectContinueAccepted();
    void limits_data();
    void limits();
    void malformed_data();
    void malformed();
    void notFound();
    void methodNotAllowed();
    void errorFormatter_data();
    void errorFormatter();
    void defaultErrorBody();
    void timeouts_data();
    void timeouts();
    void responderFromThread();
    void responderDropped();
    void deliveryBatchFromThread();
    void handlerThrows();
    void pathNormalised_data();
    void pathNormalised();
    void queryValues();
    void headerLookup();
    void prefixRoute();
    void manyIdleConnections();
    void http10Closes();
    void http10KeepAlive();
    void connectionLimit();
    void closeDropsConnections();
    void jsonResponse();
    void tls();
    void tlsNeedsBothFiles();

private:
    bool start(HttpServerOptions options = {});
    RawHttpClient *client(bool tls = false);

    std::unique_ptr<HttpServer> m_server;
    std::vector<std::unique_ptr<RawHttpClient>> m_clients;
    std::shared_ptr<ThreadBag> m_threads = std::make_shared<ThreadBag>();
    // Responders of GET /held, answered by the test.
    struct Held {
        std::mutex mutex;
        std::vector<std::pair<QByteArray, HttpResponder>> responders;
    };
    std::shared_ptr<Held> m_held = std::make_shared<Held>();
    quint16 m_port = 0;
};

bool TestHttpServer::start(HttpServerOptions options)
{
    m_server = std::make_unique<HttpServer>(std::move(options));
    HttpServer &server = *m_server;
    auto threads = m_threads;

    server.route(
        "GET", "/hello", [](const HttpRequest &, HttpResponder responder) { responder.send(textResponse("hello")); });
    server.route("POST", "/echo",
        [](const HttpRequest &request, HttpResponder responder) { responder.send(textResponse(request.body)); });
    server.route("GET", "/x",
        [](const HttpRequest &request, HttpResponder responder) { responder.send(textResponse(request.path)); });
    server.route("GET", "/q", [](const HttpRequest &request, HttpResponder responder) {
        responder.send(HttpResponse::json(200,
            QJsonObject {
                {QStringLiteral("path"), QString::fromUtf8(request.path)},
                {QStringLiteral("query"), QString::fromUtf8(request.query)},
                {QStringLiteral("a"), QString::fromUtf8(request.queryValue("a"))},
                {QStringLiteral("b"), QString::fromUtf8(request.queryValue("b"))},
                {QStringLiteral("c"), QString::fromUtf8(request.queryValue("c"))},
                {QStringLiteral("missing"), QString::fromUtf8(request.queryValue("missing"))},
            }));
    });
    // The first request gets its response last, from another thread, after
    // the second and third got theirs at once.
    auto first = std::make_shared<std::optional<HttpResponder>>();
    server.route("GET", "/order", [first, threads](const HttpRequest &request, HttpResponder responder) {
        const QByteArray n = request.queryValue("n");
        if (n == "1") {
            first->emplace(responder);
            return;
        }
        responder.send(textResponse(n));
        if (n == "3") {
            HttpResponder firstResponder = **first;
            threads->start([firstResponder] {
                std::this_thread::sleep_for(100ms);
                firstResponder.send(textResponse("1"));
            });
        }
    });
    server.route("GET", "/later", [threads](const HttpRequest &, HttpResponder responder) {
        threads->start([responder] {
            std::this_thread::sleep_for(50ms);
            responder.send(textResponse("late"));
            responder.send(textResponse("ignored second answer"));
        });
    });
    server.route("GET", "/held", [held = m_held](const HttpRequest &request, HttpResponder responder) {
        std::lock_guard lock(held->mutex);
        held->responders.emplace_back(request.queryValue("n"), responder);
    });
    server.route("GET", "/drop", [](const HttpRequest &, HttpResponder) {});
    server.route("GET", "/throw", [](const HttpRequest &, HttpResponder) { throw std::runtime_error("boom"); });
    server.route("GET", "/header", [](const HttpRequest &request, HttpResponder responder) {
        const QByteArray present = request.hasHeader("x-probe") ? "yes" : "no";
        responder.send(textResponse(present + ':' + request.header("X-PROBE")));
    });
    server.routePrefix("GET", "/items/",
        [](const HttpRequest &request, HttpResponder responder) { responder.send(textResponse(request.path)); });

    const auto bound = server.listen(QHostAddress::LocalHost, 0);
    m_port = bound ? bound.value() : 0;
    return bound.ok() && m_port != 0;
}

RawHttpClient *TestHttpServer::client(bool tls)
{
    m_clients.push_back(std::make_unique<RawHttpClient>(m_port, tls));
    return m_clients.back().get();
}

void TestHttpServer::cleanup()
{
    m_threads->joinAll();
    m_clients.clear();
    m_server.reset();
}

void TestHttpServer::simpleGet()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello"));
    QCOMPARE(response.header("Content-Length"), QByteArray("5"));
    QCOMPARE(response.header("Connection"), QByteArray("keep-alive"));
    QCOMPARE(response.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
}

void TestHttpServer::simplePost()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\nhello world");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello world"));
}

void TestHttpServer::keepAliveSequential()
{
    QVERIFY(start());
    RawHttpClient *c = client();

    for (int i = 0; i < 5; ++i) {
        const QByteArray body = "request " + QByteArray::number(i);
        const QByteArray request = "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        c->send(request);
        QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
        QCOMPARE(c->take().body, body);
    }
    QVERIFY(c->isConnected());
    QCOMPARE(m_server->openConnections(), 1);
}

void TestHttpServer::pipelineAnswersInOrder()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /order?n=1 HTTP/1.1\r\nHost: t\r\n\r\n"
            "GET /order?n=2 HTTP/1.1\r\nHost: t\r\n\r\n"
            "GET /order?n=3 HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 3, kWaitMs);
    QCOMPARE(c->take().body, QByteArray("1"));
    QCOMPARE(c->take().body, QByteArray("2"));
    QCOMPARE(c->take().body, QByteArray("3"));
    QVERIFY(c->isConnected());
}

void TestHttpServer::chunkedBody()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhel");
    QTest::qWait(20);  // lets the server see the body in more than one read
    c->send("lo\r\n6\r\n world\r\n");
    c->send("0\r\nX-Checksum: abc\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello world"));
    QVERIFY(c->isConnected());
}

void TestHttpServer::incrementalParse()
{
    const QByteArray wire = "POST /a%20b//c?x=1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "3\r\nabc\r\n2;e=1\r\nde\r\n0\r\nT: v\r\n\r\n"
                            "GET /next HTTP/1.1\r\n\r\n";
    HttpRequestParser parser(1024, 1024);
    QByteArray buffer;
    qsizetype pos = 0;
    int requests = 0;
    QByteArray firstBody;
    QByteArray firstPath;

    for (const char byte : wire) {
        buffer.append(byte);
        const auto outcome = parser.parse(buffer, pos);
        QVERIFY(outcome != HttpRequestParser::Outcome::Error);
        if (outcome == HttpRequestParser::Outcome::Request && ++requests == 1) {
            firstBody = parser.request().body;
            firstPath = parser.request().path;
        }
    }
    QCOMPARE(requests, 2);
    QCOMPARE(firstBody, QByteArray("abcde"));
    QCOMPARE(firstPath, QByteArray("/a b/c"));
    QCOMPARE(parser.request().path, QByteArray("/next"));
    QCOMPARE(pos, wire.size());
}

void TestHttpServer::expectContinueAccepted()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    QCOMPARE(c->take().status, 100);
    c->send("hello");
    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello"));
}

void TestHttpServer::limits_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    QTest::newRow("declared body") << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n"
        + QByteArray(100, 'x')) << 413;
    QTest::newRow("expect rejected") << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n"
                                                   "Expect: 100-continue\r\n\r\n")
                                     << 413;
    QTest::newRow("chunked total") << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                 "300\r\n"
        + QByteArray(0x300, 'x') + "\r\n300\r\n" + QByteArray(0x300, 'x') + "\r\n0\r\n\r\n")
                                   << 413;
    QTest::newRow("header block") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(2000, 'h')
        + "\r\n\r\n") << 431;
    QTest::newRow("header block without end")
        << QByteArray("GET /hello HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'h')) << 431;
}

void TestHttpServer::limits()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    HttpServerOptions options;
    options.maxBodyBytes = 1024;
    options.maxHeaderBytes = 1024;
    QVERIFY(start(options));
    RawHttpClient *c = client();
    c->send(request);

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::malformed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    QTest::newRow("garbage line") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("binary junk") << QByteArrayLiteral("\x16\x03\x01\x02\x00 junk HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET /hello HTTP/1.1\r\nNoColon\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET /hello HTTP/1.1\r\nHost : t\r\n\r\n") << 400;
    QTest::newRow("bad content length") << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("bad chunk size") << QByteArray("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                    << 400;
    QTest::newRow("chunk without crlf") << QByteArray("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                      "2\r\nabX")
                                        << 400;
    QTest::newRow("length and chunked") << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n"
                                                      "Transfer-Encoding: chunked\r\n\r\n")
                                        << 400;
    QTest::newRow("http 2 version") << QByteArray("GET /hello HTTP/2.0\r\n\r\n") << 505;
}

void TestHttpServer::malformed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send(request);

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    QCOMPARE(c->take().status, status);
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::notFound()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 404);
    QCOMPARE(response.body, QByteArray(R"({"status":"error","message":"No route for GET /nope"})"));
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(c->isConnected());

    // A quote in the decoded path must stay valid JSON.
    c->send("GET /a%22b HTTP/1.1\r\nHost: t\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const QJsonObject json = QJsonDocument::fromJson(c->take().body).object();
    QCOMPARE(json.value(QStringLiteral("message")).toString(), QStringLiteral("No route for GET /a\"b"));
}

void TestHttpServer::methodNotAllowed()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 405);
    QCOMPARE(response.header("Allow"), QByteArray("GET"));
}

void TestHttpServer::errorFormatter_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("path");  // passed to the formatter

    QTest::newRow("404 no route") << QByteArray("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n") << 404 << QByteArray("/nope");
    QTest::newRow("405 wrong method") << QByteArray("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n") << 405
                                      << QByteArray("/hello");
    QTest::newRow("500 handler throws") << QByteArray("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n") << 500
                                        << QByteArray("/throw");
    QTest::newRow("500 responder dropped")
        << QByteArray("GET /drop HTTP/1.1\r\nHost: t\r\n\r\n") << 500 << QByteArray("/drop");
    QTest::newRow("400 bad request line") << QByteArray("GARBAGE\r\n\r\n") << 400 << QByteArray();
    QTest::newRow("413 body too large") << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n")
                                        << 413 << QByteArray("/echo");
    QTest::newRow("413 chunked body too large")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n") << 413
        << QByteArray("/echo");
    QTest::newRow("431 headers too large")
        << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(2000, 'h') + "\r\n\r\n") << 431
        << QByteArray();
    QTest::newRow("408 headers stalled") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\n") << 408 << QByteArray();
}

void TestHttpServer::errorFormatter()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, path);

    // The formatter runs on the I/O threads; the test reads what it saw
    // after the response arrived.
    struct Seen {
        std::mutex mutex;
        QList<int> statuses;
        QList<QByteArray> paths;
    };
    auto seen = std::make_shared<Seen>();
    HttpServerOptions options;
    options.maxBodyBytes = 1024;
    options.maxHeaderBytes = 1024;
    options.headerTimeout = 200ms;
    options.errorFormatter = [seen](int code, const QString &message, const QByteArray &requestPath) {
        {
            std::lock_guard lock(seen->mutex);
            seen->statuses.append(code);
            seen->paths.append(requestPath);
        }
        return HttpResponse::json(code, QJsonObject {{QStringLiteral("error"), message}});
    };
    QVERIFY(start(options));
    RawHttpClient *c = client();
    c->send(request);

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, status);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(body.keys(), QStringList {QStringLiteral("error")});
    QVERIFY2(!body.value(QStringLiteral("error")).toString().isEmpty(), response.body.constData());
    if (status == 405)
        QCOMPARE(response.header("Allow"), QByteArray("GET"));
    if (status != 404 && status != 405 && status != 500)
        QCOMPARE(response.header("Connection"), QByteArray("close"));

    std::lock_guard lock(seen->mutex);
    QCOMPARE(seen->statuses, QList<int> {status});
    QCOMPARE(seen->paths, QList<QByteArray> {path});
}

void TestHttpServer::defaultErrorBody()
{
    const HttpResponse response = defaultErrorResponse(431, QStringLiteral("header block too large"));
    QCOMPARE(response.status, 431);
    QCOMPARE(response.body, QByteArray(R"({"status":"error","message":"header block too large"})"));
}

void TestHttpServer::timeouts_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("timeout");
    QTest::addColumn<int>("answers");

    QTest::newRow("header") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\n") << QByteArray("header") << 1;
    QTest::newRow("nothing sent") << QByteArray() << QByteArray("header") << 0;
    QTest::newRow("body idle") << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
                               << QByteArray("body") << 1;
    QTest::newRow("keep-alive") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n") << QByteArray("keepalive") << 1;
}

void TestHttpServer::timeouts()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, timeout);
    QFETCH(int, answers);
    HttpServerOptions options;
    options.headerTimeout = timeout == "header" ? 200ms : 30s;
    options.bodyIdleTimeout = timeout == "body" ? 200ms : 30s;
    options.keepAliveTimeout = timeout == "keepalive" ? 200ms : 30s;
    QVERIFY(start(options));
    RawHttpClient *c = client();
    QTRY_VERIFY_WITH_TIMEOUT(c->isConnected(), kWaitMs);
    if (!request.isEmpty())
        c->send(request);

    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
    QCOMPARE(c->bufferedResponses(), answers);
    if (timeout != "keepalive" && answers > 0)
        QCOMPARE(c->take().status, 408);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, kWaitMs);
}

void TestHttpServer::responderFromThread()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /later HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(c->take().body, QByteArray("late"));
    QCOMPARE(c->take().body, QByteArray("hello"));

    // The handler's second send was posted before this request arrives, so
    // had it counted it would show up as the next answer.
    m_threads->joinAll();
    c->send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    QCOMPARE(c->take().body, QByteArray("/x"));
    QCOMPARE(c->bufferedResponses(), 0);
}

void TestHttpServer::deliveryBatchFromThread()
{
    QVERIFY(start());
    RawHttpClient *a = client();
    RawHttpClient *b = client();
    a->send("GET /held?n=a1 HTTP/1.1\r\nHost: t\r\n\r\nGET /held?n=a2 HTTP/1.1\r\nHost: t\r\n\r\n");
    b->send("GET /held?n=b1 HTTP/1.1\r\nHost: t\r\n\r\nGET /held?n=b2 HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto heldCount = [this] {
        std::lock_guard lock(m_held->mutex);
        return m_held->responders.size();
    };
    QTRY_COMPARE_WITH_TIMEOUT(heldCount(), size_t(4), kWaitMs);

    // Answered from another thread inside a batch, in reverse order; b2's
    // responder is dropped unanswered, which sends 500 through the batch.
    std::vector<std::pair<QByteArray, HttpResponder>> held;
    {
        std::lock_guard lock(m_held->mutex);
        held.swap(m_held->responders);
    }
    std::thread answering([held = std::move(held)]() mutable {
        const HttpDeliveryBatch batch;
        const HttpDeliveryBatch nested;
        while (!held.empty()) {
            if (held.back().first != "b2")
                held.back().second.send(textResponse(held.back().first));
            held.pop_back();
        }
    });
    answering.join();

    QTRY_COMPARE_WITH_TIMEOUT(a->bufferedResponses(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(b->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(a->take().body, QByteArray("a1"));
    QCOMPARE(a->take().body, QByteArray("a2"));
    QCOMPARE(b->take().body, QByteArray("b1"));
    QCOMPARE(b->take().status, 500);
    QVERIFY(a->isConnected());
    QVERIFY(b->isConnected());
}

void TestHttpServer::responderDropped()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /drop HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    QCOMPARE(c->take().status, 500);
    QVERIFY(c->isConnected());
}

void TestHttpServer::handlerThrows()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    QCOMPARE(c->take().status, 500);
}

void TestHttpServer::pathNormalised_data()
{
    QTest::addColumn<QByteArray>("target");

    QTest::newRow("plain") << QByteArray("/x");
    QTest::newRow("double slash") << QByteArray("//x");
    QTest::newRow("triple slash") << QByteArray("///x");
    QTest::newRow("percent encoded") << QByteArray("/%78");
    QTest::newRow("with query") << QByteArray("//x?y=1");
    QTest::newRow("absolute form") << QByteArray("http://example.test//x");
}

void TestHttpServer::pathNormalised()
{
    QFETCH(QByteArray, target);
    QVERIFY(start());
    RawHttpClient *c = client();
    const QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
    c->send(request);

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("/x"));
}

void TestHttpServer::queryValues()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /q?a=1&b=hello%20world&c=x+y&empty= HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const QJsonObject json = QJsonDocument::fromJson(c->take().body).object();
    QCOMPARE(json.value(QStringLiteral("path")).toString(), QStringLiteral("/q"));
    QCOMPARE(json.value(QStringLiteral("query")).toString(), QStringLiteral("a=1&b=hello%20world&c=x+y&empty="));
    QCOMPARE(json.value(QStringLiteral("a")).toString(), QStringLiteral("1"));
    QCOMPARE(json.value(QStringLiteral("b")).toString(), QStringLiteral("hello world"));
    QCOMPARE(json.value(QStringLiteral("c")).toString(), QStringLiteral("x y"));
    QCOMPARE(json.value(QStringLiteral("missing")).toString(), QString());
}

void TestHttpServer::headerLookup()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /header HTTP/1.1\r\nHost: t\r\nx-PrObE:   value  \r\n\r\nGET /header HTTP/1.1\r\nHost: t\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(c->take().body, QByteArray("yes:value"));
    QCOMPARE(c->take().body, QByteArray("no:"));
}

void TestHttpServer::prefixRoute()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /items/42 HTTP/1.1\r\nHost: t\r\n\r\nPUT /items/42 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(c->take().body, QByteArray("/items/42"));
    const auto wrongMethod = c->take();
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET"));
}

void TestHttpServer::manyIdleConnections()
{
    constexpr int kIdle = 2000;
    HttpServerOptions options;
    options.headerTimeout = 60s;
    QVERIFY(start(options));
    for (int i = 0; i < kIdle; ++i)
        client();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), kIdle, 30000);

    RawHttpClient *active = client();
    active->send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(active->hasResponse(), kWaitMs);
    QCOMPARE(active->take().status, 200);
    QCOMPARE(m_server->openConnections(), kIdle + 1);
}

void TestHttpServer::http10Closes()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /hello HTTP/1.0\r\n\r\n");

    QTRY_VERIFY_WITH_TIMEOUT(c->hasResponse(), kWaitMs);
    const auto response = c->take();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::http10KeepAlive()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    c->send("GET /hello HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(c->take().header("Connection"), QByteArray("keep-alive"));
    QCOMPARE(c->take().header("Connection"), QByteArray("close"));
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::connectionLimit()
{
    HttpServerOptions options;
    options.maxConnections = 2;
    QVERIFY(start(options));
    client();
    client();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 2, kWaitMs);

    RawHttpClient *overLimit = client();
    QTRY_VERIFY_WITH_TIMEOUT(overLimit->hasResponse(), kWaitMs);
    QCOMPARE(overLimit->take().status, 503);
    QTRY_VERIFY_WITH_TIMEOUT(overLimit->isClosed(), kWaitMs);
    QCOMPARE(m_server->openConnections(), 2);
}

void TestHttpServer::closeDropsConnections()
{
    QVERIFY(start());
    RawHttpClient *c = client();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 1, kWaitMs);

    m_server->close();
    QCOMPARE(m_server->openConnections(), 0);
    QCOMPARE(m_server->port(), quint16(0));
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::jsonResponse()
{
    const HttpResponse response = HttpResponse::json(201, QJsonObject {{QStringLiteral("a"), 1}});

    QCOMPARE(response.status, 201);
    QCOMPARE(response.body, QByteArray(R"({"a":1})"));
    QCOMPARE(response.headers.size(), 1);
    QCOMPARE(response.headers.first().first, QByteArray("Content-Type"));
    QCOMPARE(response.headers.first().second, QByteArray("application/json"));
}

void TestHttpServer::tls()
{
    QTemporaryDir dir;
    mutt::test::TestCertificates certs;
    QCOMPARE(certs.make(dir.path()), QString());
    HttpServerOptions options;
    options.tlsCertFile = certs.serverCert;
    options.tlsKeyFile = certs.serverKey;
    QVERIFY(start(options));

    RawHttpClient *c = client(true);
    QTRY_VERIFY_WITH_TIMEOUT(c->isConnected(), kWaitMs);
    c->send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");

    QTRY_COMPARE_WITH_TIMEOUT(c->bufferedResponses(), 2, kWaitMs);
    QCOMPARE(c->take().body, QByteArray("hello"));
    QCOMPARE(c->take().body, QByteArray("hello"));
    QTRY_VERIFY_WITH_TIMEOUT(c->isClosed(), kWaitMs);
}

void TestHttpServer::tlsNeedsBothFiles()
{
    HttpServerOptions options;
    options.tlsCertFile = QStringLiteral("/nonexistent/cert.pem");
    HttpServer server(options);

    const auto bound = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(!bound.ok());
    QCOMPARE(bound.error().code, mutt::ErrorCode::InvalidInput);
    QVERIFY(bound.error().message.contains(QStringLiteral("TLS_KEY_FILE")));
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
