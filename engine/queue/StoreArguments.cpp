#include "queue/StoreArguments.h"

namespace mutt::queue {
namespace {

QString kindName(Op::Kind kind)
{
    switch (kind) {
    case Op::Kind::PushHead: return QStringLiteral("PushHead");
    case Op::Kind::PushTail: return QStringLiteral("PushTail");
    case Op::Kind::Remove: return QStringLiteral("Remove");
    case Op::Kind::Increment: return QStringLiteral("Increment");
    case Op::Kind::Schedule: return QStringLiteral("Schedule");
    case Op::Kind::Trim: return QStringLiteral("Trim");
    }
    return QStringLiteral("unknown");
}

// The reason `op` cannot be applied, or an empty string when it can.
QString opProblem(const Op &op)
{
    if (op.key.isEmpty())
        return QStringLiteral("key is empty; give the queue, counter or set name");
    const bool push = op.kind == Op::Kind::PushHead || op.kind == Op::Kind::PushTail;
    if (push && op.items.isEmpty())
        return QStringLiteral("no items to push; pass at least one item");
    if (op.kind == Op::Kind::Increment && op.ttlSeconds < 0)
        return QStringLiteral("ttlSeconds %1 is negative; use 0 for no expiry").arg(op.ttlSeconds);
    if (op.kind == Op::Kind::Trim && op.value < 0)
        return QStringLiteral("limit %1 is negative; use 0 to empty the list").arg(op.value);
    return {};
}

}  // namespace

Status validateOps(const QList<Op> &ops)
{
    for (qsizetype i = 0; i < ops.size(); ++i) {
        const QString problem = opProblem(ops[i]);
        if (!problem.isEmpty())
            return makeError(ErrorCode::InvalidInput,
                QStringLiteral("op %1 (%2, key=%3): %4; nothing was applied")
                    .arg(QString::number(i), kindName(ops[i].kind), ops[i].key, problem));
    }
    return {};
}

Status requireKey(const QString &key, const QString &what)
{
    if (key.isEmpty())
        return makeError(ErrorCode::InvalidInput, what + QStringLiteral(" is empty; pass the key name"));
    return {};
}

Status requireMove(const QString &source, const QString &destination)
{
    if (source.isEmpty() || destination.isEmpty() || source == destination)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("cannot move items from \"%1\" to \"%2\": both lists must be named and differ")
                .arg(source, destination));
    return {};
}

Status validateRatedClaim(const QString &source, const QString &processing, int max, const RateWindow &rate)
{
    if (Status valid = requireMove(source, processing); !valid)
        return valid;
    if (max < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("claim from %1: max %2 is below 1").arg(source, QString::number(max)));
    if (rate.key.isEmpty() || rate.limit < 1 || rate.windowMs < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rate limit key=%1 limit=%2 window_ms=%3: the key must be set and limit and window at "
                           "least 1")
                .arg(rate.key, QString::number(rate.limit), QString::number(rate.windowMs)));
    return {};
}

Status validateCircuit(const QString &name, const CircuitPolicy &policy)
{
    if (name.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("circuit name is empty; pass e.g. \"moogsoft\""));
    if (policy.failureThreshold < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1: failure threshold %2 is below 1; use CIRCUIT_BREAKER_THRESHOLD >= 1")
                .arg(name, QString::number(policy.failureThreshold)));
    if (policy.openMs < 0 || policy.probeTimeoutMs < 0)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("circuit %1: open time and probe timeout must not be negative").arg(name));
    return {};
}

}  // namespace mutt::queue
