#include "api/ApiRouter.h"

#include "api/ApiReply.h"
#include "core/Log.h"

#include <QThreadPool>
#include <QUuid>

#include <algorithm>
#include <cctype>
#include <exception>

namespace mutt::api {
namespace {

const QList<QByteArray> &prefixes()
{
    static const QList<QByteArray> list {QByteArrayLiteral("/api/v1/"), QByteArrayLiteral("/api/v2/")};
    return list;
}

const QList<QByteArray> &methods()
{
    static const QList<QByteArray> list {
        QByteArrayLiteral("GET"), QByteArrayLiteral("POST"), QByteArrayLiteral("PUT"), QByteArrayLiteral("DELETE")};
    return list;
}

// Splits the path as received and decodes each segment afterwards, so that
// an encoded slash stays inside its segment (DELETE dev-hosts/a%2Fb).
QStringList segmentsOf(const http::HttpRequest &request)
{
    const QByteArray &raw = request.rawPath.isEmpty() ? request.path : request.rawPath;
    QStringList segments;
    for (const QByteArray &part : raw.split('/')) {
        if (!part.isEmpty())
            segments.append(QString::fromUtf8(QByteArray::fromPercentEncoding(part)));
    }

    static const QStringList versions {QStringLiteral("v1"), QStringLiteral("v2")};
    if (segments.size() < 2 || segments.at(0) != u"api" || !versions.contains(segments.at(1)))
        return {};
    return segments.mid(2);
}

}  // namespace

ApiRouter::ApiRouter(ApiAuth auth, QThreadPool *pool) : m_auth(std::move(auth)), m_pool(pool) { }

void ApiRouter::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.append(Route {method, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler), false});
}

void ApiRouter::addPublic(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.append(Route {method, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler), true});
}

void ApiRouter::registerOn(http::HttpServer &server) const
{
    for (const QByteArray &prefix : prefixes()) {
        for (const QByteArray &method : methods()) {
            server.routePrefix(method, prefix, [this](const http::HttpRequest &request, http::HttpResponder responder) {
                dispatch(request, responder);
            });
        }
    }
}

bool ApiRouter::matches(const Route &route, const QStringList &segments, QStringList *params)
{
    if (route.segments.size() != segments.size())
        return false;
    QStringList found;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &expected = route.segments.at(i);
        if (expected.startsWith(u':'))
            found.append(segments.at(i));
        else if (expected != segments.at(i))
            return false;
    }
    if (params)
        *params = found;
    return true;
}

QString ApiRouter::correlationIdOf(const http::HttpRequest &request)
{
    // 36 characters at most: config_audit_log.correlation_id is VARCHAR(36).
    const QByteArray given = request.header("X-Correlation-ID");
    const bool usable = !given.isEmpty() && given.size() <= 36 && std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
    });
    return usable ? QString::fromLatin1(given) : QUuid::createUuid().toString(QUuid::WithoutBraces);
}

void ApiRouter::dispatch(const http::HttpRequest &request, const http::HttpResponder &responder) const
{
    const QStringList segments = segmentsOf(request);
    const Route *route = nullptr;
    QStringList params;
    QList<QByteArray> allowed;
    for (const Route &candidate : m_routes) {
        if (!matches(candidate, segments, nullptr))
            continue;
        if (candidate.method == request.method) {
            route = &candidate;
            matches(candidate, segments, &params);
            break;
        }
        allowed.append(candidate.method);
    }

    if (!route && allowed.isEmpty()) {
        responder.send(errorReply(
            404, QStringLiteral("Not found: %1; see docs/API.md for the routes").arg(QString::fromUtf8(request.path))));
        return;
    }
    if (!route) {
        http::HttpResponse response = errorReply(405,
            QStringLiteral("Method %1 is not allowed on %2; use %3")
                .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path),
                    QString::fromLatin1(allowed.join(", "))));
        responder.send(response.withHeader(QByteArrayLiteral("Allow"), allowed.join(", ")));
        return;
    }

    const QString correlationId = correlationIdOf(request);
    if (!route->isPublic) {
        if (const std::optional<QString> refusal = m_auth.refusal(request)) {
            responder.send(reply(401,
                QJsonObject {{QStringLiteral("error"), *refusal}, {QStringLiteral("correlation_id"), correlationId}}));
            return;
        }
    }

    // PostgreSQL text columns reject NUL, so a %00 in the path or a query
    // value would otherwise come back as a database error.
    if (request.path.contains('\0') || request.query.contains("%00")) {
        mutt::log::get("api")->warn("request rejected method={} correlation_id={}; reason=NUL character (%00) in "
                                    "the URL, which the client must remove",
            request.method, correlationId);
        responder.send(errorReply(400,
            QStringLiteral("the URL contains a NUL character (%00); remove it from the path and the query string")));
        return;
    }

    // The request lives until the responder sends; the copy keeps the
    // handler independent of the connection's lifetime.
    Handler handler = route->handler;
    m_pool->start([handler, request, responder, params, correlationId] {
        const ApiCall call {request, params, correlationId, ApiAuth::callerOf(request)};
        try {
            http::HttpResponse response = handler(call);
            if (response.status >= 500) {
                mutt::log::get("api")->warn("request failed method={} path={} status={} correlation_id={}; reason={}",
                    request.method, request.path, response.status, correlationId, response.body);
            }
            responder.send(std::move(response));
        } catch (const std::exception &error) {
            mutt::log::get("api")->error("request failed method={} path={} correlation_id={}; reason={}",
                request.method, request.path, correlationId, error.what());
            responder.send(errorReply(
                500, QStringLiteral("Internal server error; see the muttd log, correlation_id=") + correlationId));
        }
    });
}

}  // namespace mutt::api
