#include "config/secrets/VaultSecretSource.h"

#include "core/Log.h"

#include <QThread>

#include <algorithm>

namespace mutt::config::secrets {
namespace {

auto logger()
{
    return mutt::log::get("config");
}

SecretStore::Values knownOnly(const SecretStore::Values &values)
{
    SecretStore::Values out;
    for (const QString &name : secretNames()) {
        const auto it = values.constFind(name);
        if (it != values.constEnd() && !it.value().isEmpty())
            out.insert(name, it.value());
    }
    return out;
}

VaultOptions withCancel(VaultOptions options, const std::atomic<bool> &stopping)
{
    options.cancelled = [&stopping] { return stopping.load(); };
    return options;
}

}  // namespace

VaultSecretSource::VaultSecretSource(VaultOptions options, VaultTiming timing, std::shared_ptr<SecretStore> store)
    : m_client(withCancel(std::move(options), m_cancel))
    , m_timing(timing)
    , m_store(std::move(store))
{
}

VaultSecretSource::~VaultSecretSource()
{
    stop();
}

Result<SecretStore::Values> VaultSecretSource::loadInitial()
{
    const Result<VaultToken> login = m_client.login();
    if (!login)
        return login.error();
    setToken(login.value());

    const Result<SecretStore::Values> values = m_client.readSecrets(token());
    if (!values)
        return values.error();
    const SecretStore::Values known = knownOnly(values.value());
    m_store->merge(known);
    logger()->info("read secrets from vault addr={} path={} names={} token_ttl_s={}", m_client.options().address,
        VaultClient::kvDataPath(m_client.options().mount, m_client.options().path),
        QStringList(known.keys()).join(u','), login.value().ttlSeconds);
    return known;
}

void VaultSecretSource::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("vault"));
    m_thread->start();
}

void VaultSecretSource::refreshNow()
{
    {
        std::lock_guard lock(m_mutex);
        m_refreshRequested = true;
    }
    m_wake.notify_all();
}

void VaultSecretSource::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cancel = true;
    m_wake.notify_all();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

QString VaultSecretSource::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void VaultSecretSource::setToken(const VaultToken &token)
{
    std::lock_guard lock(m_mutex);
    m_token = token;
}

QByteArray VaultSecretSource::token() const
{
    std::lock_guard lock(m_mutex);
    return m_token.token;
}

// Looks at the token at least twice per TTL, so a short-lived token is
// renewed before it runs out even with a long VAULT_RENEW_CHECK_INTERVAL.
VaultSecretSource::Clock::duration VaultSecretSource::checkPeriod() const
{
    std::lock_guard lock(m_mutex);
    qint64 seconds = m_timing.renewCheckIntervalSeconds;
    if (m_token.ttlSeconds > 0)
        seconds = std::min(seconds, std::max<qint64>(1, m_token.ttlSeconds / 2));
    return std::chrono::seconds(seconds);
}

void VaultSecretSource::run()
{
    logger()->info("vault renewal started addr={} renew_check_s={} refresh_s={}", m_client.options().address,
        m_timing.renewCheckIntervalSeconds, m_timing.refreshIntervalSeconds);
    Clock::time_point nextCheck = Clock::now() + checkPeriod();
    Clock::time_point nextRefresh = Clock::now() + std::chrono::seconds(m_timing.refreshIntervalSeconds);

    for (;;) {
        bool refreshRequested = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(
                lock, std::min(nextCheck, nextRefresh), [this] { return m_stopping || m_refreshRequested; });
            if (m_stopping)
                break;
            refreshRequested = std::exchange(m_refreshRequested, false);
        }

        if (Clock::now() >= nextCheck) {
            checkToken();
            nextCheck = Clock::now() + checkPeriod();
        }
        if (refreshRequested || Clock::now() >= nextRefresh) {
            refresh();
            nextRefresh = Clock::now() + std::chrono::seconds(m_timing.refreshIntervalSeconds);
        }
    }
    logger()->info("vault renewal stopped addr={}", m_client.options().address);
}

void VaultSecretSource::checkToken()
{
    const Result<VaultToken> looked = m_client.lookupSelf(token());
    if (!looked) {
        logger()->warn("vault token lookup failed; reason={}; logging in again", looked.error().message);
        noteResult(relogin(), "login");
        return;
    }

    setToken(looked.value());
    if (looked.value().ttlSeconds >= m_timing.renewThresholdSeconds || looked.value().ttlSeconds == 0)
        return;  // ttl 0: a token that never expires

    if (!looked.value().renewable) {
        logger()->info("vault token is not renewable ttl_s={}; logging in again", looked.value().ttlSeconds);
        noteResult(relogin(), "login");
        return;
    }
    const Result<VaultToken> renewed = m_client.renewSelf(token());
    if (!renewed) {
        logger()->warn("vault token renewal failed; reason={}; logging in again", renewed.error().message);
        noteResult(relogin(), "login");
        return;
    }
    setToken(renewed.value());
    noteResult({}, "renew");
    logger()->info("vault token renewed ttl_s={}", renewed.value().ttlSeconds);
}

void VaultSecretSource::refresh()
{
    Status read = readInto();
    if (!read && read.error().code == ErrorCode::InvalidInput) {
        // 403 and friends: the token expired or was revoked.
        logger()->warn("vault read refused; reason={}; logging in again", read.error().message);
        if (Status login = relogin(); login)
            read = readInto();
        else
            read = login;
    }
    noteResult(read, "read");
}

Status VaultSecretSource::relogin()
{
    const Result<VaultToken> login = m_client.login();
    if (!login)
        return login.error();
    setToken(login.value());
    logger()->info("vault login done token_ttl_s={}", login.value().ttlSeconds);
    return {};
}

Status VaultSecretSource::readInto()
{
    const Result<SecretStore::Values> values = m_client.readSecrets(token());
    if (!values)
        return values.error();
    const QStringList changed = m_store->merge(knownOnly(values.value()));
    if (!changed.isEmpty())
        logger()->info("vault secrets changed names={}; consumers use the new values from now on", changed.join(u','));
    return {};
}

void VaultSecretSource::noteResult(const Status &status, const char *operation)
{
    std::lock_guard lock(m_mutex);
    if (status) {
        m_lastError.clear();
        return;
    }
    if (m_lastError != status.error().message)
        logger()->error("vault {} failed; reason={}; the last values stay in use, next try at the next interval",
            operation, status.error().message);
    m_lastError = status.error().message;
}

}  // namespace mutt::config::secrets
