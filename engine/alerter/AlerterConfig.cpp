#include "alerter/AlerterConfig.h"

#include "config/Settings.h"
#include "core/Log.h"
#include "queue/Coordination.h"

namespace mutt::alerter {
namespace {

// v2.5 readers cached for 5 s; the change subscription drops keys sooner.
constexpr auto kCacheTtl = std::chrono::seconds(3);

}  // namespace

AlerterConfig::AlerterConfig(const config::Settings &settings, queue::Coordination &coordination)
    : m_settings(settings)
    , m_coordination(coordination)
{
}

qint64 AlerterConfig::queueWarnThreshold()
{
    return integer(QStringLiteral("alerter_queue_warn_threshold"), m_settings.alerterQueueWarnThreshold, 0);
}

qint64 AlerterConfig::queueShedThreshold()
{
    return integer(QStringLiteral("alerter_queue_shed_threshold"), m_settings.alerterQueueShedThreshold, 0);
}

QString AlerterConfig::shedMode()
{
    const QString key = QStringLiteral("alerter_shed_mode");
    const QString value = raw(key).value_or(m_settings.alerterShedMode).trimmed().toLower();
    if (value == u"defer" || value == u"dlq")
        return value;

    std::lock_guard lock(m_mutex);
    if (m_warned.value(key) != value) {
        m_warned.insert(key, value);
        mutt::log::get("alerter")->warn("dynamic config key={} value='{}' is not defer or dlq; using defer until "
                                        "it is fixed",
            key, value);
    }
    return QStringLiteral("defer");
}

std::chrono::milliseconds AlerterConfig::deferSleep()
{
    return std::chrono::milliseconds(
        integer(QStringLiteral("alerter_defer_sleep_ms"), m_settings.alerterDeferSleepMs, 1));
}

qint64 AlerterConfig::unhandledThreshold()
{
    return integer(QStringLiteral("unhandled_threshold"), m_settings.unhandledThreshold, 1);
}

qint64 AlerterConfig::unhandledExpirySeconds()
{
    return integer(QStringLiteral("unhandled_expiry_seconds"), m_settings.unhandledExpirySeconds, 1);
}

std::chrono::seconds AlerterConfig::cacheReloadInterval()
{
    return std::chrono::seconds(integer(QStringLiteral("cache_reload_interval"), m_settings.cacheReloadInterval, 1));
}

void AlerterConfig::invalidate(const QString &key)
{
    std::lock_guard lock(m_mutex);
    m_cache.remove(key);
}

std::optional<QString> AlerterConfig::raw(const QString &key)
{
    if (!m_settings.dynamicConfigEnabled)
        return std::nullopt;

    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_mutex);
        const auto cached = m_cache.constFind(key);
        if (cached != m_cache.cend() && now - cached->readAt < kCacheTtl)
            return cached->value;
    }

    auto read = m_coordination.configValue(key);
    if (!read.ok()) {
        mutt::log::get("alerter")->debug(
            "dynamic config read failed key={}; reason={}; using the default", key, read.error().toString());
        return std::nullopt;
    }
    std::lock_guard lock(m_mutex);
    m_cache.insert(key, Entry {read.value(), now});
    return read.value();
}

qint64 AlerterConfig::integer(const QString &key, qint64 fallback, qint64 minimum)
{
    const std::optional<QString> value = raw(key);
    if (!value || value->trimmed().isEmpty())
        return fallback;

    bool ok = false;
    const qint64 number = value->trimmed().toLongLong(&ok);
    if (ok && number >= minimum)
        return number;

    std::lock_guard lock(m_mutex);
    if (m_warned.value(key) != *value) {
        m_warned.insert(key, *value);
        mutt::log::get("alerter")->warn("dynamic config key={} value='{}' is not an integer >= {}; using {} until "
                                        "it is fixed",
            key, *value, minimum, fallback);
    }
    return fallback;
}

}  // namespace mutt::alerter
