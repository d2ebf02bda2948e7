#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"

#include <QString>

#include <optional>

namespace mutt::queue {

class EmbeddedKeyValue;

// The fleet-wide circuit breaker of Coordination on string keys
// mutt:circuit_breaker:<name>:{state,failures,open_time} (as MUTT v2.5 writes
// them) plus :probe (when the single HALF_OPEN probe was handed out, ms) and
// :forced (the operator override as JSON). Every method runs inside the
// caller's transaction, so each decision is atomic.
class EmbeddedCircuit final {
public:
    explicit EmbeddedCircuit(EmbeddedKeyValue &kv);

    Result<CircuitDecision> acquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs);
    Result<CircuitRecordResult> record(
        const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs);
    Result<CircuitStatus> status(const QString &name, const CircuitPolicy &policy, qint64 nowMs);
    Result<CircuitRecordResult> force(const QString &name, CircuitState state, qint64 untilMs, const QString &by,
        const QString &reason, qint64 nowMs);
    Result<CircuitRecordResult> reset(const QString &name, qint64 nowMs);

private:
    struct Forced {
        CircuitState state = CircuitState::Open;
        QString by;
        QString reason;
        qint64 untilMs = 0;
    };
    struct Stored {
        CircuitState state = CircuitState::Closed;
        bool statePresent = false;
        qint64 failures = 0;
        qint64 openedAtMs = 0;  // 0: no open_time key
        qint64 probeTakenAtMs = 0;  // 0: no probe handed out
        std::optional<Forced> forced;
        qint64 closedAtMs = 0;  // when a probe, an override or a reset last closed it; 0: never
    };

    Result<Stored> load(const QString &name);
    Status save(const QString &name, const Stored &stored);
    static CircuitStatus evaluate(const Stored &stored, const CircuitPolicy &policy, qint64 nowMs);
    static bool forcedActive(const Stored &stored, qint64 nowMs);
    // Persists what time alone changed (an expired override, OPEN whose wait
    // is over); returns the transition when the state changed.
    std::optional<CircuitTransition> settle(Stored &stored, const CircuitStatus &effective, bool &dirty, qint64 nowMs);

    EmbeddedKeyValue &m_kv;
};

}  // namespace mutt::queue
