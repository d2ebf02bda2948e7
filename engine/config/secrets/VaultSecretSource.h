#pragma once

#include "config/secrets/SecretStore.h"
#include "config/secrets/VaultClient.h"
#include "core/Result.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

class QThread;

namespace mutt::config::secrets {

struct VaultTiming {
    int renewThresholdSeconds = 3600;  // VAULT_TOKEN_RENEW_THRESHOLD: renew when the TTL is below
    int renewCheckIntervalSeconds = 300;  // VAULT_RENEW_CHECK_INTERVAL: lookup-self period
    int refreshIntervalSeconds = 60;  // VAULT_SECRETS_REFRESH_INTERVAL: KV re-read period
};

// Source of a SecretStore in HashiCorp Vault: AppRole login and KV v2 read
// at start. A thread then renews the token before expiry, logs in again when
// the token cannot be renewed or was revoked, and re-reads the secret, so a
// value rotated in Vault reaches the consumers without a restart. Only the
// names of secretNames() are taken from the secret.
class VaultSecretSource final {
public:
    VaultSecretSource(VaultOptions options, VaultTiming timing, std::shared_ptr<SecretStore> store);
    ~VaultSecretSource();
    Q_DISABLE_COPY_MOVE(VaultSecretSource)

    // Blocking login and first read; merges the values into the store and
    // returns them. The error names VAULT_ADDR (or the file or path at fault).
    Result<SecretStore::Values> loadInitial();
    // Starts the renewal and re-read thread. Call after loadInitial().
    void start();
    // Asks the thread to re-read the secret now (SIGHUP).
    void refreshNow();
    // Stops the thread; a request in progress is aborted within 100 ms.
    void stop();

    // Empty while the last Vault call succeeded, else its error.
    [[nodiscard]] QString lastError() const;

private:
    using Clock = std::chrono::steady_clock;

    void run();
    void checkToken();
    void refresh();
    Status relogin();
    Status readInto();
    void setToken(const VaultToken &token);
    [[nodiscard]] QByteArray token() const;
    void noteResult(const Status &status, const char *operation);
    [[nodiscard]] Clock::duration checkPeriod() const;

    std::atomic<bool> m_cancel {false};  // aborts a request in progress on stop(); before m_client
    VaultClient m_client;
    VaultTiming m_timing;
    std::shared_ptr<SecretStore> m_store;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    bool m_refreshRequested = false;
    VaultToken m_token;
    QString m_lastError;
    QThread *m_thread = nullptr;
};

}  // namespace mutt::config::secrets
