#include "remediation/Remediation.h"

#include "core/Log.h"
#include "event/Event.h"
#include "queue/Coordination.h"
#include "queue/QueueNames.h"
#include "queue/QueueStore.h"
#include "remediation/DlqReplayer.h"
#include "remediation/MoogHealthProbe.h"
#include "remediation/RemediationMetrics.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QUrl>

#include <chrono>

namespace mutt::remediation {
namespace {

// How often the interval is read again while the store cannot be read.
constexpr auto kConfigRetry = std::chrono::seconds(5);

auto logger()
{
    return log::get("remediation");
}

}  // namespace

Remediation::Remediation(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
    metrics::MetricsRegistry &metrics, QString podName)
    : m_settings(settings)
    , m_store(store)
    , m_coordination(coordination)
    , m_podName(std::move(podName))
    , m_metrics(std::make_unique<RemediationMetrics>(metrics))
{
}

Remediation::~Remediation()
{
    stop();
}

Status Remediation::start()
{
    if (isRunning())
        return makeError(ErrorCode::Conflict, QStringLiteral("remediation pod %1 is already running").arg(m_podName));
    if (!m_settings.remediationEnabled) {
        logger()->info("remediation disabled by REMEDIATION_ENABLED=false pod={}; DLQs are not replayed", m_podName);
        return {};
    }

    {
        std::lock_guard lock(m_wake->mutex);
        m_wake->stopRequested = false;
        m_wake->runRequested = false;
        m_wake->intervalChanged = false;
    }
    if (!m_subscribed) {
        // A new remediation_interval applies to the wait in progress, not
        // only to the one after it.
        m_coordination.subscribeConfig([weak = std::weak_ptr<Wake>(m_wake)](const QString &key) {
            const std::shared_ptr<Wake> wake = weak.lock();
            if (!wake || key != u"remediation_interval")
                return;
            {
                std::lock_guard lock(wake->mutex);
                wake->intervalChanged = true;
            }
            wake->changed.notify_all();
        });
        m_subscribed = true;
    }
    m_thread = std::thread([this]() { loop(); });
    logger()->info("remediation started pod={} interval_s={} batch={} max_poison_retries={}", m_podName,
        m_settings.remediationInterval, m_settings.remediationBatchSize, m_settings.maxPoisonRetries);
    return {};
}

void Remediation::stop()
{
    if (!isRunning())
        return;
    {
        std::lock_guard lock(m_wake->mutex);
        m_wake->stopRequested = true;
    }
    m_wake->changed.notify_all();
    m_thread.join();
    logger()->info("remediation stopped pod={}", m_podName);
}

void Remediation::requestRun()
{
    {
        std::lock_guard lock(m_wake->mutex);
        m_wake->runRequested = true;
    }
    m_wake->changed.notify_all();
}

void Remediation::loop()
{
    for (;;) {
        const auto cycleStarted = std::chrono::steady_clock::now();
        runOnce();

        // The next cycle is due one interval after this one started. A new
        // interval moves that time, counted from the same start.
        // When the store cannot be read (a Redis outage), the interval is
        // read again every kConfigRetry instead of waiting out
        // REMEDIATION_INTERVAL, because the stored interval may be shorter.
        for (;;) {
            bool readFailed = false;
            const qint64 intervalSeconds = configNumber(
                QStringLiteral("remediation_interval"), std::max(1, m_settings.remediationInterval), 1, &readFailed);
            const auto due = cycleStarted + std::chrono::seconds(intervalSeconds);
            const auto wakeAt = readFailed ? std::min(due, std::chrono::steady_clock::now() + kConfigRetry) : due;
            std::unique_lock lock(m_wake->mutex);
            m_wake->changed.wait_until(lock, wakeAt,
                [this]() { return m_wake->stopRequested || m_wake->runRequested || m_wake->intervalChanged; });
            if (m_wake->stopRequested)
                return;
            const bool readAgain = readFailed && std::chrono::steady_clock::now() < due;
            if (!m_wake->runRequested && (m_wake->intervalChanged || readAgain)) {
                m_wake->intervalChanged = false;
                continue;
            }
            m_wake->runRequested = false;
            m_wake->intervalChanged = false;
            break;
        }
    }
}

bool Remediation::sleepFor(qint64 ms)
{
    std::unique_lock lock(m_wake->mutex);
    m_wake->changed.wait_for(lock, std::chrono::milliseconds(ms), [this]() { return m_wake->stopRequested; });
    return !m_wake->stopRequested;
}

RemediationReport Remediation::runOnce()
{
    std::lock_guard cycle(m_cycleMutex);
    QElapsedTimer elapsed;
    elapsed.start();
    m_metrics->loops.inc();
    updateDepths();

    RemediationReport report;
    const auto finish = [&]() {
        updateDepths();
        m_metrics->loopDuration.observe(double(elapsed.nsecsElapsed()) / 1e9);
        return report;
    };

    const QUrl url(m_settings.moogWebhookUrl);
    HealthResult health {true, 0, QString()};
    if (m_settings.moogHealthCheckEnabled && !m_settings.moogWebhookUrl.isEmpty())
        health = probeMoogHealth(url, std::max(1, m_settings.moogHealthTimeout) * 1000, m_settings.moogCaFile);
    report.moogHealthy = health.healthy;
    m_metrics->moogHealth.set(health.healthy ? 1 : 0);
    if (!health.healthy) {
        report.skipReason = QStringLiteral("Moogsoft endpoint unhealthy: %1").arg(health.detail);
        logger()->info("replay skipped pod={} host={}: Moogsoft endpoint unhealthy ({}); next check in the next cycle",
            m_podName, url.host(), health.detail);
        return finish();
    }

    ReplayLimits limits;
    limits.batchSize
        = int(configNumber(QStringLiteral("remediation_batch_size"), std::max(1, m_settings.remediationBatchSize), 1));
    limits.maxPoisonRetries
        = int(configNumber(QStringLiteral("max_poison_retries"), std::max(1, m_settings.maxPoisonRetries), 1));
    limits.deadLetter = m_settings.deadLetterQueue;
    limits.rateKey = m_settings.moogRateLimitKey;
    limits.rateLimit
        = configNumber(QStringLiteral("moog_rate_limit"), std::max<qint64>(1, m_settings.moogRateLimit), 1);
    limits.ratePeriodMs
        = configNumber(QStringLiteral("moog_rate_period"), std::max<qint64>(1, m_settings.moogRatePeriod), 1) * 1000;
    limits.circuitEnabled = m_settings.circuitBreakerEnabled;
    limits.circuitPolicy.failureThreshold = int(
        configNumber(QStringLiteral("circuit_breaker_threshold"), std::max(1, m_settings.circuitBreakerThreshold), 1));
    limits.circuitPolicy.openMs
        = configNumber(QStringLiteral("circuit_breaker_timeout"), std::max(0, m_settings.circuitBreakerTimeout), 0)
        * 1000;

    if (limits.circuitEnabled) {
        const auto circuit = m_coordination.circuitStatus(
            queue::keys::circuitName, limits.circuitPolicy, QDateTime::currentMSecsSinceEpoch());
        if (!circuit || circuit.value().state != queue::CircuitState::Closed) {
            report.skipReason = circuit
                ? QStringLiteral("circuit breaker is %1").arg(queue::circuitStateName(circuit.value().state))
                : QStringLiteral("circuit breaker unreadable: %1").arg(circuit.error().toString());
            logger()->info("replay skipped pod={}: {}", m_podName, report.skipReason);
            return finish();
        }
    }

    report.replayRan = true;
    DlqReplayer replayer(m_store, m_coordination, *m_metrics, [this](qint64 ms) { return sleepFor(ms); });
    const ReplayCounts moog
        = replayer.replay({m_settings.moogDlq, m_settings.alertQueue, event::fields::moogRetryCount}, limits);
    ReplayCounts alerter;
    if (!moog.circuitNotClosed && !moog.interrupted)
        alerter = replayer.replay({m_settings.alerterDlq, m_settings.ingestQueue, event::fields::retryCount}, limits);

    report.moogReplayed = moog.replayed;
    report.alerterReplayed = alerter.replayed;
    report.poisoned = moog.poisoned + alerter.poisoned;
    report.failed = moog.failed + alerter.failed;
    report.circuitStopped = moog.circuitNotClosed || alerter.circuitNotClosed;
    if (report.moogReplayed + report.alerterReplayed + report.poisoned + report.failed > 0 || report.circuitStopped) {
        logger()->info("remediation cycle done pod={} moog_replayed={} alerter_replayed={} dead={} failed={} "
                       "stopped_by_circuit={}",
            m_podName, report.moogReplayed, report.alerterReplayed, report.poisoned, report.failed,
            report.circuitStopped);
    }
    return finish();
}

qint64 Remediation::configNumber(const QString &key, qint64 fallback, qint64 minimum, bool *readFailed)
{
    if (!m_settings.dynamicConfigEnabled)
        return fallback;
    const auto value = m_coordination.configValue(key);
    if (!value && readFailed)
        *readFailed = true;
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

void Remediation::updateDepths()
{
    for (const QString &dlq : {m_settings.moogDlq, m_settings.alerterDlq, m_settings.deadLetterQueue}) {
        if (const auto depth = m_store.length(dlq))
            m_metrics->dlqDepth(dlq).set(double(depth.value()));
    }
}

}  // namespace mutt::remediation
