#pragma once

#include "core/Result.h"

#include <QHash>
#include <QString>

#include <functional>
#include <optional>

namespace mutt::queue {

enum class CircuitState { Closed, HalfOpen, Open };

// "CLOSED", "HALF_OPEN", "OPEN": the strings stored in
// mutt:circuit_breaker:<name>:state by MUTT v2.5.
QString circuitStateName(CircuitState state);
std::optional<CircuitState> circuitStateFromName(const QString &name);

struct CircuitPolicy {
    int failureThreshold = 10;  // consecutive failures that open the circuit
    qint64 openMs = 300'000;  // time OPEN before one probe is allowed
    qint64 probeTimeoutMs = 30'000;  // a probe not reported within this is abandoned: another caller may probe
};

struct CircuitStatus {
    CircuitState state = CircuitState::Closed;
    qint64 failures = 0;
    qint64 openedAtMs = 0;  // 0 when closed
    qint64 nextProbeAtMs = 0;  // when OPEN: openedAtMs + openMs (or the forced expiry)
    bool probeInFlight = false;  // HALF_OPEN with a probe taken by some worker
    // Operator override: while forcedUntilMs > now the state is pinned.
    QString forcedBy;
    QString forcedReason;
    qint64 forcedUntilMs = 0;
};

enum class CircuitPermit {
    Allowed,  // CLOSED: send
    Probe,  // the caller holds the single fleet-wide probe: send and report
    Denied,  // OPEN, or HALF_OPEN with the probe taken: do not send
};

struct CircuitTransition {
    CircuitState from = CircuitState::Closed;
    CircuitState to = CircuitState::Closed;
};

struct CircuitDecision {
    CircuitPermit permit = CircuitPermit::Allowed;
    qint64 retryAfterMs = 0;  // when Denied: time until a probe may be tried
    CircuitStatus status;
    // Set when this call moved the stored state (OPEN -> HALF_OPEN once the
    // wait is over, or the end of an operator override).
    std::optional<CircuitTransition> transition;
};

struct CircuitRecordResult {
    CircuitStatus status;
    std::optional<CircuitTransition> transition;  // set when this report changed the state
};

struct RateGrant {
    qint64 granted = 0;  // grants taken, 0..requested
    qint64 waitMs = 0;  // when fewer than requested: ms until the oldest grant leaves the window
};

struct UnhandledCount {
    qint64 count = 0;  // occurrences in the current window, including this one
    bool fire = false;  // true exactly once per window, when count first reaches the threshold
};

// Fleet-wide coordination state: circuit breaker, sliding-window rate limit,
// unhandled-event counters and dynamic configuration. All transitions are
// atomic (one SQLite transaction embedded, one Lua script on Redis).
// Every method may be called from any thread.
class Coordination {
public:
    virtual ~Coordination() = default;

    // Circuit breaker on keys mutt:circuit_breaker:<name>:{state,failures,open_time}.
    // OPEN turns into HALF_OPEN once openMs has passed; in HALF_OPEN exactly
    // one caller across the fleet gets Probe until it reports.
    virtual Result<CircuitDecision> circuitAcquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs) = 0;
    // Reports a send result. Failures count only for retryable errors
    // (5xx, 408, 429, timeouts, connection errors). sentAtMs is when the
    // request went out (0 when unknown). A failure of a request sent before
    // the circuit last closed does not count: the probe that closed it went
    // out later, so the failure is older news. The close time is kept in
    // mutt:circuit_breaker:<name>:closed_at, so the whole fleet shares it.
    virtual Result<CircuitRecordResult> circuitRecord(
        const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs)
        = 0;
    virtual Result<CircuitStatus> circuitStatus(const QString &name, const CircuitPolicy &policy, qint64 nowMs) = 0;
    // Pins the state to Open or Closed until untilMs (operator override).
    virtual Result<CircuitRecordResult> circuitForce(
        const QString &name, CircuitState state, qint64 untilMs, const QString &by, const QString &reason, qint64 nowMs)
        = 0;
    // Removes an override and resets to CLOSED with zero failures.
    virtual Result<CircuitRecordResult> circuitReset(const QString &name, qint64 nowMs) = 0;

    // Sliding-window limiter on a sorted set: grants when fewer than `limit`
    // grants happened in (now - windowMs, now]. Returns 0 when granted, else
    // the milliseconds until the oldest grant leaves the window. Never drops.
    virtual Result<qint64> rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs) = 0;

    // As rateAcquire() for `count` grants at once (the ingestor counts events,
    // not requests). Returns 0 when all were granted, else the milliseconds
    // until a retry may succeed. This default calls rateAcquire() per grant,
    // so it is not atomic (grants made before a denial stay counted) and costs
    // one backend round trip per grant: backends should override it with one
    // atomic step that grants all or none.
    virtual Result<qint64> rateAcquireMany(
        const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs)
    {
        for (qint64 i = 0; i < count; ++i) {
            Result<qint64> wait = rateAcquire(key, limit, windowMs, nowMs);
            if (!wait || wait.value() > 0)
                return wait;
        }
        return qint64(0);
    }

    // Takes as many of `requested` grants as the window allows now (a
    // delivery batch sends what it may and waits for the rest). The default
    // calls rateAcquire() per grant until one is denied; backends should
    // override it with one atomic step.
    virtual Result<RateGrant> rateAcquireUpTo(
        const QString &key, qint64 requested, qint64 limit, qint64 windowMs, qint64 nowMs)
    {
        RateGrant grant;
        for (; grant.granted < requested; ++grant.granted) {
            Result<qint64> wait = rateAcquire(key, limit, windowMs, nowMs);
            if (!wait)
                return wait.error();
            if (wait.value() > 0) {
                grant.waitMs = wait.value();
                break;
            }
        }
        return grant;
    }

    // Fixed-window counter for unhandled events on `counterKey`; the window
    // starts at the first occurrence and lasts windowSeconds.
    virtual Result<UnhandledCount> countUnhandled(const QString &counterKey, qint64 threshold, qint64 windowSeconds)
        = 0;

    // Dynamic configuration: mutt:config:<key> strings; setConfig publishes
    // the key on mutt:config:updates.
    virtual Result<std::optional<QString>> configValue(const QString &key) = 0;
    virtual Result<QHash<QString, QString>> allConfig() = 0;
    virtual Status setConfig(const QString &key, const QString &value) = 0;
    virtual Status removeConfig(const QString &key) = 0;
    // Registers a callback that runs (on a store thread) with the key name
    // after any process changes a dynamic-config key.
    virtual void subscribeConfig(std::function<void(const QString &key)> onChange) = 0;
};

}  // namespace mutt::queue
