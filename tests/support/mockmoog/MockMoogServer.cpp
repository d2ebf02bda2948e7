#include "MockMoogServer.h"

#include "http/HttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace mutt::mockmoog {
namespace {

const QByteArray controlPrefix = QByteArrayLiteral("/_control/");

http::HttpResponse jsonResponse(int status, const QJsonObject &object)
{
    return http::HttpResponse::json(status, object);
}

http::HttpResponse errorResponse(int status, const QString &message)
{
    QJsonObject object;
    object.insert(QLatin1StringView("status"), QLatin1StringView("error"));
    object.insert(QLatin1StringView("message"), message);
    return jsonResponse(status, object);
}

QJsonValue bodyValue(const QByteArray &body)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QString::fromUtf8(body));
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

QJsonObject recordToJson(const RecordedRequest &record)
{
    QJsonObject object;
    object.insert(QLatin1StringView("path"), QString::fromUtf8(record.path));
    object.insert(QLatin1StringView("has_authorization"), record.hasAuthorization);
    object.insert(QLatin1StringView("authorized"), record.authorized);
    object.insert(QLatin1StringView("content_type"), QString::fromUtf8(record.contentType));
    object.insert(QLatin1StringView("status"), record.status);
    object.insert(QLatin1StringView("received_at_ms"), record.receivedAtMs);
    object.insert(QLatin1StringView("body"), bodyValue(record.body));
    return object;
}

qsizetype queryNumber(const http::HttpRequest &request, QByteArrayView name, qsizetype fallback)
{
    bool ok = false;
    const qsizetype value = request.queryValue(name).toLongLong(&ok);
    return ok && value >= 0 ? value : fallback;
}

}  // namespace

MockMoogServer::MockMoogServer(MockMoogOptions options, QObject *parent)
    : QObject(parent)
    , m_state(options.token, options.maxRecords)
{
    http::HttpServerOptions serverOptions;
    serverOptions.name = QStringLiteral("mock-moog");
    serverOptions.ioThreads = options.ioThreads;
    serverOptions.tlsCertFile = options.tlsCertFile;
    serverOptions.tlsKeyFile = options.tlsKeyFile;
    m_host = std::make_unique<testserver::LoopbackHttpHost>(
        serverOptions, [this](http::HttpServer &server) { registerRoutes(server); });
}

MockMoogServer::~MockMoogServer()
{
    close();
    m_host.reset();
}

Result<quint16> MockMoogServer::listen(const QHostAddress &address, quint16 port)
{
    return m_host->listen(address, port);
}

void MockMoogServer::close()
{
    releaseHanging();
    m_host->close();
}

quint16 MockMoogServer::port() const
{
    return m_host->port();
}

QString MockMoogServer::url(const QString &path) const
{
    return m_host->baseUrl() + path;
}

void MockMoogServer::setMode(const MockMode &mode)
{
    m_state.setMode(mode);
}

MockMode MockMoogServer::mode() const
{
    return m_state.mode();
}

void MockMoogServer::reset()
{
    releaseHanging();
    m_state.reset();
}

QJsonObject MockMoogServer::stats() const
{
    return m_state.stats();
}

QList<RecordedRequest> MockMoogServer::requests(qsizetype offset, qsizetype limit) const
{
    return m_state.requests(offset, limit);
}

void MockMoogServer::registerRoutes(http::HttpServer &server)
{
    server.routePrefix("POST", "/", [this](const http::HttpRequest &request, http::HttpResponder responder) {
        if (request.path.startsWith(controlPrefix))
            handleControl(request, responder);
        else
            handlePost(request, responder);
    });
    const auto onRead = [this](const http::HttpRequest &request, http::HttpResponder responder) {
        if (request.path.startsWith(controlPrefix))
            handleControl(request, responder);
        else
            handleGet(request, responder);
    };
    server.routePrefix("GET", "/", onRead);
    server.routePrefix("HEAD", "/", onRead);
}

void MockMoogServer::handlePost(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    const Answer answer = m_state.recordPost(
        request.path, request.header("authorization"), request.header("content-type"), request.body);
    answerPost(answer, responder);
}

