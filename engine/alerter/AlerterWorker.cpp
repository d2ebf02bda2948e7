#include "alerter/AlerterWorker.h"

#include "alerter/AlerterConfig.h"
#include "alerter/AlerterLane.h"
#include "alerter/AlerterMetrics.h"
#include "alerter/RuleCache.h"
#include "alerter/RuleSet.h"
#include "alerter/StopSignal.h"
#include "config/Settings.h"
#include "core/Log.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"

#include <QDateTime>

#include <algorithm>
#include <atomic>

namespace mutt::alerter {
namespace {

using Clock = std::chrono::steady_clock;

auto logger()
{
    return mutt::log::get("alerter");
}

constexpr auto kGaugeEvery = std::chrono::seconds(5);
// How often the alerter compares the SQL store's latest config change with
// the one its rules were loaded at.
constexpr auto kChangeCheckEvery = std::chrono::seconds(2);
constexpr auto kMaxRetryDelay = std::chrono::seconds(30);

bool triggersReload(const QString &key)
{
    return key == u"rules" || key == u"development_hosts" || key == u"device_teams";
}

}  // namespace

// State the config-change subscription may reach after the worker is gone:
// it holds a weak reference, and touches only what lives here.
struct AlerterWorker::Shared {
    Shared(const config::Settings &copy, queue::Coordination &coordination)
        : settings(copy)
        , config(settings, coordination)
    {
    }

    void onConfigChanged(const QString &key)
    {
        config.invalidate(key);
        if (triggersReload(key)) {
            reloadRequested = true;
            signal.notifyAll();
        }
    }

    const config::Settings settings;
    AlerterConfig config;
    StopSignal signal;
    std::atomic<bool> reloadRequested {false};
};

AlerterWorker::AlerterWorker(const config::Settings &settings, queue::QueueStore &queue,
    queue::Coordination &coordination, sql::SqlStore &sql, metrics::MetricsRegistry &metrics, QString podName)
    : m_shared(std::make_shared<Shared>(settings, coordination))
    , m_queue(queue)
    , m_coordination(coordination)
    , m_sql(sql)
    , m_pod(std::move(podName))
    , m_metrics(std::make_unique<AlerterMetrics>(metrics))
    , m_cache(std::make_unique<RuleCache>(sql, *m_metrics))
{
    const int lanes = std::max(1, settings.alerterWorkers);
    for (int n = 1; n <= lanes; ++n) {
        // POD_NAME may not contain '#', so lane names never equal another pod's name.
        const QString suffix = lanes == 1 ? m_pod : m_pod + u'#' + QString::number(n);
        m_processingLists.append(settings.alerterProcessingPrefix + u':' + suffix);
        m_heartbeatKeys.append(settings.alerterHeartbeatPrefix + u':' + suffix);
        m_guards.push_back(std::make_unique<queue::ClaimGuard>(
            queue, m_processingLists.constLast(), m_heartbeatKeys.constLast(), settings.alerterJanitorTimeout));
    }

    coordination.subscribeConfig([weak = std::weak_ptr<Shared>(m_shared)](const QString &key) {
        if (const auto shared = weak.lock())
            shared->onConfigChanged(key);
    });
}

AlerterWorker::~AlerterWorker()
{
    stop();
}

Status AlerterWorker::start()
{
    const config::Settings &settings = m_shared->settings;
    if (settings.alerterBatchSize < 1 || settings.alerterHeartbeatInterval < 1 || settings.janitorInterval < 1
        || settings.alerterJanitorTimeout < 1) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("ALERTER_BATCH_SIZE, ALERTER_HEARTBEAT_INTERVAL, ALERTER_JANITOR_TIMEOUT "
                           "and JANITOR_INTERVAL must be at least 1; fix the configuration"));
    }

    std::lock_guard lifecycle(m_lifecycle);
    if (m_running)
        return {};
    if (settings.alerterJanitorTimeout <= settings.alerterHeartbeatInterval) {
        logger()->warn("ALERTER_JANITOR_TIMEOUT={} is not above ALERTER_HEARTBEAT_INTERVAL={}; heartbeats may "
                       "lapse between writes and peers may recover this worker's items",
            settings.alerterJanitorTimeout, settings.alerterHeartbeatInterval);
    }

    m_shared->signal.reset();
    writeHeartbeats();
    const AlerterDeps deps {settings, m_queue, m_coordination, m_sql, *m_metrics, m_shared->config};
    for (const auto &guard : m_guards)
        m_lanes.push_back(std::make_unique<AlerterLane>(deps, *m_cache, m_shared->signal, *guard));
    for (const auto &lane : m_lanes)
        lane->start();
    m_heartbeatThread = std::thread([this] { heartbeatLoop(); });
    m_maintenanceThread = std::thread([this] { maintenanceLoop(); });
    m_running = true;

    logger()->info("alerter started pod={} lanes={} batch={} ingest_queue={} alert_queue={} dlq={}", m_pod,
        m_lanes.size(), settings.alerterBatchSize, settings.ingestQueue, settings.alertQueue, settings.alerterDlq);
    return {};
}

