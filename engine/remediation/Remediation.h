#pragma once

#include "config/Settings.h"
#include "core/Result.h"

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue

namespace mutt::remediation {

class RemediationMetrics;

// Summary of one remediation cycle.
struct RemediationReport {
    bool replayRan = false;  // the endpoint was healthy and the circuit CLOSED
    QString skipReason;  // why replay did not run, when it did not
    bool moogHealthy = false;
    int moogReplayed = 0;  // mutt:dlq:moog -> alert queue
    int alerterReplayed = 0;  // mutt:dlq:alerter -> ingest queue
    int poisoned = 0;  // -> mutt:dlq:dead
    int failed = 0;
    bool circuitStopped = false;  // the circuit left CLOSED during the cycle
};

// The remediation role. It runs a cycle every REMEDIATION_INTERVAL (dynamic
// remediation_interval). A cycle replays only when the Moogsoft endpoint
// responds to a GET with a status below 500 and the circuit breaker is
// CLOSED. It then moves up to REMEDIATION_BATCH_SIZE of the oldest items of
// mutt:dlq:moog to the alert queue and of mutt:dlq:alerter to the ingest
// queue, paced by the shared Moogsoft rate limiter. Items replayed
// MAX_POISON_RETRIES times go to mutt:dlq:dead instead.
class Remediation final {
public:
    Remediation(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        metrics::MetricsRegistry &metrics, QString podName);
    ~Remediation();
    Remediation(const Remediation &) = delete;
    Remediation &operator=(const Remediation &) = delete;

    // Starts the worker thread, which runs one cycle at once and then one per
    // interval. Conflict when already running.
    Status start();
    // Interrupts a pacing wait, finishes the item being moved and joins.
    void stop();
    [[nodiscard]] bool isRunning() const { return m_thread.joinable(); }

    // Runs one cycle on the calling thread and returns what it did (tests,
    // operator "replay now" from a worker thread). Blocks for the health
    // check and the rate-limit pacing; never call it on a GUI thread.
    RemediationReport runOnce();
    // Wakes the worker thread to run a cycle now.
    void requestRun();

private:
    void loop();
    [[nodiscard]] bool sleepFor(qint64 ms);
    // `readFailed`, when given, is set when the store could not be read, so
    // that the fallback is only a stand-in for the configured value.
    [[nodiscard]] qint64 configNumber(const QString &key, qint64 fallback, qint64 minimum, bool *readFailed = nullptr);
    void updateDepths();

    const config::Settings m_settings;
    queue::QueueStore &m_store;
    queue::Coordination &m_coordination;
    const QString m_podName;
    std::unique_ptr<RemediationMetrics> m_metrics;

    // Wake-up state of the worker thread between cycles, shared with the
    // dynamic-config subscription, which may outlive this object.
    struct Wake {
        std::mutex mutex;
        std::condition_variable changed;
        bool stopRequested = false;  // guarded by mutex
        bool runRequested = false;  // guarded by mutex
        bool intervalChanged = false;  // remediation_interval was set; guarded by mutex
    };

    std::mutex m_cycleMutex;  // one cycle at a time
    const std::shared_ptr<Wake> m_wake = std::make_shared<Wake>();
    bool m_subscribed = false;
    std::thread m_thread;
};

}  // namespace mutt::remediation
