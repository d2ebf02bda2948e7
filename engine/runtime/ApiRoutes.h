#pragma once

#include "api/ApiAuth.h"

#include "core/Result.h"
#include "http/HttpServer.h"
#include "runtime/EngineStatus.h"

#include <QByteArray>
#include <QString>

#include <functional>

class QThreadPool;

namespace mutt::runtime {

// The api role's own endpoints: GET /api/v2/status, /api/v2/queues (both
// need the web UI API key, checked by api::ApiAuth) and GET /api/v1/version, /api/v2/version
// (public). Every /api/ response, errors included, carries the MUTT v2.5
// version headers. Unknown GET /api/ paths get a JSON 404.
class ApiRoutes final {
public:
    using StatusProvider = std::function<Result<EngineStatus>()>;

    ApiRoutes(api::ApiAuth auth, StatusProvider status, QThreadPool *pool);

    void registerOn(http::HttpServer &server) const;

    static http::HttpResponse &withVersionHeaders(http::HttpResponse &response);
    static QJsonObject versionBody();

private:
    void answerStatus(const http::HttpRequest &request, http::HttpResponder responder, bool queuesOnly) const;
    static http::HttpResponse unauthorised(const http::HttpRequest &request, const QString &reason);

    api::ApiAuth m_auth;
    StatusProvider m_status;
    QThreadPool *m_pool;
};

}  // namespace mutt::runtime
