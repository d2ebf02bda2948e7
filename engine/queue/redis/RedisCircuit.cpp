#include "queue/redis/RedisCircuit.h"

#include "queue/StoreArguments.h"
#include "queue/redis/RedisClient.h"
#include "queue/redis/RedisScripts.h"

namespace mutt::queue {
namespace {

QByteArray keyOf(const QString &name, const char *field)
{
    return QByteArrayLiteral("mutt:circuit_breaker:") + name.toUtf8() + ':' + QByteArray(field);
}

CircuitState stateOf(const RedisReply &reply)
{
    return circuitStateFromName(QString::fromUtf8(reply.text)).value_or(CircuitState::Closed);
}

}  // namespace

RedisCircuit::RedisCircuit(RedisClient &client) : m_client(client) { }

Result<CircuitDecision> RedisCircuit::acquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    Result<Answer> answer = run(name, "acquire", policy, nowMs);
    if (!answer)
        return answer.error();
    CircuitDecision decision;
    decision.permit = answer.value().permit;
    decision.retryAfterMs = answer.value().retryAfterMs;
    decision.status = answer.value().status;
    decision.transition = answer.value().transition;
    return decision;
}

Result<CircuitRecordResult> RedisCircuit::record(
    const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs)
{
    Result<Answer> answer = run(name, "record", policy, nowMs,
        {success ? QByteArrayLiteral("1") : QByteArrayLiteral("0"),
            wasProbe ? QByteArrayLiteral("1") : QByteArrayLiteral("0"), QByteArray::number(sentAtMs)});
    if (!answer)
        return answer.error();
    return CircuitRecordResult {answer.value().status, answer.value().transition};
}

Result<CircuitStatus> RedisCircuit::status(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    Result<Answer> answer = run(name, "status", policy, nowMs);
    if (!answer)
        return answer.error();
    return answer.value().status;
}

Result<CircuitRecordResult> RedisCircuit::force(
    const QString &name, CircuitState state, qint64 untilMs, const QString &by, const QString &reason, qint64 nowMs)
{
    if (state == CircuitState::HalfOpen)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1 can be forced OPEN or CLOSED, not HALF_OPEN").arg(name));
    if (untilMs <= nowMs)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1: override expiry %2 is not in the future; give an expiry after now")
                .arg(name, QString::number(untilMs)));

    Result<Answer> answer = run(name, "force", CircuitPolicy {}, nowMs,
        {circuitStateName(state).toUtf8(), QByteArray::number(untilMs), by.toUtf8(), reason.toUtf8()});
    if (!answer)
        return answer.error();
    return CircuitRecordResult {answer.value().status, answer.value().transition};
}

Result<CircuitRecordResult> RedisCircuit::reset(const QString &name, qint64 nowMs)
{
    Result<Answer> answer = run(name, "reset", CircuitPolicy {}, nowMs);
    if (!answer)
        return answer.error();
    return CircuitRecordResult {answer.value().status, answer.value().transition};
}

Result<RedisCircuit::Answer> RedisCircuit::run(const QString &name, const QByteArray &op, const CircuitPolicy &policy,
    qint64 nowMs, const QList<QByteArray> &extra)
{
    if (Status valid = validateCircuit(name, policy); !valid)
        return valid.error();
    const QList<QByteArray> keys {keyOf(name, "state"), keyOf(name, "failures"), keyOf(name, "open_time"),
        keyOf(name, "probe"), keyOf(name, "forced"), keyOf(name, "closed_at")};
    QList<QByteArray> args {op, QByteArray::number(nowMs), QByteArray::number(policy.failureThreshold),
        QByteArray::number(policy.openMs), QByteArray::number(policy.probeTimeoutMs)};
    args += extra;

    Result<RedisReply> reply = m_client.eval(RedisScripts::circuit(), keys, args);
    if (!reply)
        return reply.error();
    if (Status failed = reply.value().asStatus("circuit script"); !failed)
        return failed.error();
    const QList<RedisReply> &fields = reply.value().elements;
    if (fields.size() != 12)
        return makeError(ErrorCode::Internal,
            QStringLiteral("circuit %1: script returned %2 fields, expected 12").arg(name).arg(fields.size()));

    Answer answer;
    answer.status.state = stateOf(fields[0]);
    answer.status.failures = fields[1].toInteger().value_or(0);
    answer.status.openedAtMs = fields[2].toInteger().value_or(0);
    answer.status.nextProbeAtMs = fields[3].toInteger().value_or(0);
    answer.status.probeInFlight = fields[4].toInteger().value_or(0) != 0;
    answer.status.forcedBy = QString::fromUtf8(fields[5].text);
    answer.status.forcedReason = QString::fromUtf8(fields[6].text);
    answer.status.forcedUntilMs = fields[7].toInteger().value_or(0);
    if (fields[8].text == "DENIED")
        answer.permit = CircuitPermit::Denied;
    else if (fields[8].text == "PROBE")
        answer.permit = CircuitPermit::Probe;
    answer.retryAfterMs = fields[9].toInteger().value_or(0);
    if (!fields[10].text.isEmpty())
        answer.transition = CircuitTransition {stateOf(fields[10]), stateOf(fields[11])};
    return answer;
}

}  // namespace mutt::queue
