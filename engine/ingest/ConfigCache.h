#pragma once

#include "core/LogThrottle.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

namespace mutt::queue {
class Coordination;
}

namespace mutt::ingest {

// Dynamic configuration values (mutt:config:<key>) read through a short local
// cache, as MUTT v2.5's DynamicConfig did (it cached for 5 s). A change
// published on mutt:config:updates drops the key from the cache at once.
// Thread-safe.
class ConfigCache final {
public:
    ConfigCache(queue::Coordination &coordination, bool enabled,
        std::chrono::milliseconds ttl = std::chrono::milliseconds(1000));

    // The key's value as a positive integer, else `fallback` (key absent,
    // not a positive integer, dynamic config disabled, or the store failing).
    // A value that is not a positive integer is logged once, not on every
    // read, until the key contains another value. A failed read is logged
    // at most once per kReadFailureLogEvery.
    qint64 positiveInteger(const QString &key, qint64 fallback);
    // As positiveInteger(), but never reads the store: nullopt when the key
    // has no fresh cache entry at `now`. Safe on an HTTP I/O thread.
    std::optional<qint64> cachedPositiveInteger(
        const QString &key, qint64 fallback, std::chrono::steady_clock::time_point now);
    void invalidate(const QString &key);

private:
    std::optional<QString> lookup(const QString &key);
    qint64 toPositiveInteger(const QString &key, const std::optional<QString> &text, qint64 fallback) const;

    struct Entry {
        std::optional<QString> value;
        std::chrono::steady_clock::time_point readAt;
    };

    queue::Coordination &m_coordination;
    const bool m_enabled;
    const std::chrono::milliseconds m_ttl;
    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_entries;  // guarded by m_mutex
    mutable QHash<QString, QString> m_reported;  // guarded by m_mutex: the bad value last logged per key
    mutable std::atomic<bool> m_anyReported {false};  // m_reported is not empty
    // A failed read is not cached, so while the store is down every request
    // reads again. One warning per interval, with the count of those suppressed.
    static constexpr std::chrono::seconds kReadFailureLogEvery {10};
    log::LogThrottle m_readFailureLog {kReadFailureLogEvery};
};

}  // namespace mutt::ingest
