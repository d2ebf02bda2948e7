#include "queue/EmbeddedOps.h"

#include <algorithm>

namespace mutt::queue {

EmbeddedOps::EmbeddedOps(EmbeddedDatabase &db) : lists(db), kv(db), circuit(kv), limits(kv) { }

Status EmbeddedOps::apply(const QList<Op> &ops, qint64 nowMs)
{
    for (qsizetype i = 0; i < ops.size();) {
        const Op &op = ops.at(i);
        if (op.kind != Op::Kind::Remove) {
            if (Status applied = applyOne(op, nowMs); !applied)
                return applied;
            ++i;
            continue;
        }
        // A run of removals from one list end (the items of a committed
        // batch) updates the list's length once.
        QList<QByteArray> items;
        qsizetype end = i;
        while (end < ops.size() && ops.at(end).kind == Op::Kind::Remove && ops.at(end).key == op.key
            && (ops.at(end).value < 0) == (op.value < 0)) {
            items.append(ops.at(end).item);
            ++end;
        }
        if (Status removed = lists.removeEach(op.key, items, op.value < 0); !removed)
            return removed;
        i = end;
    }
    return {};
}

Status EmbeddedOps::applyOne(const Op &op, qint64 nowMs)
{
    switch (op.kind) {
    case Op::Kind::PushHead: return lists.pushHead(op.key, op.items);
    case Op::Kind::PushTail: return lists.pushTail(op.key, op.items);
    case Op::Kind::Remove: return lists.removeOne(op.key, op.item, op.value < 0);
    case Op::Kind::Trim: return lists.trim(op.key, op.value);
    case Op::Kind::Schedule: limits.forgetWindow(op.key); return kv.scoredAdd(op.key, op.item, op.value);
    case Op::Kind::Increment: {
        Result<qint64> incremented = kv.increment(op.key, op.value, op.ttlSeconds, nowMs);
        return incremented ? Status() : Status(incremented.error());
    }
    }
    return makeError(ErrorCode::Internal, QStringLiteral("unknown op kind for key %1").arg(op.key));
}

// Grants only for items that are there, so an idle round takes no grant.
Result<RatedClaim> EmbeddedOps::claimRated(
    const QString &source, const QString &processing, int max, const RateWindow &rate)
{
    Result<qint64> waiting = lists.length(source);
    if (!waiting)
        return waiting.error();
    const qint64 wanted = std::min<qint64>(max, waiting.value());
    RatedClaim claimed;
    if (wanted < 1)
        return claimed;

    Result<RateGrant> grant = limits.rateAcquireUpTo(rate.key, wanted, rate.limit, rate.windowMs, rate.nowMs);
    if (!grant)
        return grant.error();
    claimed.waitMs = grant.value().waitMs;
    if (grant.value().granted < 1)
        return claimed;
    Result<QList<QByteArray>> moved = lists.moveTailToHead(source, processing, int(grant.value().granted));
    if (!moved)
        return moved.error();
    claimed.items = std::move(moved).value();
    return claimed;
}

Result<qint64> EmbeddedOps::promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max)
{
    limits.forgetWindow(scheduled);
    Result<QList<EmbeddedKeyValue::Scored>> due = kv.scoredUpTo(scheduled, nowMs, max);
    if (!due)
        return due.error();
    if (due.value().isEmpty())
        return 0;

    // Latest due first onto the tail, so the earliest ends at the very tail.
    QList<QByteArray> items;
    items.reserve(due.value().size());
    for (auto it = due.value().crbegin(); it != due.value().crend(); ++it) {
        if (Status removed = kv.scoredRemove(scheduled, it->member); !removed)
            return removed.error();
        items.append(it->member);
    }
    if (Status pushed = lists.pushTail(destination, items); !pushed)
        return pushed.error();
    return qint64(items.size());
}

Result<qint64> EmbeddedOps::recoverOrphans(
    const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source, qint64 nowMs)
{
    const QString listPrefix = processingPrefix + u':';
    Result<QStringList> processing = lists.keys(listPrefix);
    if (!processing)
        return processing.error();

    qint64 recovered = 0;
    for (const QString &list : processing.value()) {
        const QString pod = list.mid(listPrefix.size());
        if (pod.isEmpty() || list == source)
            continue;
        Result<std::optional<QByteArray>> heartbeat = kv.value(heartbeatPrefix + u':' + pod, nowMs);
        if (!heartbeat)
            return heartbeat.error();
        if (heartbeat.value())
            continue;
        Result<qint64> moved = lists.moveAllToTail(list, source);
        if (!moved)
            return moved.error();
        recovered += moved.value();
    }
    return recovered;
}

Result<QStringList> EmbeddedOps::keys(const QString &prefix, qint64 nowMs)
{
    Result<QStringList> listNames = lists.keys(prefix);
    if (!listNames)
        return listNames.error();
    Result<QStringList> otherNames = kv.keys(prefix, nowMs);
    if (!otherNames)
        return otherNames.error();

    QStringList names = listNames.value() + otherNames.value();
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

}  // namespace mutt::queue