void AlerterWorker::stop()
{
    std::lock_guard lifecycle(m_lifecycle);
    if (!m_running)
        return;

    logger()->info("alerter stopping pod={}: finishing current batches", m_pod);
    m_shared->signal.requestStop();
    for (const auto &lane : m_lanes)
        lane->join();
    m_lanes.clear();
    m_heartbeatThread.join();
    m_maintenanceThread.join();

    returnClaimed();
    for (const QString &key : std::as_const(m_heartbeatKeys)) {
        if (const Status removed = m_queue.removeValue(key); !removed.ok())
            logger()->warn(
                "heartbeat not removed key={}; reason={}; it expires on its own", key, removed.error().toString());
    }
    m_running = false;
    logger()->info("alerter stopped pod={}", m_pod);
}

void AlerterWorker::reloadRules()
{
    m_shared->reloadRequested = true;
    m_shared->signal.notifyAll();
}

bool AlerterWorker::isRunning() const
{
    std::lock_guard lifecycle(m_lifecycle);
    return m_running;
}

std::shared_ptr<const RuleSet> AlerterWorker::rules() const
{
    return m_cache->current();
}

QStringList AlerterWorker::processingLists() const
{
    return m_processingLists;
}

QStringList AlerterWorker::heartbeatKeys() const
{
    return m_heartbeatKeys;
}

void AlerterWorker::heartbeatLoop()
{
    const auto interval = std::chrono::seconds(m_shared->settings.alerterHeartbeatInterval);
    while (m_shared->signal.waitFor(interval))
        writeHeartbeats();
}

void AlerterWorker::writeHeartbeats()
{
    for (const auto &guard : m_guards) {
        bool foreignWrite = false;
        const Status written = guard->writeHeartbeat(&foreignWrite);
        if (!written.ok())
            logger()->warn("heartbeat not written key={}; reason={}; retrying at the next interval",
                guard->heartbeatKey(), written.error().toString());
        if (foreignWrite)
            logger()->error("another process writes heartbeat key={} pod={}: two processes run with this pod name, "
                            "so they share processing_list={} and events may be processed twice; give every "
                            "process its own POD_NAME or --pod-name",
                guard->heartbeatKey(), m_pod, guard->processingList());
    }
}

