#pragma once

#include "queue/Coordination.h"
#include "queue/QueueStore.h"
#include "remediation/RemediationMetrics.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace mutt::remediation {

// Route of one DLQ's replays: the target queue and the attempt counter that restarts.
struct ReplayRoute {
    QString dlq;  // mutt:dlq:moog or mutt:dlq:alerter
    QString target;  // mutt:alert_queue or mutt:ingest_queue
    const char *attemptField;  // _moog_retry_count or _retry_count, reset to 0
};

struct ReplayLimits {
    int batchSize = 10;
    int maxPoisonRetries = 3;  // items replayed this often already go to deadLetter
    QString deadLetter;
    QString rateKey;
    qint64 rateLimit = 50;
    qint64 ratePeriodMs = 1000;
    bool circuitEnabled = true;
    queue::CircuitPolicy circuitPolicy;
};

struct ReplayCounts {
    int replayed = 0;
    int poisoned = 0;  // moved to the dead letter queue
    int failed = 0;
    bool circuitNotClosed = false;  // stopped because the circuit left CLOSED
    bool interrupted = false;  // stopped because the worker is stopping
};

// Moves the oldest items of one DLQ back to their queue, one atomic batch per
// item (remove the exact bytes from the DLQ, push the updated item): the
// attempt counter restarts at 0, _replay_count goes up by one and the _dlq_*
// fields are dropped. Items replayed maxPoisonRetries times already, and
// wrappers of invalid JSON that replay cannot repair, go to the dead letter
// queue with a _dlq_reason saying so. Each replay first takes a slot of the
// shared Moogsoft rate limiter and checks that the circuit is still CLOSED.
class DlqReplayer final {
public:
    // `sleep` waits the given milliseconds and returns false when the worker
    // is stopping.
    DlqReplayer(queue::QueueStore &store, queue::Coordination &coordination, RemediationMetrics &metrics,
        std::function<bool(qint64 ms)> sleep);

    ReplayCounts replay(const ReplayRoute &route, const ReplayLimits &limits);

private:
    enum class Disposition { Replay, Dead };
    struct Decision {
        Disposition disposition = Disposition::Replay;
        QByteArray item;  // the bytes to push
        QString correlationId;
        qint64 replayCount = 0;
    };

    Decision decide(const QByteArray &raw, const ReplayRoute &route, const ReplayLimits &limits) const;
    [[nodiscard]] bool circuitClosed(const ReplayLimits &limits);
    [[nodiscard]] bool waitForRateSlot(const ReplayLimits &limits);

    queue::QueueStore &m_store;
    queue::Coordination &m_coordination;
    RemediationMetrics &m_metrics;
    std::function<bool(qint64)> m_sleep;
};

}  // namespace mutt::remediation
