#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <mutex>

namespace mutt::config::secrets {

// Names of the secrets, as MUTT v2.5 named its Vault keys and environment
// variables.
namespace names {
inline constexpr char16_t ingestApiKey[] = u"INGEST_API_KEY";
inline constexpr char16_t ingestApiKeyNext[] = u"INGEST_API_KEY_NEXT";
inline constexpr char16_t webuiApiKey[] = u"WEBUI_API_KEY";
inline constexpr char16_t webuiApiKeyNext[] = u"WEBUI_API_KEY_NEXT";
inline constexpr char16_t moogApiKey[] = u"MOOG_API_KEY";
inline constexpr char16_t redisPassCurrent[] = u"REDIS_PASS_CURRENT";
inline constexpr char16_t redisPassNext[] = u"REDIS_PASS_NEXT";
inline constexpr char16_t redisPass[] = u"REDIS_PASS";
inline constexpr char16_t dbUser[] = u"DB_USER";
inline constexpr char16_t dbPassCurrent[] = u"DB_PASS_CURRENT";
inline constexpr char16_t dbPassNext[] = u"DB_PASS_NEXT";
inline constexpr char16_t dbPass[] = u"DB_PASS";
}  // namespace names

// Every secret name the daemon reads from the environment, files or Vault.
QStringList secretNames();

// The current value of every secret, shared by the whole process and
// thread-safe. Sources (environment and files, Vault) write into it.
// Consumers read from it each time they use a secret, so a rotated value
// takes effect without a restart. Every value is masked in the logs.
class SecretStore final {
public:
    using Values = QHash<QString, QString>;
    // Called after a change with the names whose value changed; runs on the
    // thread that made the change, outside the store's lock.
    using ChangeCallback = std::function<void(const QStringList &changed)>;

    SecretStore() = default;
    Q_DISABLE_COPY_MOVE(SecretStore)

    // Empty when not set.
    [[nodiscard]] QString value(const QString &name) const;
    [[nodiscard]] Values values() const;
    // Increases on every change; cheap to poll for caches.
    [[nodiscard]] quint64 version() const;

    // Sets the given names; an empty value removes the name. Names not in
    // `values` are left alone. Returns the names whose value changed.
    QStringList merge(const Values &values);

    // Returns an id for removeCallback.
    int onChange(ChangeCallback callback);
    void removeCallback(int id);

    // Redis passwords to try, current first: REDIS_PASS_CURRENT (or
    // REDIS_PASS), then REDIS_PASS_NEXT; empty and repeated values left out.
    [[nodiscard]] QStringList redisPasswords() const;
    // The same for PostgreSQL: DB_PASS_CURRENT (or DB_PASS), DB_PASS_NEXT.
    [[nodiscard]] QStringList dbPasswords() const;
    // DB_USER when a source gave one, else `fallback`.
    [[nodiscard]] QString dbUser(const QString &fallback) const;
    // INGEST_API_KEY and INGEST_API_KEY_NEXT, the set ones.
    [[nodiscard]] QStringList ingestKeys() const;
    // WEBUI_API_KEY and WEBUI_API_KEY_NEXT, the set ones.
    [[nodiscard]] QStringList webuiKeys() const;

private:
    [[nodiscard]] QStringList pair(const QString &current, const QString &legacy, const QString &next) const;

    mutable std::mutex m_mutex;
    Values m_values;
    quint64 m_version = 0;
    QHash<int, ChangeCallback> m_callbacks;
    int m_nextCallbackId = 1;
};

}  // namespace mutt::config::secrets
