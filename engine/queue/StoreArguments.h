#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"

namespace mutt::queue {

// Argument checks shared by every queue backend, so each rejects the same
// input with the same message before touching its storage.

// InvalidInput naming the first op that cannot be applied (empty key, push
// without items, negative TTL or trim limit).
Status validateOps(const QList<Op> &ops);

// InvalidInput when `key` is empty; `what` names the argument in the message.
Status requireKey(const QString &key, const QString &what);

// InvalidInput unless both lists are named and differ.
Status requireMove(const QString &source, const QString &destination);

// InvalidInput unless both lists pass requireMove(), max is at least 1 and
// the rate window has a key and a limit and length of at least 1.
Status validateRatedClaim(const QString &source, const QString &processing, int max, const RateWindow &rate);

// InvalidInput for an empty circuit name or a policy with a threshold below
// 1 or negative times.
Status validateCircuit(const QString &name, const CircuitPolicy &policy);

}  // namespace mutt::queue
