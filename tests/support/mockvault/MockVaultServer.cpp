#include "MockVaultServer.h"

#include "http/HttpServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

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
    http::HttpServerOptions serverOptions;
    serverOptions.name = QStringLiteral("mock-vault");
    serverOptions.ioThreads = 1;
    serverOptions.tlsCertFile = options.tlsCertFile;
    serverOptions.tlsKeyFile = options.tlsKeyFile;
    m_host = std::make_unique<testserver::LoopbackHttpHost>(
        serverOptions, [this](http::HttpServer &server) { registerRoutes(server); });
}

MockVaultServer::~MockVaultServer()
{
    close();
    m_host.reset();
}

Result<quint16> MockVaultServer::listen(const QHostAddress &address, quint16 port)
{
    return m_host->listen(address, port);
}

void MockVaultServer::close()
{
    releaseHanging();
    m_host->close();
}

QString MockVaultServer::address() const
{
    return m_host->baseUrl();
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

void MockVaultServer::registerRoutes(http::HttpServer &server)
{
    const auto onRequest = [this](const http::HttpRequest &request, http::HttpResponder responder) {
        if (request.path.startsWith(controlPrefix))
            handleControl(request, responder);
        else
            handleApi(request, responder);
    };
    for (const char *method : {"GET", "POST", "PUT"})
        server.routePrefix(method, "/", onRequest);
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
