#pragma once

#include "core/Result.h"
#include "queue/EmbeddedCircuit.h"
#include "queue/EmbeddedKeyValue.h"
#include "queue/EmbeddedLimits.h"
#include "queue/EmbeddedLists.h"
#include "queue/QueueStore.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mutt::queue {

class EmbeddedDatabase;

// Everything a store task can do, on the worker's connection and inside the
// current transaction. Composite operations of QueueStore live here; the
// single-structure ones are in the members.
class EmbeddedOps final {
public:
    explicit EmbeddedOps(EmbeddedDatabase &db);

    EmbeddedOps(const EmbeddedOps &) = delete;
    EmbeddedOps &operator=(const EmbeddedOps &) = delete;

    // Applies a validated batch; the caller's savepoint undoes a partial one.
    Status apply(const QList<Op> &ops, qint64 nowMs);

    Result<RatedClaim> claimRated(const QString &source, const QString &processing, int max, const RateWindow &rate);
    Result<qint64> promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max);
    Result<qint64> recoverOrphans(
        const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source, qint64 nowMs);
    Result<QStringList> keys(const QString &prefix, qint64 nowMs);

    EmbeddedLists lists;
    EmbeddedKeyValue kv;
    EmbeddedCircuit circuit;
    EmbeddedLimits limits;

private:
    Status applyOne(const Op &op, qint64 nowMs);
};

}  // namespace mutt::queue
