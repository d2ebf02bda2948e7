#pragma once

#include "core/Result.h"
#include "http/HttpServer.h"
#include "runtime/EngineStatus.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

class QThreadPool;

namespace mutt::runtime {

// The api role's own endpoints: GET /api/v2/status, /api/v2/queues (both
// need X-API-KEY = WEBUI_API_KEY) and GET /api/v1/version, /api/v2/version
// (public). Every /api/ response, errors included, carries the MUTT v2.5
// version headers. Unknown GET /api/ paths get a JSON 404.
class ApiRoutes final {
public:
    using StatusProvider = std::function<Result<EngineStatus>()>;

    using KeyProvider = std::function<QStringList()>;

    ApiRoutes(QString webuiApiKey, StatusProvider status, QThreadPool *pool);
    // Accepts any key `keys` returns at the time of the request
    // (WEBUI_API_KEY and WEBUI_API_KEY_NEXT from the live secrets).
    ApiRoutes(KeyProvider keys, StatusProvider status, QThreadPool *pool);

    void registerOn(http::HttpServer &server) const;

    // Constant-time comparison of a presented key with the configured one.
    static bool keyMatches(const QByteArray &presented, const QByteArray &expected);
    static http::HttpResponse &withVersionHeaders(http::HttpResponse &response);
    static QJsonObject versionBody();

private:
    void answerStatus(const http::HttpRequest &request, http::HttpResponder responder, bool queuesOnly) const;
    [[nodiscard]] bool authorised(const http::HttpRequest &request) const;
    static http::HttpResponse unauthorised(const http::HttpRequest &request);

    QByteArray m_key;
    KeyProvider m_keys;
    StatusProvider m_status;
    QThreadPool *m_pool;
};

}  // namespace mutt::runtime
