#pragma once

#include "config/Settings.h"
#include "forwarder/ForwarderMetrics.h"
#include "forwarder/Mailbox.h"
#include "queue/ClaimGuard.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <unordered_map>

namespace mutt::forwarder {

// The forwarder's delivery thread. It claims alerts when an in-flight slot,
// the circuit breaker and the rate limiter allow it, and hands them to the
// network thread. While the circuit is CLOSED and the limiter has headroom it
// claims more, which wait in the client's queue (claim-ahead, see
// updateClaimAhead() and sendCapacity()). It turns each response into one
// atomic store batch (delivered, retry scheduled or DLQ). It also runs the heartbeat, the janitor
// and retry promotion. Every blocking store call happens here, never on the
// network thread.
class DeliveryLoop final {
public:
    struct Hooks {
        // Queues posts on the network thread: (id, JSON body) pairs, one hand-over per claim round.
        std::function<void(QList<QPair<quint64, QByteArray>> posts)> send;
        std::function<void()> abortAll;  // abort every post in flight (blocking)
        // Hands back the posts still queued in the client as unsent results.
        std::function<void()> releaseQueued;
        // Lets the client take posts again after a response that asked for a
        // retry; the argument counts such responses the loop has handled.
        std::function<void(quint64 retryAnswersSeen)> resume;
    };

    DeliveryLoop(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
        ForwarderMetrics &metrics, QString podName, std::shared_ptr<Mailbox> mailbox, Hooks hooks);
    DeliveryLoop(const DeliveryLoop &) = delete;
    DeliveryLoop &operator=(const DeliveryLoop &) = delete;

    // Runs until Mailbox::requestStop(), then drains or aborts the requests in
    // flight and returns the unsent claimed items to the alert queue.
    void run();

    [[nodiscard]] QString processingList() const { return m_processingList; }

private:
    struct InFlight {
        QByteArray raw;  // exact claimed bytes, for LREM
        QString correlationId;
        qint64 retryCount = 0;
        bool probe = false;
        bool applying = false;  // the result batch was handed to the store
        queue::ClaimGuard::Mark mark;  // taken before the claim
    };

    void startUp();
    void shutDown();
    [[nodiscard]] bool drainMailbox(qint64 nowMs);
    [[nodiscard]] bool stopStepDone(qint64 nowMs);
    void waitForWork(qint64 nowMs);

    void dispatch(qint64 nowMs);
    [[nodiscard]] bool queueMayHold() const;
    void updateClaimAhead(qint64 nowMs);
    [[nodiscard]] int sendCapacity() const;
    [[nodiscard]] int acquirePermits(qint64 nowMs, int requested, bool &probe);
    void idle(qint64 nowMs);
    [[nodiscard]] bool circuitKnownClosed(qint64 nowMs) const;
    void startDelivery(QByteArray raw, bool probe, qint64 nowMs, QList<QPair<quint64, QByteArray>> &posts);
    // Removes the results of alerts that left the processing list while
    // this process was paused, and stops tracking those alerts.
    void dropLost(std::deque<SendResult> &results);

    // Turns a response into the ops that record it; empty when the id is unknown.
    QList<queue::Op> handleResult(const SendResult &result);
    QList<queue::Op> deliveredOps(const InFlight &item);
    QList<queue::Op> retryOps(const InFlight &item, const SendResult &result, qint64 nowMs);
    QList<queue::Op> deadLetterOps(const InFlight &item, const QString &reason, int status, qint64 nowMs);
    QList<queue::Op> unsentOps(const InFlight &item);
    void submit(quint64 id, QList<queue::Op> ops);
    // One store batch (group commit) for the results of several alerts.
    void submitBatch(QList<quint64> ids, QList<queue::Op> ops);
    [[nodiscard]] int awaitingResponse() const;
    [[nodiscard]] int dispatchBatch() const;
    void handleApplied(quint64 id, const Status &status);

    // sentAtMs: when the reported post went out (0 when unknown).
    void recordCircuit(bool success, bool probe, qint64 nowMs, qint64 sentAtMs);
    void observeCircuit(const queue::CircuitStatus &status);
    // Where alerts wait while the circuit is not CLOSED, and when the probe is due.
    [[nodiscard]] QString circuitWaitText(const queue::CircuitStatus &status) const;

    void housekeeping(qint64 nowMs);
    void writeHeartbeat(qint64 nowMs);
    void runJanitor();
    void returnUnrecorded();
    void noticeStrays(qint64 listed);
    void promoteDueRetries(qint64 nowMs);
    void refreshGauges();
    void refreshDynamicConfig();
    [[nodiscard]] qint64 configNumber(const QString &key, qint64 fallback, qint64 minimum);

    const config::Settings m_settings;
    queue::QueueStore &m_store;
    queue::Coordination &m_coordination;
    ForwarderMetrics &m_metrics;
    const QString m_podName;
    const QString m_processingList;
    const QString m_heartbeatKey;
    queue::ClaimGuard m_guard;
    queue::ClaimGuard::Mark m_claimMark;  // taken before the last claim
    std::shared_ptr<Mailbox> m_mailbox;
    Hooks m_hooks;

    std::unordered_map<quint64, InFlight> m_inFlight;
    // Items of m_inFlight whose result batch is with the store: they no longer
    // hold a request slot (MOOG_MAX_IN_FLIGHT counts requests on the wire).
    int m_applying = 0;
    quint64 m_nextId = 1;  // ids follow the order in which posts reach the client
    quint64 m_newestFailedId = 0;  // newest post whose response requested a retry
    quint64 m_newestDeliveredId = 0;  // newest post that Moogsoft accepted
    // A result batch failed (store outage): its alerts are still in the
    // processing list but no longer tracked. Dispatch pauses until nothing
    // is in flight, then the list goes back to the alert queue.
    bool m_unrecorded = false;
    bool m_probeHeld = false;  // this worker holds the fleet's probe permit and has not sent it yet
    // Claim-ahead: the client may hold more posts in its queue (see
    // sendCapacity()), so that a connection sends the next alert as soon as its
    // response arrives instead of waiting for a claim round on this thread.
    bool m_claimAhead = false;
    bool m_queueHeld = false;  // the client may hold queued posts
    quint64 m_retryAnswersSeen = 0;  // results handled so far whose response asked for a retry
    qint64 m_rateQuietUntilMs = 0;  // no claim-ahead before this: the limiter granted less than asked
    std::optional<queue::CircuitStatus> m_circuit;  // last state seen
    qint64 m_circuitSeenMs = 0;  // when m_circuit was read; 0 after a failed report

    qint64 m_rateLimit = 50;
    qint64 m_ratePeriodMs = 1000;
    queue::CircuitPolicy m_policy;

    qint64 m_nextDispatchMs = 0;
    qint64 m_idlePollMs = 1;
    qint64 m_nextHeartbeatMs = 0;
    qint64 m_nextJanitorMs = 0;
    qint64 m_nextPromoteMs = 0;
    qint64 m_nextGaugesMs = 0;
    qint64 m_nextConfigMs = 0;
    qint64 m_nextStoreWarningMs = 0;

    bool m_stopping = false;
    bool m_aborted = false;
    qint64 m_stopDeadlineMs = 0;
};

}  // namespace mutt::forwarder
