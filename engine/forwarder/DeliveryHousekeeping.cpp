// DeliveryLoop: heartbeat, janitor, retry promotion, gauges and dynamic configuration.

#include "forwarder/DeliveryLoop.h"

#include "core/Log.h"
#include "queue/QueueNames.h"

#include <QDateTime>

#include <algorithm>

namespace mutt::forwarder {
namespace {

constexpr qint64 promoteIntervalMs = 200;  // due retries wait at most this long past their due time
constexpr qint64 gaugesIntervalMs = 1'000;
constexpr qint64 configIntervalMs = 10'000;  // fallback for missed change notifications
constexpr int promoteBatch = 1'000;

auto logger()
{
    return log::get("forwarder");
}

}  // namespace

void DeliveryLoop::housekeeping(qint64 now)
{
    if (now >= m_nextHeartbeatMs)
        writeHeartbeat(now);
    if (now >= m_nextJanitorMs && !m_stopping) {
        runJanitor();
        m_nextJanitorMs = now + std::max(1, m_settings.janitorInterval) * qint64(1000);
    }
    if (m_unrecorded && m_inFlight.empty() && !m_stopping)
        returnUnrecorded();
    if (now >= m_nextPromoteMs && !m_stopping) {
        promoteDueRetries(now);
        m_nextPromoteMs = now + promoteIntervalMs;
    }
    if (now >= m_nextGaugesMs) {
        refreshGauges();
        m_nextGaugesMs = now + gaugesIntervalMs;
    }
    if (now >= m_nextConfigMs) {
        refreshDynamicConfig();
        m_nextConfigMs = now + configIntervalMs;
    }
}

void DeliveryLoop::writeHeartbeat(qint64 now)
{
    m_nextHeartbeatMs = now + std::max(1, m_settings.moogHeartbeatInterval) * qint64(1000);
    bool foreignWrite = false;
    const Status written = m_guard.writeHeartbeat(&foreignWrite);
    if (foreignWrite) {
        logger()->error("another process writes heartbeat key={} pod={}: two processes run with this pod name, so "
                        "they share processing_list={} and alerts may be sent and counted twice; give every process "
                        "its own POD_NAME or --pod-name",
            m_heartbeatKey, m_podName, m_processingList);
    }
    if (!written) {
        logger()->warn(
            "writing heartbeat failed key={}: {}; retrying in 1 s", m_heartbeatKey, written.error().toString());
        m_nextHeartbeatMs = now + 1000;
    }
}

void DeliveryLoop::runJanitor()
{
    const auto recovered = m_store.recoverOrphans(
        m_settings.moogProcessingPrefix, m_settings.moogHeartbeatPrefix, m_settings.alertQueue);
    if (!recovered) {
        logger()->warn("janitor failed prefix={}: {}; next run in {} s", m_settings.moogProcessingPrefix,
            recovered.error().toString(), m_settings.janitorInterval);
        return;
    }
    if (recovered.value() > 0) {
        logger()->info("janitor recovered alerts of stopped forwarders count={} into={}", recovered.value(),
            m_settings.alertQueue);
    }
}

// Nothing is in flight, so whatever is left in this worker's processing list
// lost its result in a store outage. returnAll moves only what is still
// there: a result batch that was applied but whose answer was lost is not
// returned twice. Alerts delivered before the outage may be sent again.
void DeliveryLoop::returnUnrecorded()
{
    const auto returned = m_store.returnAll(m_processingList, m_settings.alertQueue);
    if (!returned) {
        logger()->warn("returning alerts with unrecorded results failed list={}: {}; retrying at the next "
                       "housekeeping tick",
            m_processingList, returned.error().toString());
        return;
    }
    m_unrecorded = false;
    logger()->info("alerts with unrecorded results returned list={} into={} count={}", m_processingList,
        m_settings.alertQueue, returned.value());
}

// Every alert of the processing list is tracked in m_inFlight from its claim
// until its result batch is applied, so a longer list contains alerts that
// this forwarder does not track. That happens when the store loses
// acknowledged writes, e.g. a Redis restart that drops the last second of its
// append-only file, or a claim whose reply was lost. Those alerts take the
// unrecorded path: dispatch pauses until nothing is in flight, then the list
// goes back to the alert queue.
void DeliveryLoop::noticeStrays(qint64 listed)
{
    if (m_stopping || m_unrecorded || listed <= qint64(m_inFlight.size()))
        return;
    m_unrecorded = true;
    logger()->warn("processing list holds alerts this forwarder does not track list={} listed={} tracked={}; "
                   "returning them to {} once the requests in flight finish",
        m_processingList, listed, m_inFlight.size(), m_settings.alertQueue);
}

void DeliveryLoop::promoteDueRetries(qint64 now)
{
    const auto moved = m_store.promoteDue(m_settings.moogRetrySet, m_settings.alertQueue, now, promoteBatch);
    if (!moved) {
        logger()->warn("moving due retries failed set={}: {}; retrying in {} ms", m_settings.moogRetrySet,
            moved.error().toString(), promoteIntervalMs);
        return;
    }
    if (moved.value() > 0)
        logger()->debug("due retries moved to the alert queue count={}", moved.value());
    if (moved.value() == promoteBatch)
        m_nextPromoteMs = now;  // more may be due
}

void DeliveryLoop::refreshGauges()
{
    if (const auto depth = m_store.length(m_settings.moogDlq))
        m_metrics.dlqDepth.set(double(depth.value()));
    if (const auto depth = m_store.length(m_processingList)) {
        m_metrics.processingListDepth.set(double(depth.value()));
        noticeStrays(depth.value());
    }
    if (const auto scheduled = m_store.scheduledCount(m_settings.moogRetrySet))
        m_metrics.retryScheduled.set(double(scheduled.value()));

    // A worker that sends nothing reads no circuit state otherwise. This
    // read makes its gauge and transition log follow changes by other
    // workers or by an operator within a gauge interval.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_settings.circuitBreakerEnabled && now - m_circuitSeenMs >= gaugesIntervalMs) {
        if (const auto status = m_coordination.circuitStatus(queue::keys::circuitName, m_policy, now))
            observeCircuit(status.value());
    }
}

