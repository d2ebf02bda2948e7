#pragma once

#include "config/secrets/SecretStore.h"
#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace mutt::config::secrets {

struct VaultOptions {
    QString address;  // VAULT_ADDR, e.g. https://vault.example.com:8200
    QString roleId;  // VAULT_ROLE_ID
    QString secretIdFile;  // VAULT_SECRET_ID_FILE, read on every login
    QString mount = QStringLiteral("secret");  // KV v2 mount
    QString path = QStringLiteral("mutt");  // secret path inside the mount
    QString caCertFile;  // VAULT_CACERT; empty: the system CAs
    int timeoutMs = 10'000;  // per request
    // Polled every 100 ms during a request; true aborts it (used on shutdown).
    std::function<bool()> cancelled;
};

struct VaultToken {
    QByteArray token;  // never logged
    qint64 ttlSeconds = 0;
    bool renewable = false;
};

// Blocking calls to the Vault HTTP API: AppRole login, KV v2 read, token
// lookup-self and renew-self. Each call runs a local event loop, so use it
// from a thread that is not serving anything else meanwhile. Error messages
// name VAULT_ADDR and the HTTP status or network error, never a token.
class VaultClient final {
public:
    explicit VaultClient(VaultOptions options);

    Result<VaultToken> login() const;
    // The data map of the KV v2 secret: every string value by key.
    Result<SecretStore::Values> readSecrets(const QByteArray &token) const;
    // Remaining TTL of the token in seconds.
    Result<VaultToken> lookupSelf(const QByteArray &token) const;
    Result<VaultToken> renewSelf(const QByteArray &token) const;

    // "<mount>/data/<path>" with a leading "<mount>/" of the path dropped
    // (MUTT v2.5 read secret/data/secret/mutt for the default path).
    static QString kvDataPath(const QString &mount, const QString &path);
    [[nodiscard]] const VaultOptions &options() const { return m_options; }

private:
    struct Reply {
        int status = 0;  // 0 when no HTTP response arrived
        QJsonObject body;
        QString error;  // network error text
    };

    Reply call(const QByteArray &method, const QString &path, const QByteArray &token, const QJsonObject &body) const;
    Error failure(const QString &what, const Reply &reply) const;
    static VaultToken tokenFromAuth(const QJsonObject &auth, const QByteArray &fallback);

    VaultOptions m_options;
};

}  // namespace mutt::config::secrets
