#include "ingest/IngestAdmission.h"

#include "core/Log.h"
#include "queue/Coordination.h"
#include "queue/QueueNames.h"
#include "queue/QueueStore.h"

#include <QDateTime>

namespace mutt::ingest {

IngestAdmission::IngestAdmission(
    const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination)
    : m_settings(settings)
    , m_store(store)
    , m_coordination(coordination)
    , m_config(coordination, settings.dynamicConfigEnabled)
{
}

qint64 IngestAdmission::queueLimit()
{
    return m_config.positiveInteger(QStringLiteral("max_ingest_queue_size"), m_settings.maxIngestQueueSize);
}

Result<IngestAdmission::QueueCheck> IngestAdmission::checkQueue(qint64 events)
{
    QueueCheck check;
    check.limit = queueLimit();

    {
        // Held across the read so concurrent requests wait for one LLEN
        // instead of each issuing their own.
        const std::lock_guard lock(m_readMutex);
        const auto now = std::chrono::steady_clock::now();
        if (!fresh(now)) {
            const Result<qint64> length = m_store.length(m_settings.ingestQueue);
            if (!length)
                return length.error();
            m_depth.store(length.value(), std::memory_order_relaxed);
            m_depthReadAt.store(now.time_since_epoch().count(), std::memory_order_release);
        }
        check.depth = m_depth.load(std::memory_order_relaxed);
    }

    check.full = check.depth + events > check.limit;
    return check;
}

std::optional<IngestAdmission::QueueCheck> IngestAdmission::cachedQueueCheck(
    qint64 events, std::chrono::steady_clock::time_point now)
{
    const std::optional<qint64> limit
        = m_config.cachedPositiveInteger(QStringLiteral("max_ingest_queue_size"), m_settings.maxIngestQueueSize, now);
    if (!limit)
        return std::nullopt;

    QueueCheck check;
    check.limit = *limit;
    // A read in progress means the cached length has expired, so this check
    // returns nullopt then without waiting for it.
    if (!fresh(now))
        return std::nullopt;
    check.depth = m_depth.load(std::memory_order_relaxed);
    check.full = check.depth + events > check.limit;
    return check;
}

void IngestAdmission::queued(qint64 events)
{
    m_depth.fetch_add(events, std::memory_order_relaxed);
}

bool IngestAdmission::fresh(std::chrono::steady_clock::time_point now) const
{
    const auto readAt = m_depthReadAt.load(std::memory_order_acquire);
    constexpr auto maxAge = std::chrono::duration_cast<std::chrono::steady_clock::duration>(depthMaxAge).count();
    return readAt != 0 && now.time_since_epoch().count() - readAt < maxAge;
}

IngestAdmission::RateCheck IngestAdmission::acquireRate(qint64 events, const QString &correlationId)
{
    RateCheck check;
    check.limit = m_config.positiveInteger(QStringLiteral("ingest_max_rate"), m_settings.ingestMaxRate);
    check.windowSeconds = m_config.positiveInteger(QStringLiteral("ingest_rate_window"), m_settings.ingestRateWindow);
    if (events > check.limit) {
        check.allowed = false;
        check.batchTooLarge = true;
        return check;
    }

    const Result<qint64> wait = m_coordination.rateAcquireMany(queue::keys::ingestRateLimit, events, check.limit,
        check.windowSeconds * 1000, QDateTime::currentMSecsSinceEpoch());
    if (!wait) {
        log::get("ingest")->warn("ingest rate limit not checked cid={} events={}: {}; letting the batch through",
            correlationId, events, wait.error().message);
        return check;
    }
    check.allowed = wait.value() == 0;
    check.retryAfterMs = wait.value();
    return check;
}

}  // namespace mutt::ingest
