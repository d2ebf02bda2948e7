#pragma once

#include "api/ApiAuth.h"
#include "api/ApiCall.h"
#include "http/HttpServer.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <functional>

class QThreadPool;

namespace mutt::api {

// Routes of the web UI API, each served under both /api/v1/ and /api/v2/.
// Patterns are path segments after the prefix, with ":name" for a
// parameter ("rules/:id"). Handlers run on the pool, never on an I/O
// thread; an exception in one becomes a 500. Unknown paths get a JSON
// 404, known paths with another method a JSON 405 with Allow.
class ApiRouter final {
public:
    using Handler = std::function<http::HttpResponse(const ApiCall &call)>;

    ApiRouter(ApiAuth auth, QThreadPool *pool);

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    // As add(), without the API key (version, health).
    void addPublic(const QByteArray &method, const QString &pattern, Handler handler);

    // Registers prefix routes for every method on both prefixes. The router
    // must outlive the server.
    void registerOn(http::HttpServer &server) const;

private:
    struct Route {
        QByteArray method;
        QStringList segments;
        Handler handler;
        bool isPublic = false;
    };

    void dispatch(const http::HttpRequest &request, const http::HttpResponder &responder) const;
    static bool matches(const Route &route, const QStringList &segments, QStringList *params);
    static QString correlationIdOf(const http::HttpRequest &request);

    ApiAuth m_auth;
    QThreadPool *m_pool;
    QList<Route> m_routes;
};

}  // namespace mutt::api
