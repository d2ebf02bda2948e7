#pragma once

#include "config/Settings.h"
#include "core/Result.h"
#include "ingest/ConfigCache.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue

namespace mutt::ingest {

// Whether a batch of events may be queued now: the fleet-wide rate limit
// (when enabled) and the ingest queue cap.
//
// The queue length is read with a blocking LLEN at most every 100 ms. In
// between it is estimated as the last length read plus the events this
// ingestor queued since. Consumption is ignored until the next read, so the
// estimate errs towards rejecting. Like MUTT v2.5 the check and the push are not one
// atomic step: concurrent requests can overshoot the cap by one batch each.
// queueLimit(), checkQueue() and acquireRate() may block on the store, so they
// run on the ingest worker threads, never on an HTTP I/O thread. Thread-safe.
class IngestAdmission final {
public:
    IngestAdmission(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination);

    struct QueueCheck {
        bool full = false;
        qint64 depth = 0;  // before this batch
        qint64 limit = 0;
    };
    // Dynamic max_ingest_queue_size, else MAX_INGEST_QUEUE_SIZE.
    qint64 queueLimit();
    // Unavailable when the store cannot tell the length.
    Result<QueueCheck> checkQueue(qint64 events);
    // As checkQueue(), but from cached values only: nullopt when the length
    // or the dynamic limit would have to be read from the store. Never waits
    // for a store read. `now` is the caller's steady_clock reading.
    std::optional<QueueCheck> cachedQueueCheck(qint64 events, std::chrono::steady_clock::time_point now);
    // Counts events this ingestor queued since the last length read.
    void queued(qint64 events);

    struct RateCheck {
        bool allowed = true;
        bool batchTooLarge = false;  // more events than the limit allows in one window
        qint64 retryAfterMs = 0;
        qint64 limit = 0;
        qint64 windowSeconds = 0;
    };
    // Fails open: when the store call fails, the batch is allowed (and logged).
    RateCheck acquireRate(qint64 events, const QString &correlationId);

    ConfigCache &config() { return m_config; }

private:
    static constexpr std::chrono::milliseconds depthMaxAge {100};

    // True while the last length read is younger than depthMaxAge.
    [[nodiscard]] bool fresh(std::chrono::steady_clock::time_point now) const;

    const config::Settings &m_settings;
    queue::QueueStore &m_store;
    queue::Coordination &m_coordination;
    ConfigCache m_config;

    // Serialises the LLEN reads only. The estimate itself is atomic, so
    // queued(), which runs in store completion callbacks, takes no lock.
    std::mutex m_readMutex;
    std::atomic<qint64> m_depth {0};
    // steady_clock ticks of the last length read; 0: never read.
    std::atomic<std::chrono::steady_clock::rep> m_depthReadAt {0};
};

}  // namespace mutt::ingest
