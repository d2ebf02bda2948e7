#pragma once

#include "queue/Coordination.h"
#include "queue/QueueStore.h"
#include "queue/redis/RedisClient.h"
#include "queue/redis/RedisConnectionPool.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReplicaAck.h"
#include "queue/redis/RedisReply.h"
#include "queue/redis/RedisScript.h"

#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace mutt::queue {

class RedisCircuit;
class RedisClient;

// The production queue store: Redis >= 6.2 (standalone or via Sentinel) with
// the MUTT v2.5 key names and value formats. Implements QueueStore and
// Coordination with the semantics of the embedded store (one conformance
// suite runs against both). apply() is one MULTI/EXEC; multi-key decisions
// are Lua scripts. With REDIS_MIN_REPLICAS_ACK, apply(), applyAsync(),
// claim() and config changes succeed only once that many replicas contain
// the write.
class RedisStore final : public QueueStore, public Coordination {
public:
    static Result<std::unique_ptr<RedisStore>> open(const RedisOptions &options);
    ~RedisStore() override;

    RedisStore(const RedisStore &) = delete;
    RedisStore &operator=(const RedisStore &) = delete;

    // Connection state for /health and the console.
    [[nodiscard]] RedisHealth health() const;
    // One raw command on the command connection (tests, operator tools).
    Result<RedisReply> execute(const QList<QByteArray> &command);

    // QueueStore
    [[nodiscard]] QString backendName() const override;
    Status ping() override;
    Status apply(const QList<Op> &ops, Durability durability = Durability::Accept) override;
    void applyAsync(
        QList<Op> ops, std::function<void(Status)> done, Durability durability = Durability::Accept) override;
    // `done` runs on the I/O thread once Redis has replied.
    void applyAsyncDirect(
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
    Result<UnhandledCount> countUnhandled(const QString &counterKey, qint64 threshold, qint64 windowSeconds) override;
    Result<std::optional<QString>> configValue(const QString &key) override;
    Result<QHash<QString, QString>> allConfig() override;
    Status setConfig(const QString &key, const QString &value) override;
    Status removeConfig(const QString &key) override;
    void subscribeConfig(std::function<void(const QString &key)> onChange) override;

private:
    explicit RedisStore(std::unique_ptr<RedisClient> client);

    // MULTI/EXEC for `ops`, followed by WAIT when replicas must acknowledge.
    [[nodiscard]] Result<QList<RedisCommand>> replicatedTransaction(const QList<Op> &ops) const;
    // applyAsync() and applyAsyncDirect(): `done` runs on the thread `completion` selects.
    void sendTransaction(const QList<Op> &ops, std::function<void(Status)> done, RedisClient::Completion completion);

    // SCAN MATCH <prefix>* over the whole keyspace (optionally of one TYPE).
    Result<QList<QByteArray>> scan(const QString &prefix, const QByteArray &type = {});
    Result<qint64> moveAll(const QByteArray &from, const QByteArray &to, const QByteArray &heartbeat);
    // Runs a script followed by WAIT and returns its reply. `acknowledged`
    // is an error when fewer replicas than required contain its writes.
    Result<RedisReply> evalReplicated(
        const RedisScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &args, Status &acknowledged);
    // Returns the items of a claim that no replica acknowledged, then `why`.
    Error unclaim(const QString &source, const QString &processing, const QList<QByteArray> &claimed, const Error &why);
    Status changeConfig(const QString &key, const QList<QByteArray> &change);
    void notifyConfig(const QString &key);

    std::unique_ptr<RedisClient> m_client;
    RedisReplicaAck m_ack;
    std::unique_ptr<RedisCircuit> m_circuit;

    std::mutex m_subscribersMutex;
    std::vector<std::function<void(const QString &)>> m_subscribers;  // guarded by m_subscribersMutex
    bool m_subscribed = false;  // guarded by m_subscribersMutex
};

}  // namespace mutt::queue
