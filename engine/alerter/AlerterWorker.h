#pragma once

#include "core/Result.h"
#include "queue/ClaimGuard.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mutt::config {
struct Settings;
}
namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue
namespace mutt::sql {
class SqlStore;
}

namespace mutt::alerter {

class AlerterLane;
class RuleCache;
class RuleSet;
struct AlerterMetrics;

// The alerter role: matches ingest events against the alert rules and
// writes alerts, audit rows, unhandled counters and DLQ entries.
//
// Threads: Settings::alerterWorkers lanes, each with its own processing list
// <prefix>:<pod> (or <prefix>:<pod>-<n> when there are several) and
// heartbeat key; one heartbeat thread that writes every lane's heartbeat
// (epoch ms, TTL ALERTER_JANITOR_TIMEOUT) at start and every
// ALERTER_HEARTBEAT_INTERVAL, so slow processing never lets it lapse; and one
// maintenance thread that runs the janitor (at start and every
// JANITOR_INTERVAL), loads the rules (lanes claim nothing before the first
// successful load; failures are retried with back-off), reloads them every
// cache_reload_interval or on request, and refreshes the depth gauges.
//
// Any process that changes the dynamic-config key "rules" (or
// development_hosts, device_teams) triggers a reload here. Other dynamic keys
// are re-read within a few seconds. All methods are thread-safe.
class AlerterWorker final {
public:
    AlerterWorker(const config::Settings &settings, queue::QueueStore &queue, queue::Coordination &coordination,
        sql::SqlStore &sql, metrics::MetricsRegistry &metrics, QString podName);
    ~AlerterWorker();  // stops
    AlerterWorker(const AlerterWorker &) = delete;
    AlerterWorker &operator=(const AlerterWorker &) = delete;

    // Starts the threads. InvalidInput when a setting cannot work (batch
    // size or intervals below 1). Starting a running worker does nothing.
    Status start();

    // Stops claiming, lets each lane finish its current batch, stops the
    // heartbeat, returns anything still in the processing lists to the
    // ingest queue and removes the heartbeats. Returns after the current
    // batches plus at most a 250 ms claim wait.
    void stop();

    // Asks for a rule reload now (SIGHUP, config change); returns at once.
    void reloadRules();

    [[nodiscard]] bool isRunning() const;
    // The rules in force, or nullptr before the first successful load.
    [[nodiscard]] std::shared_ptr<const RuleSet> rules() const;
    [[nodiscard]] QStringList processingLists() const;
    [[nodiscard]] QStringList heartbeatKeys() const;

private:
    struct Shared;

    void heartbeatLoop();
    void maintenanceLoop();
    void writeHeartbeats();
    void runJanitor();
    void refreshGauges();
    void returnClaimed();

    std::shared_ptr<Shared> m_shared;  // also reached by the config subscription
    queue::QueueStore &m_queue;
    queue::Coordination &m_coordination;
    sql::SqlStore &m_sql;
    QString m_pod;
    std::unique_ptr<AlerterMetrics> m_metrics;
    std::unique_ptr<RuleCache> m_cache;
    QStringList m_processingLists;
    QStringList m_heartbeatKeys;
    // One per lane, in lane order: the lane's processing list and heartbeat.
    std::vector<std::unique_ptr<queue::ClaimGuard>> m_guards;

    mutable std::mutex m_lifecycle;
    bool m_running = false;
    std::vector<std::unique_ptr<AlerterLane>> m_lanes;
    std::thread m_heartbeatThread;
    std::thread m_maintenanceThread;
};

}  // namespace mutt::alerter
