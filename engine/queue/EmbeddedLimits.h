#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"

#include <QString>

namespace mutt::queue {

class EmbeddedKeyValue;

// The sliding-window rate limiter and the fixed-window unhandled-event
// counter of Coordination. Every method runs inside the caller's transaction.
class EmbeddedLimits final {
public:
    explicit EmbeddedLimits(EmbeddedKeyValue &kv);

    // 0 when granted, else ms until the oldest grant leaves the window.
    Result<qint64> rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs);
    Result<UnhandledCount> countUnhandled(
        const QString &counterKey, qint64 threshold, qint64 windowSeconds, qint64 nowMs);

private:
    EmbeddedKeyValue &m_kv;
};

}  // namespace mutt::queue
