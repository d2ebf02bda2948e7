#pragma once

#include "http/HttpTypes.h"
#include "ingest/IngestAuth.h"

#include <QString>

#include <optional>

namespace mutt::api {

// API-key check of the web UI API: the key comes in the X-API-KEY header or
// as "Authorization: Bearer <key>", and must equal WEBUI_API_KEY or
// WEBUI_API_KEY_NEXT (rotation), compared in constant time. A key in the
// query string (api_key=) is rejected even when it is right, so keys never
// reach URLs, proxies or access logs.
class ApiAuth final {
public:
    ApiAuth(const QString &current, const QString &next);

    // nullopt when the request may pass, else the text of the 401 response.
    [[nodiscard]] std::optional<QString> refusal(const http::HttpRequest &request) const;

    // The presented key: X-API-KEY, else the Bearer token, else empty.
    static QByteArray presentedKey(const http::HttpRequest &request);

    // Who made a change, for config_audit_log: "webui_api:" and the first 8
    // hex digits of the key's SHA-256, which names the key without
    // revealing any of it.
    static QString callerOf(const http::HttpRequest &request);

private:
    ingest::ApiKeyCheck m_keys;
};

}  // namespace mutt::api
