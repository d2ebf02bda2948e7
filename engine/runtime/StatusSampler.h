#pragma once

#include "config/Settings.h"
#include "core/Result.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"
#include "runtime/EngineStatus.h"

#include <QByteArray>
#include <QList>

#include <mutex>
#include <optional>

namespace mutt::runtime {

// The store-side part of the engine status: every queue, DLQ, processing
// list and retry set with its depth and age, the conservation counters and
// the circuit. Reads are separate store calls, not one transaction, so an
// event moving between two reads can make one sample unbalanced by a few.
// Only a difference that persists across samples means loss.
struct StoreSample {
    qint64 sampledAtMs = 0;
    QList<QueueInfo> queues;
    Conservation conservation;
    queue::CircuitStatus circuit;
};

// Lives as long as the engine (the scrape-time gauges refer to it); the
// stores are attached while the engine runs. Thread-safe: samples are taken
// one at a time.
class StatusSampler final {
public:
    explicit StatusSampler(const config::Settings &settings);

    void attach(queue::QueueStore *store, queue::Coordination *coordination);
    void detach();

    // Reads everything from the stores now. Blocks on the stores.
    // Unavailable while detached.
    Result<StoreSample> sample(qint64 nowMs);

    // The last sample if younger than maxAgeMs, else a fresh one. Used by the
    // scrape-time gauges so all gauges of one scrape read one sample.
    Result<StoreSample> cached(qint64 nowMs, qint64 maxAgeMs);

    // Age of an item from its _dlq_at (DLQs), _received_at or
    // raw_json._received_at (RFC 3339, or epoch seconds/milliseconds).
    static std::optional<qint64> itemAgeMs(const QByteArray &item, bool preferDlqTime, qint64 nowMs);
    // Heartbeat value: epoch milliseconds (ours) or "alive" (MUTT v2.5).
    static void applyHeartbeat(QueueInfo &info, const std::optional<QByteArray> &value, qint64 nowMs);

private:
    Result<QueueInfo> listInfo(const QString &key, QueueInfo::Kind kind, qint64 nowMs);
    Status addProcessingLists(
        const QString &listPrefix, const QString &heartbeatPrefix, qint64 nowMs, QList<QueueInfo> &out);
    Status addList(const QString &key, QueueInfo::Kind kind, qint64 nowMs, QList<QueueInfo> &out);
    Status addRetrySet(QList<QueueInfo> &out);
    // inputs: accepted and generated; otherwise the outcome counters.
    Status addCounters(Conservation &conservation, bool inputs);
    Status readPipeline(qint64 nowMs, StoreSample &sample);

    Result<StoreSample> sampleLocked(qint64 nowMs);

    const config::Settings m_settings;
    std::mutex m_mutex;  // guards everything below; held for a whole sample
    queue::QueueStore *m_store = nullptr;
    queue::Coordination *m_coordination = nullptr;
    std::optional<StoreSample> m_cache;
};

}  // namespace mutt::runtime
