#pragma once

#include "queue/Coordination.h"
#include "queue/EmbeddedStoreOptions.h"
#include "queue/QueueStore.h"

#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace mutt::queue {

class EmbeddedLockFile;
class EmbeddedNotifier;
class EmbeddedWakeups;
class EmbeddedWorker;

// The durable queue store of embedded mode: one SQLite file in WAL mode,
// written by one store-owned thread that commits concurrent operations
// together (group commit). Implements QueueStore and Coordination with the
// semantics of the Redis store. A lock file beside the database keeps a
// second process (or a second store in this one) from opening it.
//
// Durability classes: a commit waits for fdatasync (with EmbeddedSync::Full)
// only when it accepts new data: apply() and applyAsync() with
// Durability::Accept, setValue(), removeValue(), setConfig(), removeConfig(),
// circuitForce() and circuitReset(). Everything else only moves, removes or
// counts items that are already durable, or changes coordination state, and
// commits as Durability::Move without its own fdatasync: claim(),
// claimRated(), promoteDue(), recoverOrphans(), returnAll(), the rate
// limiter, circuitAcquire() and circuitRecord(), countUnhandled(), and
// apply()/applyAsync() with Durability::Move. Power loss may undo the last
// Move commits. Their items are then back in the list they came from and are
// processed again (delivery is at-least-once), and the counters of the same
// transactions roll back with them. In WAL mode an fdatasync covers the whole log, so each
// Accept commit also makes every Move commit before it durable.
class EmbeddedStore final : public QueueStore, public Coordination {
public:
    static Result<std::unique_ptr<EmbeddedStore>> open(const QString &path, const EmbeddedStoreOptions &options = {});
    // Commits every queued operation, runs pending callbacks, then closes.
    ~EmbeddedStore() override;

    EmbeddedStore(const EmbeddedStore &) = delete;
    EmbeddedStore &operator=(const EmbeddedStore &) = delete;

    [[nodiscard]] QString path() const { return m_path; }

    // QueueStore
    [[nodiscard]] QString backendName() const override;
    Status ping() override;
    Status apply(const QList<Op> &ops, Durability durability = Durability::Accept) override;
    void applyAsync(
        QList<Op> ops, std::function<void(Status)> done, Durability durability = Durability::Accept) override;
    Result<qint64> length(const QString &key) override;
    Result<QList<QByteArray>> range(const QString &key, qint64 start, qint64 stop) override;
    Result<QList<QByteArray>> claim(
        const QString &source, const QString &processing, int max, std::chrono::milliseconds wait) override;
    Result<RatedClaim> claimRated(
        const QString &source, const QString &processing, int max, const RateWindow &rate) override;
    Result<qint64> promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max) override;
    Result<qint64> scheduledCount(const QString &key) override;
    Result<std::optional<qint64>> earliestDue(const QString &key) override;
    Result<qint64> counter(const QString &key) override;
    Result<QList<QPair<QString, qint64>>> counters(const QString &prefix) override;
    Status setValue(const QString &key, const QByteArray &value, qint64 ttlSeconds) override;
    Result<std::optional<QByteArray>> value(const QString &key) override;
    Status removeValue(const QString &key) override;
    Result<QStringList> keys(const QString &prefix) override;
    Result<qint64> recoverOrphans(
        const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source) override;
    Result<qint64> returnAll(const QString &processing, const QString &source) override;

    // Coordination
    Result<CircuitDecision> circuitAcquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs) override;
    Result<CircuitRecordResult> circuitRecord(const QString &name, bool success, bool wasProbe,
        const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs) override;
    Result<CircuitStatus> circuitStatus(const QString &name, const CircuitPolicy &policy, qint64 nowMs) override;
    Result<CircuitRecordResult> circuitForce(const QString &name, CircuitState state, qint64 untilMs, const QString &by,
        const QString &reason, qint64 nowMs) override;
    Result<CircuitRecordResult> circuitReset(const QString &name, qint64 nowMs) override;
    Result<qint64> rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs) override;
    Result<qint64> rateAcquireMany(
        const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs) override;
    Result<RateGrant> rateAcquireUpTo(
        const QString &key, qint64 requested, qint64 limit, qint64 windowMs, qint64 nowMs) override;
    Result<UnhandledCount> countUnhandled(const QString &counterKey, qint64 threshold, qint64 windowSeconds) override;
    Result<std::optional<QString>> configValue(const QString &key) override;
    Result<QHash<QString, QString>> allConfig() override;
    Status setConfig(const QString &key, const QString &value) override;
    Status removeConfig(const QString &key) override;
    void subscribeConfig(std::function<void(const QString &key)> onChange) override;

private:
    EmbeddedStore(QString path, std::unique_ptr<EmbeddedLockFile> lock);

    void publishConfigChange(const QString &key);

    QString m_path;
    std::unique_ptr<EmbeddedLockFile> m_lock;
    std::unique_ptr<EmbeddedWakeups> m_wakeups;
    std::unique_ptr<EmbeddedNotifier> m_notifier;
    std::unique_ptr<EmbeddedWorker> m_worker;

    std::mutex m_subscribersMutex;
    std::vector<std::function<void(const QString &)>> m_subscribers;  // guarded by m_subscribersMutex
};

}  // namespace mutt::queue
