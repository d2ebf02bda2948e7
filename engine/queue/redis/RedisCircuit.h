#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"

#include <QString>

namespace mutt::queue {

class RedisClient;

// The fleet-wide circuit breaker of Coordination on Redis: one Lua script per
// decision over mutt:circuit_breaker:<name>:{state,failures,open_time} (as
// MUTT v2.5 writes them) plus :probe and :forced, the same keys and values as
// the embedded store.
class RedisCircuit final {
public:
    explicit RedisCircuit(RedisClient &client);

    Result<CircuitDecision> acquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs);
    Result<CircuitRecordResult> record(
        const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs);
    Result<CircuitStatus> status(const QString &name, const CircuitPolicy &policy, qint64 nowMs);
    Result<CircuitRecordResult> force(const QString &name, CircuitState state, qint64 untilMs, const QString &by,
        const QString &reason, qint64 nowMs);
    Result<CircuitRecordResult> reset(const QString &name, qint64 nowMs);

private:
    struct Answer {
        CircuitStatus status;
        std::optional<CircuitTransition> transition;
        CircuitPermit permit = CircuitPermit::Allowed;
        qint64 retryAfterMs = 0;
    };

    Result<Answer> run(const QString &name, const QByteArray &op, const CircuitPolicy &policy, qint64 nowMs,
        const QList<QByteArray> &extra = {});

    RedisClient &m_client;
};

}  // namespace mutt::queue