void AlerterWorker::maintenanceLoop()
{
    const config::Settings &settings = m_shared->settings;
    const auto janitorEvery = std::chrono::seconds(settings.janitorInterval);
    auto nextReload = Clock::now();
    auto nextChangeCheck = Clock::now() + kChangeCheckEvery;
    bool checkFailing = false;
    auto nextJanitor = Clock::now();
    auto nextGauges = Clock::now();
    int failures = 0;

    while (!m_shared->signal.stopRequested()) {
        const auto now = Clock::now();
        bool changed = false;
        if (now >= nextChangeCheck) {
            // Catches audited changes written by other programs (muttd rules
            // import, the v2.5 web UI's rule changes), which publish no notice.
            const Result<bool> check = m_cache->changedSinceReload();
            changed = check.valueOr(false);
            if (!check && !checkFailing)
                logger()->warn("rule change check failed; reason={}; rules still reload every {} s",
                    check.error().toString(),
                    std::chrono::duration_cast<std::chrono::seconds>(m_shared->config.cacheReloadInterval()).count());
            checkFailing = !check;
            nextChangeCheck = now + kChangeCheckEvery;
        }
        if (m_shared->reloadRequested.exchange(false) || changed || now >= nextReload) {
            const Status loaded = m_cache->reload();
            const auto interval = m_shared->config.cacheReloadInterval();
            if (loaded.ok()) {
                failures = 0;
                nextReload = now + interval;
                m_shared->signal.notifyAll();  // lanes waiting for the first load
            } else {
                ++failures;
                const auto delay = std::min<std::chrono::milliseconds>(
                    {std::chrono::milliseconds(1000LL << std::min(failures - 1, 5)), kMaxRetryDelay, interval});
                nextReload = now + delay;
                logger()->warn("rule cache load failed attempt={} rules_loaded={}; reason={}; retrying in {} ms",
                    failures, m_cache->loaded(), loaded.error().toString(), delay.count());
            }
        }
        if (now >= nextJanitor) {
            runJanitor();
            nextJanitor = now + janitorEvery;
        }
        if (now >= nextGauges) {
            refreshGauges();
            nextGauges = now + kGaugeEvery;
        }

        const auto wake = std::min({nextReload, nextChangeCheck, nextJanitor, nextGauges});
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now());
        m_shared->signal.waitFor(
            std::max(wait, std::chrono::milliseconds(1)), [this] { return m_shared->reloadRequested.load(); });
    }
}

void AlerterWorker::runJanitor()
{
    const config::Settings &settings = m_shared->settings;
    const auto recovered = m_queue.recoverOrphans(
        settings.alerterProcessingPrefix, settings.alerterHeartbeatPrefix, settings.ingestQueue);
    if (!recovered.ok()) {
        logger()->warn("janitor failed prefix={}; reason={}; retrying at the next interval",
            settings.alerterProcessingPrefix, recovered.error().toString());
        return;
    }
    if (recovered.value() > 0)
        logger()->info("janitor recovered items of stopped alerters items={} prefix={} into={}", recovered.value(),
            settings.alerterProcessingPrefix, settings.ingestQueue);
}

void AlerterWorker::refreshGauges()
{
    const config::Settings &settings = m_shared->settings;
    if (const auto depth = m_queue.length(settings.alertQueue); depth.ok())
        m_metrics->queueDepth.set(double(depth.value()));
    if (const auto depth = m_queue.length(settings.alerterDlq); depth.ok())
        m_metrics->dlqDepth.set(double(depth.value()));

    qint64 claimed = 0;
    for (const QString &list : std::as_const(m_processingLists)) {
        if (const auto depth = m_queue.length(list); depth.ok())
            claimed += depth.value();
    }
    m_metrics->processingListDepth.set(double(claimed));
}

void AlerterWorker::returnClaimed()
{
    const QString &ingest = m_shared->settings.ingestQueue;
    for (const QString &list : std::as_const(m_processingLists)) {
        const auto returned = m_queue.returnAll(list, ingest);
        if (!returned.ok()) {
            logger()->error("claimed items not returned processing_list={}; reason={}; the janitor recovers them "
                            "once the heartbeat expires",
                list, returned.error().toString());
            continue;
        }
        if (returned.value() > 0)
            logger()->info(
                "returned claimed items processing_list={} items={} into={}", list, returned.value(), ingest);
    }
    m_metrics->processingListDepth.set(0);
}

}  // namespace mutt::alerter
