#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <mutex>

namespace mutt::mockvault {

// Behaviour of the mock for every Vault API call (control calls always work).
enum class VaultMode {
    Normal,
    ServerError,  // 503 {"errors":["..."]}
    Hang,  // no response until the mode changes or the server closes
    Forbidden,  // 403 {"errors":["permission denied"]}
};

struct VaultAnswer {
    int status = 200;
    QJsonObject body;
    bool hang = false;
};

// The Vault behaviour behind MockVaultServer: one AppRole (role_id +
// secret_id), tokens with a TTL, KV v2 secrets by "<mount>/data/<path>".
// Thread-safe; times are passed in so tests can reason about TTLs.
class MockVaultState final {
public:
    MockVaultState(QString roleId, QString secretId, qint64 tokenTtlSeconds);

    VaultAnswer login(const QJsonObject &body, qint64 nowMs);
    VaultAnswer read(const QString &dataPath, const QByteArray &token, qint64 nowMs);
    VaultAnswer lookupSelf(const QByteArray &token, qint64 nowMs);
    VaultAnswer renewSelf(const QByteArray &token, qint64 nowMs);

    // Replaces the data of a secret; dataPath is "<mount>/data/<path>".
    void putSecret(const QString &dataPath, const QJsonObject &data);
    // Every token issued so far stops working (403), as after expiry or revocation.
    void expireTokens();
    void setTokenTtl(qint64 seconds);
    void setMode(VaultMode mode);
    [[nodiscard]] VaultMode mode() const;

    // logins, reads, lookups, renewals, failed (refused) calls, live tokens.
    [[nodiscard]] QJsonObject stats(qint64 nowMs) const;

    static QString modeName(VaultMode mode);
    static bool modeFromName(const QString &name, VaultMode *mode);

private:
    struct Token {
        qint64 expiresAtMs = 0;
    };

    // The response the mode forces, or status 0 when the mode is Normal.
    [[nodiscard]] VaultAnswer forced() const;
    [[nodiscard]] bool tokenValid(const QByteArray &token, qint64 nowMs) const;
    VaultAnswer refuse(int status, const QString &message);
    QJsonObject issue(qint64 nowMs);

    mutable std::mutex m_mutex;
    QString m_roleId;
    QString m_secretId;
    qint64 m_tokenTtlSeconds;
    VaultMode m_mode = VaultMode::Normal;
    QHash<QByteArray, Token> m_tokens;
    QHash<QString, QJsonObject> m_secrets;
    QHash<QString, int> m_versions;
    quint64 m_tokenCounter = 0;

    qint64 m_logins = 0;
    qint64 m_reads = 0;
    qint64 m_lookups = 0;
    qint64 m_renewals = 0;
    qint64 m_refused = 0;
};

}  // namespace mutt::mockvault