void MockMoogServer::answerPost(const Answer &answer, const http::HttpResponder &responder)
{
    if (answer.hang) {
        hang(responder, true);
        return;
    }

    http::HttpResponse response = http::HttpResponse::text(answer.status, answer.body, "application/json");
    if (!answer.retryAfter.isEmpty())
        response.withHeader("Retry-After", answer.retryAfter);

    if (answer.delayMs > 0) {
        answerLater(answer.delayMs, responder, std::move(response), true);
        return;
    }
    m_state.finishPost();
    responder.send(std::move(response));
}

void MockMoogServer::answerLater(
    int delayMs, const http::HttpResponder &responder, http::HttpResponse response, bool countsAsPost)
{
    QObject *context = m_host->context();
    MockMoogState *state = &m_state;
    QMetaObject::invokeMethod(
        context,
        [context, state, delayMs, responder, response = std::move(response), countsAsPost]() {
            QTimer::singleShot(delayMs, context, [state, responder, response, countsAsPost]() {
                if (countsAsPost)
                    state->finishPost();
                responder.send(response);
            });
        },
        Qt::QueuedConnection);
}

void MockMoogServer::handleGet(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    if (request.path == "/health") {
        QJsonObject object;
        object.insert(QLatin1StringView("service"), QLatin1StringView("mock-moog"));
        object.insert(QLatin1StringView("status"), QLatin1StringView("healthy"));
        responder.send(jsonResponse(200, object));
        return;
    }

    // A GET or HEAD of the webhook URL is a reachability probe: it follows
    // the mode (status, hang, delay) but is neither recorded nor counted.
    const Answer answer = m_state.probeAnswer();
    if (answer.hang) {
        hang(responder, false);
        return;
    }
    http::HttpResponse response = http::HttpResponse::text(answer.status, answer.body, "application/json");
    if (answer.delayMs > 0) {
        answerLater(answer.delayMs, responder, std::move(response), false);
        return;
    }
    responder.send(std::move(response));
}

void MockMoogServer::handleControl(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    const QByteArray action = request.path.mid(controlPrefix.size());

    if (request.method == "POST" && action == "mode") {
        const Result<MockMode> mode = MockMode::fromJson(request.body);
        if (!mode) {
            responder.send(errorResponse(400, mode.error().message));
            return;
        }
        m_state.setMode(mode.value());
        responder.send(jsonResponse(200, mode.value().toJson()));
        return;
    }
    if (request.method == "GET" && action == "mode") {
        responder.send(jsonResponse(200, m_state.mode().toJson()));
        return;
    }
    if (request.method == "POST" && action == "reset") {
        reset();
        QJsonObject object;
        object.insert(QLatin1StringView("status"), QLatin1StringView("reset"));
        responder.send(jsonResponse(200, object));
        return;
    }
    if (request.method == "GET" && action == "stats") {
        responder.send(jsonResponse(200, m_state.stats()));
        return;
    }
    if (request.method == "GET" && action == "requests") {
        const qsizetype offset = queryNumber(request, "offset", 0);
        const qsizetype limit = queryNumber(request, "limit", 1000);
        QJsonArray list;
        for (const RecordedRequest &record : m_state.requests(offset, limit))
            list.append(recordToJson(record));
        QJsonObject object;
        object.insert(QLatin1StringView("total"), m_state.received());
        object.insert(QLatin1StringView("offset"), offset);
        object.insert(QLatin1StringView("requests"), list);
        responder.send(jsonResponse(200, object));
        return;
    }
    responder.send(errorResponse(404,
        QStringLiteral("unknown control path %1: use /_control/mode, stats, "
                       "requests or reset")
            .arg(QString::fromUtf8(request.path))));
}

void MockMoogServer::hang(const http::HttpResponder &responder, bool countsAsPost)
{
    std::lock_guard lock(m_hangingMutex);
    m_hanging.append(Hanging {responder, countsAsPost});
}

void MockMoogServer::releaseHanging()
{
    QList<Hanging> hanging;
    {
        std::lock_guard lock(m_hangingMutex);
        hanging.swap(m_hanging);
    }
    for (const Hanging &entry : hanging) {
        if (entry.countsAsPost)
            m_state.finishPost();
        entry.responder.send(errorResponse(503, QStringLiteral("hanging request released by reset")));
    }
}

}  // namespace mutt::mockmoog
