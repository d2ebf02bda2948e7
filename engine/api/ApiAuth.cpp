#include "api/ApiAuth.h"

#include "config/Settings.h"
#include "config/secrets/SecretStore.h"

#include <QCryptographicHash>

namespace mutt::api {

ApiAuth::ApiAuth(const QString &current, const QString &next) : m_keys(current, next) { }

ApiAuth::ApiAuth(ingest::ApiKeyCheck keys) : m_keys(std::move(keys)) { }

ApiAuth ApiAuth::forSettings(const config::Settings &settings)
{
    if (const std::shared_ptr<config::secrets::SecretStore> secrets = settings.secrets)
        return ApiAuth(ingest::ApiKeyCheck([secrets] { return secrets->webuiKeys(); }));
    return ApiAuth(settings.webuiApiKey, settings.webuiApiKeyNext);
}

QByteArray ApiAuth::presentedKey(const http::HttpRequest &request)
{
    if (request.hasHeader("X-API-KEY"))
        return request.header("X-API-KEY");

    const QByteArray authorization = request.header("Authorization").trimmed();
    static constexpr QByteArrayView bearer("bearer ");
    if (authorization.size() > bearer.size() && authorization.first(bearer.size()).toLower() == bearer)
        return authorization.sliced(bearer.size()).trimmed();
    return {};
}

std::optional<QString> ApiAuth::refusal(const http::HttpRequest &request) const
{
    // v2.5 read the key from ?api_key=. Reject that parameter in any case, with or
    // without a value, so that clients stop putting keys in URLs and access logs.
    if (request.hasQueryKeyAnyCase("api_key"))
        return QStringLiteral("Unauthorized: API keys in the query string are rejected; send the key in the "
                              "X-API-KEY header (or Authorization: Bearer)");

    const QByteArray key = presentedKey(request);
    if (key.isEmpty())
        return QStringLiteral("Unauthorized: no API key; send WEBUI_API_KEY in the X-API-KEY header");
    if (!m_keys.accepts(key))
        return QStringLiteral("Unauthorized: the API key is not valid; send WEBUI_API_KEY in the X-API-KEY header");
    return std::nullopt;
}

QString ApiAuth::callerOf(const http::HttpRequest &request)
{
    const QByteArray key = presentedKey(request);
    if (key.isEmpty())
        return QStringLiteral("webui_api:unknown");
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
    return QStringLiteral("webui_api:") + QString::fromLatin1(digest.first(8));
}

}  // namespace mutt::api
