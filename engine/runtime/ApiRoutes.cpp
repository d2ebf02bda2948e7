#include "runtime/ApiRoutes.h"

#include "api/ApiReply.h"
#include "core/Log.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QThreadPool>
#include <QUuid>

namespace mutt::runtime {
namespace {

QString correlationId(const http::HttpRequest &request)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._:-]{1,64}$"));
    const QString given = QString::fromLatin1(request.header("X-Correlation-ID"));
    if (valid.match(given).hasMatch())
        return given;
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QJsonObject queuesBody(const EngineStatus &status)
{
    const QJsonObject full = toJson(status);
    return QJsonObject {{QStringLiteral("sampled_at"), full.value(QStringLiteral("sampled_at"))},
        {QStringLiteral("queues"), full.value(QStringLiteral("queues"))},
        {QStringLiteral("conservation"), full.value(QStringLiteral("conservation"))}};
}

http::HttpResponse jsonWithVersion(int status, const QJsonObject &body)
{
    http::HttpResponse response = http::HttpResponse::json(status, body);
    return ApiRoutes::withVersionHeaders(response);
}

}  // namespace

ApiRoutes::ApiRoutes(api::ApiAuth auth, StatusProvider status, QThreadPool *pool)
    : m_auth(std::move(auth))
    , m_status(std::move(status))
    , m_pool(pool)
{
}

http::HttpResponse &ApiRoutes::withVersionHeaders(http::HttpResponse &response)
{
    response.withHeader(QByteArrayLiteral("X-API-Version"), QByteArrayLiteral("2.5"));
    response.withHeader(QByteArrayLiteral("X-API-Supported-Versions"), QByteArrayLiteral("2.5, 2.0, 1.0"));
    return response;
}

QJsonObject ApiRoutes::versionBody()
{
    const QJsonObject history {
        {QStringLiteral("2.5"), QJsonObject {{QStringLiteral("status"), QStringLiteral("current")}}},
        {QStringLiteral("2.0"), QJsonObject {{QStringLiteral("status"), QStringLiteral("supported")}}},
        {QStringLiteral("1.0"),
            QJsonObject {{QStringLiteral("status"), QStringLiteral("supported")},
                {QStringLiteral("deprecated_in"), QStringLiteral("3.0")},
                {QStringLiteral("removal_date"), QStringLiteral("2026-01-01")}}},
    };
    return QJsonObject {
        {QStringLiteral("current_version"), QStringLiteral("2.5")},
        {QStringLiteral("default_version"), QStringLiteral("2.5")},
        {QStringLiteral("supported_versions"),
            QJsonArray {QStringLiteral("2.5"), QStringLiteral("2.0"), QStringLiteral("1.0")}},
        {QStringLiteral("version_history"), history},
        {QStringLiteral("server_version"), QStringLiteral(MUTT_VERSION)},
    };
}

http::HttpResponse ApiRoutes::unauthorised(const http::HttpRequest &request, const QString &reason)
{
    return jsonWithVersion(401,
        QJsonObject {{QStringLiteral("error"), reason}, {QStringLiteral("correlation_id"), correlationId(request)}});
}

void ApiRoutes::answerStatus(const http::HttpRequest &request, http::HttpResponder responder, bool queuesOnly) const
{
    if (const std::optional<QString> refusal = m_auth.refusal(request)) {
        responder.send(unauthorised(request, *refusal));
        return;
    }

    StatusProvider provider = m_status;
    m_pool->start([provider, responder, queuesOnly] {
        const Result<EngineStatus> status = provider();
        if (!status) {
            mutt::log::get("api")->warn("status request failed; reason={}", status.error().logText());
            responder.send(
                jsonWithVersion(503, QJsonObject {{QStringLiteral("error"), api::clientMessage(status.error())}}));
            return;
        }
        responder.send(jsonWithVersion(200, queuesOnly ? queuesBody(status.value()) : toJson(status.value())));
    });
}

void ApiRoutes::registerOn(http::HttpServer &server) const
{
    server.route("GET", "/api/v2/status", [this](const http::HttpRequest &request, http::HttpResponder responder) {
        answerStatus(request, responder, false);
    });
    server.route("GET", "/api/v2/queues", [this](const http::HttpRequest &request, http::HttpResponder responder) {
        answerStatus(request, responder, true);
    });
    for (const QByteArray &path : {QByteArrayLiteral("/api/v1/version"), QByteArrayLiteral("/api/v2/version")}) {
        server.route("GET", path, [](const http::HttpRequest &, http::HttpResponder responder) {
            responder.send(jsonWithVersion(200, versionBody()));
        });
    }

    // Unknown GET /api/ paths get JSON and the version headers too. Other
    // methods are left to the server, because a catch-all for them would turn
    // its 405 for known paths into 404.
    server.routePrefix("GET", "/api/", [](const http::HttpRequest &request, http::HttpResponder responder) {
        responder.send(jsonWithVersion(404,
            QJsonObject {
                {QStringLiteral("error"), QString(QStringLiteral("Not found: ") + QString::fromUtf8(request.path))}}));
    });
}

}  // namespace mutt::runtime
