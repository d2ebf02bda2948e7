#include "queue/EmbeddedCircuit.h"

#include "queue/EmbeddedKeyValue.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace mutt::queue {
namespace {

QString keyOf(const QString &name, const char *field)
{
    return QStringLiteral("mutt:circuit_breaker:") + name + u':' + QLatin1StringView(field);
}

// open_time contains epoch seconds as a decimal string, as MUTT v2.5 writes it.
QByteArray secondsText(qint64 ms)
{
    return QByteArray::number(double(ms) / 1000.0, 'f', 3);
}

qint64 msFromSecondsText(const QByteArray &text)
{
    return qint64(std::llround(text.toDouble() * 1000.0));
}

QByteArray forcedJson(CircuitState state, const QString &by, const QString &reason, qint64 untilMs)
{
    QJsonObject object {{QStringLiteral("state"), circuitStateName(state)}, {QStringLiteral("by"), by},
        {QStringLiteral("reason"), reason}, {QStringLiteral("until_ms"), untilMs}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

}  // namespace

EmbeddedCircuit::EmbeddedCircuit(EmbeddedKeyValue &kv) : m_kv(kv) { }

Result<CircuitDecision> EmbeddedCircuit::acquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    Result<Stored> loaded = load(name);
    if (!loaded)
        return loaded.error();
    Stored stored = loaded.value();
    CircuitDecision decision;
    decision.status = evaluate(stored, policy, nowMs);

    bool dirty = !stored.statePresent;
    decision.transition = settle(stored, decision.status, dirty, nowMs);
    const CircuitStatus &status = decision.status;
    if (status.state == CircuitState::Open) {
        decision.permit = CircuitPermit::Denied;
        decision.retryAfterMs = std::max<qint64>(1, status.nextProbeAtMs - nowMs);
    } else if (status.state == CircuitState::HalfOpen && status.probeInFlight) {
        decision.permit = CircuitPermit::Denied;
        decision.retryAfterMs = std::max<qint64>(1, stored.probeTakenAtMs + policy.probeTimeoutMs - nowMs);
    } else if (status.state == CircuitState::HalfOpen) {
        decision.permit = CircuitPermit::Probe;
        stored.probeTakenAtMs = nowMs;
        dirty = true;
    }

    if (dirty) {
        if (Status saved = save(name, stored); !saved)
            return saved.error();
        decision.status = evaluate(stored, policy, nowMs);
    }
    return decision;
}

Result<CircuitRecordResult> EmbeddedCircuit::record(
    const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs)
{
    Result<Stored> loaded = load(name);
    if (!loaded)
        return loaded.error();
    Stored stored = loaded.value();
    const CircuitStatus before = evaluate(stored, policy, nowMs);
    if (forcedActive(stored, nowMs))
        return CircuitRecordResult {before, std::nullopt};

    // A request sent before the circuit last closed failed: the probe that
    // closed it went out later and got through.
    if (!success && !wasProbe && sentAtMs > 0 && sentAtMs < stored.closedAtMs)
        return CircuitRecordResult {before, std::nullopt};

    bool dirty = false;
    settle(stored, before, dirty, nowMs);
    std::optional<CircuitTransition> transition;
    if (before.state == CircuitState::Closed && success && stored.failures != 0) {
        stored.failures = 0;
        dirty = true;
    } else if (before.state == CircuitState::Closed && !success) {
        dirty = true;
        if (++stored.failures >= policy.failureThreshold) {
            stored.state = CircuitState::Open;
            stored.openedAtMs = nowMs;
            stored.probeTakenAtMs = 0;
            transition = CircuitTransition {CircuitState::Closed, CircuitState::Open};
        }
    } else if (before.state == CircuitState::HalfOpen && wasProbe) {
        // Only the probe decides. Late reports of requests sent before the
        // circuit opened tell nothing about the endpoint now.
        dirty = true;
        stored.state = success ? CircuitState::Closed : CircuitState::Open;
        stored.failures = success ? 0 : stored.failures;
        stored.openedAtMs = success ? 0 : nowMs;
        stored.probeTakenAtMs = 0;
        if (success)
            stored.closedAtMs = nowMs;
        transition = CircuitTransition {CircuitState::HalfOpen, stored.state};
    }

    if (dirty) {
        if (Status saved = save(name, stored); !saved)
            return saved.error();
    }
    return CircuitRecordResult {evaluate(stored, policy, nowMs), transition};
}

Result<CircuitStatus> EmbeddedCircuit::status(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    Result<Stored> loaded = load(name);
    if (!loaded)
        return loaded.error();
    return evaluate(loaded.value(), policy, nowMs);
}

Result<CircuitRecordResult> EmbeddedCircuit::force(
    const QString &name, CircuitState state, qint64 untilMs, const QString &by, const QString &reason, qint64 nowMs)
{
    if (state == CircuitState::HalfOpen)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1 can be forced OPEN or CLOSED, not HALF_OPEN").arg(name));
    if (untilMs <= nowMs)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1: override expiry %2 is not in the future; give an expiry after now")
                .arg(name, QString::number(untilMs)));

    Result<Stored> loaded = load(name);
    if (!loaded)
        return loaded.error();
    Stored stored = loaded.value();
    const CircuitState from = evaluate(stored, CircuitPolicy {}, nowMs).state;

    stored.state = state;
    stored.forced = Forced {state, by, reason, untilMs};
    stored.probeTakenAtMs = 0;
    stored.openedAtMs = state == CircuitState::Open ? nowMs : 0;
    if (state == CircuitState::Closed) {
        stored.failures = 0;
        stored.closedAtMs = nowMs;
    }
    if (Status saved = save(name, stored); !saved)
        return saved.error();

