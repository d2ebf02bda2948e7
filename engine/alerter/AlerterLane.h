#pragma once

#include "alerter/AlerterDeps.h"
#include "alerter/BatchProcessor.h"
#include "alerter/ClaimSizer.h"
#include "alerter/CommitStage.h"
#include "alerter/StopSignal.h"
#include "queue/ClaimGuard.h"

#include <QString>

#include <chrono>
#include <optional>
#include <thread>

namespace mutt::alerter {

class RuleCache;

// One alerter thread with its own processing list: waits for the first rule
// load, checks backpressure before every claim, claims a batch from the
// ingest queue and hands it to a BatchProcessor. Backs off (interruptibly)
// after a failed claim, audit write or commit. After a failed commit it
// processes the items still in its processing list before claiming more.
// In defer mode a pause ends early once the alert queue is back at the shed
// threshold.
// Claims are sized by a ClaimSizer.
// Batches are pipelined: while one batch commits on the lane's CommitStage
// (audit write, then queue apply), the lane claims and plans the next one.
// At most one batch commits at a time, and batches commit in claim order.
// The lane waits for the committing batch before it hands over the next,
// before it pauses, reads its processing list, sheds or stops.
class AlerterLane final {
public:
    AlerterLane(AlerterDeps deps, RuleCache &cache, StopSignal &stop, queue::ClaimGuard &guard);
    ~AlerterLane();
    AlerterLane(const AlerterLane &) = delete;
    AlerterLane &operator=(const AlerterLane &) = delete;

    void start();
    // Returns once the thread has finished its current batch and exited;
    // call after StopSignal::requestStop().
    void join();

    [[nodiscard]] const QString &processingList() const { return m_processing; }

private:
    void run();
    void returnLeftovers();
    // False when this round must not claim (deferred or shed).
    bool admit();
    void shedBatch(qint64 depth, qint64 threshold);
    void waitForRoom(qint64 threshold);
    void claimAndProcess();
    void processLeftInList();
    void checkForStrays();
    void processBatch(const QList<QByteArray> &items);
    BatchProcessor::Prepared prepare(const QList<QByteArray> &items);
    void startCommit(BatchProcessor::Prepared batch);
    // Waits for the committing batch, if any, and handles its outcome.
    // Returns false when it did not commit (its items, and those of any
    // batch planned since, are then processed again from the list).
    bool finishCommit();
    void handleOutcome(BatchProcessor::Outcome outcome, qsizetype items);
    // A batch from the ingest queue, or nullopt when none came or the claim
    // failed (then after a back-off). Without `wait` it does not block when
    // the queue is empty.
    std::optional<QList<QByteArray>> claim(int size, bool wait = true);
    // Makes the lane process its processing list before it claims again.
    void recheck(const char *cause);
    static bool warnDue(std::chrono::steady_clock::time_point &last);

    AlerterDeps m_deps;
    RuleCache &m_cache;
    StopSignal &m_stop;
    QString m_processing;
    queue::ClaimGuard &m_guard;
    queue::ClaimGuard::Mark m_claimMark;  // taken before the items being prepared were claimed
    BatchProcessor m_batch;
    CommitStage<BatchProcessor::Outcome> m_commit;
    std::optional<BatchProcessor::Prepared> m_committing;  // the batch m_commit runs
    Backoff m_backoff;
    std::thread m_thread;
    ClaimSizer m_claimSizer;
    qint64 m_alertRoom = 0;  // shed threshold minus alert queue depth, from admit()
    bool m_recheck = false;  // a commit or claim failed: process the processing list before claiming
    const char *m_recheckCause = "";  // what put the items there, for the log
    std::chrono::steady_clock::time_point m_nextStrayCheck {};
    std::chrono::steady_clock::time_point m_lastDepthWarn {};
    std::chrono::steady_clock::time_point m_lastShedLog {};
};

}  // namespace mutt::alerter
