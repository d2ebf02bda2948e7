#include "ingest/ConfigCache.h"

#include "core/Log.h"
#include "queue/Coordination.h"

namespace mutt::ingest {

ConfigCache::ConfigCache(queue::Coordination &coordination, bool enabled, std::chrono::milliseconds ttl)
    : m_coordination(coordination)
    , m_enabled(enabled)
    , m_ttl(ttl)
{
}

qint64 ConfigCache::positiveInteger(const QString &key, qint64 fallback)
{
    if (!m_enabled)
        return fallback;

    return toPositiveInteger(key, lookup(key), fallback);
}

std::optional<qint64> ConfigCache::cachedPositiveInteger(
    const QString &key, qint64 fallback, std::chrono::steady_clock::time_point now)
{
    if (!m_enabled)
        return fallback;

    std::optional<QString> text;
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_entries.constFind(key);
        if (it == m_entries.constEnd() || now - it->readAt >= m_ttl)
            return std::nullopt;
        text = it->value;
    }
    return toPositiveInteger(key, text, fallback);
}

qint64 ConfigCache::toPositiveInteger(const QString &key, const std::optional<QString> &text, qint64 fallback) const
{
    bool ok = false;
    const qint64 value = text ? text->trimmed().toLongLong(&ok) : 0;
    if (!text || (ok && value > 0)) {
        if (m_anyReported.load(std::memory_order_relaxed)) {
            const std::lock_guard lock(m_mutex);
            m_reported.remove(key);
            m_anyReported.store(!m_reported.isEmpty(), std::memory_order_relaxed);
        }
        return text ? value : fallback;
    }
    const std::lock_guard lock(m_mutex);
    m_anyReported.store(true, std::memory_order_relaxed);
    const auto reported = m_reported.constFind(key);
    if (reported == m_reported.constEnd() || *reported != *text) {
        m_reported.insert(key, *text);
        log::get("ingest")->warn(
            "dynamic config value ignored key={} value=\"{}\": not a positive integer; using {} until it is "
            "changed",
            key, *text, fallback);
    }
    return fallback;
}

void ConfigCache::invalidate(const QString &key)
{
    const std::lock_guard lock(m_mutex);
    m_entries.remove(key);
}

std::optional<QString> ConfigCache::lookup(const QString &key)
{
    const auto now = std::chrono::steady_clock::now();
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_entries.constFind(key);
        if (it != m_entries.constEnd() && now - it->readAt < m_ttl)
            return it->value;
    }

    // Read outside the lock: a slow store must not serialise every caller.
    const Result<std::optional<QString>> read = m_coordination.configValue(key);
    if (!read) {
        qint64 suppressed = 0;
        if (m_readFailureLog.allow(now, suppressed)) {
            log::get("ingest")->warn("dynamic config read failed key={}: {}; using the configured default ({} more "
                                     "failed reads since the previous warning; one warning per {} s)",
                key, read.error().message, suppressed, kReadFailureLogEvery.count());
        }
        return std::nullopt;
    }

    const std::lock_guard lock(m_mutex);
    m_entries.insert(key, Entry {read.value(), now});
    return read.value();
}

}  // namespace mutt::ingest