    std::optional<CircuitTransition> transition;
    if (from != state)
        transition = CircuitTransition {from, state};
    return CircuitRecordResult {evaluate(stored, CircuitPolicy {}, nowMs), transition};
}

Result<CircuitRecordResult> EmbeddedCircuit::reset(const QString &name, qint64 nowMs)
{
    Result<Stored> loaded = load(name);
    if (!loaded)
        return loaded.error();
    const CircuitState from = evaluate(loaded.value(), CircuitPolicy {}, nowMs).state;

    const Stored stored {CircuitState::Closed, true, 0, 0, 0, std::nullopt, nowMs};
    if (Status saved = save(name, stored); !saved)
        return saved.error();

    std::optional<CircuitTransition> transition;
    if (from != CircuitState::Closed)
        transition = CircuitTransition {from, CircuitState::Closed};
    return CircuitRecordResult {evaluate(stored, CircuitPolicy {}, nowMs), transition};
}

Result<EmbeddedCircuit::Stored> EmbeddedCircuit::load(const QString &name)
{
    Stored stored;
    const char *fields[] = {"state", "failures", "open_time", "probe", "forced", "closed_at"};
    std::optional<QByteArray> values[6];
    for (int i = 0; i < 6; ++i) {
        Result<std::optional<QByteArray>> value = m_kv.value(keyOf(name, fields[i]), 0);
        if (!value)
            return value.error();
        values[i] = value.value();
    }

    if (values[0]) {
        stored.statePresent = true;
        stored.state = circuitStateFromName(QString::fromUtf8(*values[0])).value_or(CircuitState::Closed);
    }
    stored.failures = values[1] ? values[1]->toLongLong() : 0;
    stored.openedAtMs = values[2] ? msFromSecondsText(*values[2]) : 0;
    stored.probeTakenAtMs = values[3] ? values[3]->toLongLong() : 0;
    stored.closedAtMs = values[5] ? values[5]->toLongLong() : 0;
    if (values[4]) {
        const QJsonObject object = QJsonDocument::fromJson(*values[4]).object();
        const auto state = circuitStateFromName(object.value(QStringLiteral("state")).toString());
        if (state)
            stored.forced = Forced {*state, object.value(QStringLiteral("by")).toString(),
                object.value(QStringLiteral("reason")).toString(),
                qint64(object.value(QStringLiteral("until_ms")).toDouble())};
    }
    return stored;
}

Status EmbeddedCircuit::save(const QString &name, const Stored &stored)
{
    const auto put = [&](const char *field, bool present, const QByteArray &value) {
        return present ? m_kv.setValue(keyOf(name, field), value, 0) : m_kv.removeValue(keyOf(name, field));
    };
    const Forced forced = stored.forced.value_or(Forced {});
    for (Status step : {put("state", true, circuitStateName(stored.state).toUtf8()),
             put("failures", true, QByteArray::number(stored.failures)),
             put("open_time", stored.openedAtMs != 0, secondsText(stored.openedAtMs)),
             put("probe", stored.probeTakenAtMs != 0, QByteArray::number(stored.probeTakenAtMs)),
             put("forced", stored.forced.has_value(),
                 forcedJson(forced.state, forced.by, forced.reason, forced.untilMs)),
             put("closed_at", stored.closedAtMs != 0, QByteArray::number(stored.closedAtMs))}) {
        if (!step)
            return step;
    }
    return {};
}

bool EmbeddedCircuit::forcedActive(const Stored &stored, qint64 nowMs)
{
    return stored.forced && stored.forced->untilMs > nowMs;
}

CircuitStatus EmbeddedCircuit::evaluate(const Stored &stored, const CircuitPolicy &policy, qint64 nowMs)
{
    CircuitStatus status;
    status.failures = stored.failures;
    if (forcedActive(stored, nowMs)) {
        status.state = stored.forced->state;
        status.openedAtMs = status.state == CircuitState::Open ? stored.openedAtMs : 0;
        status.nextProbeAtMs = status.state == CircuitState::Open ? stored.forced->untilMs : 0;
        status.forcedBy = stored.forced->by;
        status.forcedReason = stored.forced->reason;
        status.forcedUntilMs = stored.forced->untilMs;
        return status;
    }

    // OPEN becomes HALF_OPEN once its wait is over: openMs after opening, or
    // at the expiry of an operator's forced OPEN.
    status.state = stored.state;
    if (stored.state == CircuitState::Open) {
        const bool forcedOpen = stored.forced && stored.forced->state == CircuitState::Open;
        status.nextProbeAtMs = forcedOpen ? stored.forced->untilMs : stored.openedAtMs + policy.openMs;
        if (nowMs >= status.nextProbeAtMs)
            status.state = CircuitState::HalfOpen;
    }
    if (status.state == CircuitState::HalfOpen) {
        status.probeInFlight = stored.probeTakenAtMs != 0 && nowMs < stored.probeTakenAtMs + policy.probeTimeoutMs;
        if (status.probeInFlight)
            status.nextProbeAtMs = stored.probeTakenAtMs + policy.probeTimeoutMs;
    }
    status.openedAtMs = status.state == CircuitState::Closed ? 0 : stored.openedAtMs;
    return status;
}

std::optional<CircuitTransition> EmbeddedCircuit::settle(
    Stored &stored, const CircuitStatus &effective, bool &dirty, qint64 nowMs)
{
    if (forcedActive(stored, nowMs))
        return std::nullopt;
    if (stored.forced) {
        stored.forced.reset();
        dirty = true;
    }
    if (stored.state == effective.state)
        return std::nullopt;

    const CircuitTransition transition {stored.state, effective.state};
    stored.state = effective.state;
    stored.probeTakenAtMs = 0;
    dirty = true;
    return transition;
}

}  // namespace mutt::queue
