#pragma once

#include <QHash>
#include <QString>

#include <chrono>
#include <mutex>
#include <optional>

namespace mutt::config {
struct Settings;
}
namespace mutt::queue {
class Coordination;
}

namespace mutt::alerter {

// The alerter's dynamic-config keys (mutt:config:<key>), read through
// Coordination with a short cache and falling back to Settings when a key is
// absent, unreadable or invalid. Thread-safe.
class AlerterConfig final {
public:
    AlerterConfig(const config::Settings &settings, queue::Coordination &coordination);
    AlerterConfig(const AlerterConfig &) = delete;
    AlerterConfig &operator=(const AlerterConfig &) = delete;

    [[nodiscard]] qint64 queueWarnThreshold();  // alerter_queue_warn_threshold
    [[nodiscard]] qint64 queueShedThreshold();  // alerter_queue_shed_threshold
    [[nodiscard]] QString shedMode();  // alerter_shed_mode, lower case
    [[nodiscard]] std::chrono::milliseconds deferSleep();  // alerter_defer_sleep_ms
    [[nodiscard]] qint64 unhandledThreshold();  // unhandled_threshold
    [[nodiscard]] qint64 unhandledExpirySeconds();  // unhandled_expiry_seconds
    [[nodiscard]] std::chrono::seconds cacheReloadInterval();  // cache_reload_interval

    // Drops a cached key (the config-change subscription calls this).
    void invalidate(const QString &key);

private:
    struct Entry {
        std::optional<QString> value;
        std::chrono::steady_clock::time_point readAt;
    };

    std::optional<QString> raw(const QString &key);
    qint64 integer(const QString &key, qint64 fallback, qint64 minimum);

    const config::Settings &m_settings;
    queue::Coordination &m_coordination;
    std::mutex m_mutex;
    QHash<QString, Entry> m_cache;
    QHash<QString, QString> m_warned;  // key -> last invalid value logged
};

}  // namespace mutt::alerter