// Reads a dynamic integer (mutt:config:<key>); the static setting applies
// when the key is absent, unreadable or not an integer >= minimum.
qint64 DeliveryLoop::configNumber(const QString &key, qint64 fallback, qint64 minimum)
{
    const auto value = m_coordination.configValue(key);
    if (!value || !value.value())
        return fallback;

    bool ok = false;
    const qint64 number = value.value()->trimmed().toLongLong(&ok);
    if (!ok || number < minimum) {
        logger()->warn("dynamic config ignored key={} value=\"{}\": expected an integer >= {}; using {}", key,
            *value.value(), minimum, fallback);
        return fallback;
    }
    return number;
}

void DeliveryLoop::refreshDynamicConfig()
{
    if (!m_settings.dynamicConfigEnabled)
        return;

    const qint64 rateLimit
        = configNumber(QStringLiteral("moog_rate_limit"), std::max<qint64>(1, m_settings.moogRateLimit), 1);
    const qint64 ratePeriodMs
        = configNumber(QStringLiteral("moog_rate_period"), std::max<qint64>(1, m_settings.moogRatePeriod), 1) * 1000;
    const int threshold = int(
        configNumber(QStringLiteral("circuit_breaker_threshold"), std::max(1, m_settings.circuitBreakerThreshold), 1));
    const qint64 openMs
        = configNumber(QStringLiteral("circuit_breaker_timeout"), std::max(0, m_settings.circuitBreakerTimeout), 0)
        * 1000;

    if (rateLimit != m_rateLimit || ratePeriodMs != m_ratePeriodMs || threshold != m_policy.failureThreshold
        || openMs != m_policy.openMs) {
        logger()->info("forwarder limits in force rate={}/{}ms circuit_threshold={} circuit_timeout_ms={}", rateLimit,
            ratePeriodMs, threshold, openMs);
    }
    m_rateLimit = rateLimit;
    m_ratePeriodMs = ratePeriodMs;
    m_policy.failureThreshold = threshold;
    m_policy.openMs = openMs;
}

}  // namespace mutt::forwarder
