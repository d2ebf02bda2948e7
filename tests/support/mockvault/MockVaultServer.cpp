#include "MockVaultServer.h"

#include "http/HttpServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace mutt::mockvault {
namespace {

const QByteArray controlPrefix = QByteArrayLiteral("/_control/");
const QByteArray apiPrefix = QByteArrayLiteral("/v1/");

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

http::HttpResponse errorResponse(int status, const QString &message)
{
    return http::HttpResponse::json(status, QJsonObject {{QStringLiteral("errors"), QJsonArray {message}}});
}

}  // namespace

MockVaultServer::MockVaultServer(MockVaultOptions options, QObject *parent)
    : QObject(parent)
    , m_state(options.roleId, options.secretId, options.tokenTtlSeconds)
{
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("mock-vault"));
    m_context = new QObject;
    m_context->moveToThread(m_thread);
    m_thread->start();

    http::HttpServerOptions serverOptions;
    serverOptions.name = QStringLiteral("mock-vault");
    serverOptions.ioThreads = 1;
    serverOptions.tlsCertFile = options.tlsCertFile;
    serverOptions.tlsKeyFile = options.tlsKeyFile;
    m_tls = !options.tlsCertFile.isEmpty() && !options.tlsKeyFile.isEmpty();
    runOnServerThread([this, serverOptions]() {
        m_server = std::make_unique<http::HttpServer>(serverOptions);
        registerRoutes();
    });
}

MockVaultServer::~MockVaultServer()
{
    close();
    runOnServerThread([this]() { m_server.reset(); });
    m_thread->quit();
    m_thread->wait();
    delete m_context;
}

void MockVaultServer::runOnServerThread(const std::function<void()> &work)
{
    QMetaObject::invokeMethod(m_context, work, Qt::BlockingQueuedConnection);
}

Result<quint16> MockVaultServer::listen(const QHostAddress &address, quint16 port)
{
    Result<quint16> bound = makeError(ErrorCode::Internal, QStringLiteral("listen did not run"));
    runOnServerThread([this, &bound, &address, port]() { bound = m_server->listen(address, port); });
    if (bound)
        m_port = bound.value();
    return bound;
}

void MockVaultServer::close()
{
    releaseHanging();
    runOnServerThread([this]() {
        if (m_server)
            m_server->close();
    });
}

QString MockVaultServer::address() const
{
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(m_port);
}

void MockVaultServer::setMode(VaultMode mode)
{
    m_state.setMode(mode);
    if (mode != VaultMode::Hang)
        releaseHanging();
}

QJsonObject MockVaultServer::stats() const
{
    return m_state.stats(nowMs());
}

int MockVaultServer::hanging()
{
    std::lock_guard lock(m_hangingMutex);
    return int(m_hanging.size());
}

void MockVaultServer::registerRoutes()
{
    const auto onRequest = [this](const http::HttpRequest &request, http::HttpResponder responder) {
        if (request.path.startsWith(controlPrefix))
            handleControl(request, responder);
        else
            handleApi(request, responder);
    };
    for (const char *method : {"GET", "POST", "PUT"})
        m_server->routePrefix(method, "/", onRequest);
}

void MockVaultServer::handleApi(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    if (!request.path.startsWith(apiPrefix)) {
        responder.send(errorResponse(404, QStringLiteral("no handler for route")));
        return;
    }
    const QString route = QString::fromUtf8(request.path.mid(apiPrefix.size()));
    const QByteArray token = request.header("X-Vault-Token");

    if (request.method == "POST" && route == u"auth/approle/login") {
        answer(m_state.login(QJsonDocument::fromJson(request.body).object(), nowMs()), responder);
        return;
    }
    if (request.method == "GET" && route == u"auth/token/lookup-self") {
        answer(m_state.lookupSelf(token, nowMs()), responder);
        return;
    }
    if ((request.method == "POST" || request.method == "PUT") && route == u"auth/token/renew-self") {
        answer(m_state.renewSelf(token, nowMs()), responder);
        return;
    }
    if (request.method == "GET" && route.contains(QStringLiteral("/data/"))) {
        answer(m_state.read(route, token, nowMs()), responder);
        return;
    }
    responder.send(errorResponse(404, QStringLiteral("no handler for route %1").arg(route)));
}

void MockVaultServer::answer(const VaultAnswer &answer, const http::HttpResponder &responder)
{
    if (answer.hang) {
        std::lock_guard lock(m_hangingMutex);
        m_hanging.append(responder);
        return;
    }
    responder.send(http::HttpResponse::json(answer.status, answer.body));
}

void MockVaultServer::releaseHanging()
{
    QList<http::HttpResponder> hanging;
    {
        std::lock_guard lock(m_hangingMutex);
        hanging.swap(m_hanging);
    }
    for (const http::HttpResponder &responder : hanging)
        responder.send(errorResponse(503, QStringLiteral("hanging request released")));
}

void MockVaultServer::handleControl(const http::HttpRequest &request, const http::HttpResponder &responder)
{
    const QByteArray action = request.path.mid(controlPrefix.size());
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonObject ok {{QStringLiteral("status"), QStringLiteral("ok")}};

    if (request.method == "GET" && action == "stats") {
        responder.send(http::HttpResponse::json(200, stats()));
        return;
    }
    if (request.method == "POST" && action == "secret") {
        const QString path = body.value(QStringLiteral("path")).toString();
        if (!path.contains(QStringLiteral("/data/"))) {
            responder.send(errorResponse(400, QStringLiteral("give \"path\" as <mount>/data/<path>")));
            return;
        }
        m_state.putSecret(path, body.value(QStringLiteral("data")).toObject());
        responder.send(http::HttpResponse::json(200, ok));
        return;
    }
    if (request.method == "POST" && action == "expire-tokens") {
        m_state.expireTokens();
        responder.send(http::HttpResponse::json(200, ok));
        return;
    }
    if (request.method == "POST" && action == "token-ttl") {
        m_state.setTokenTtl(body.value(QStringLiteral("ttl")).toInteger(3600));
        responder.send(http::HttpResponse::json(200, ok));
        return;
    }
    if (request.method == "POST" && action == "mode") {
        VaultMode mode = VaultMode::Normal;
        if (!MockVaultState::modeFromName(body.value(QStringLiteral("mode")).toString(), &mode)) {
            responder.send(errorResponse(400, QStringLiteral("\"mode\" must be normal, 5xx, hang or 403")));
            return;
        }
        setMode(mode);
        responder.send(http::HttpResponse::json(200, ok));
        return;
    }
    responder.send(errorResponse(404,
        QStringLiteral("unknown control path %1: use /_control/secret, expire-tokens, token-ttl, mode or stats")
            .arg(QString::fromUtf8(request.path))));
}

}  // namespace mutt::mockvault
