#pragma once

#include "alerter/AlerterDeps.h"
#include "core/Result.h"
#include "event/Event.h"
#include "queue/ClaimGuard.h"
#include "queue/Coordination.h"
#include "sql/SqlTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QThreadPool>

#include <chrono>
#include <optional>
#include <vector>

namespace mutt::alerter {

class RuleSet;

// Decides and commits one claimed batch of ingest items for one processing
// list. Commit order: the audit rows of the batch in one SQL transaction
// (idempotent on correlation id), then one atomic queue apply that removes
// every claimed item (exact bytes) and pushes alerts, retries and DLQ
// entries and counts the outcomes. If the audit write fails, the events that
// needed it go back to the ingest queue with _retry_count + 1, or to the DLQ
// past ALERTER_MAX_RETRIES. If the apply fails, the items stay in the
// processing list for the next attempt or the janitor. An item leaves the
// processing list only in the apply that writes its outcome. Before that
// apply, items that the janitor of another alerter took back while this
// process was paused are dropped from the batch (see queue::ClaimGuard).
// The alerter that claims them again records their outcome.
class BatchProcessor final {
public:
    BatchProcessor(AlerterDeps deps, QString processingList, queue::ClaimGuard &guard);

    enum class Outcome {
        Committed,  // every item has its outcome
        CommittedRetries,  // committed, but the audit write failed: events were re-queued or DLQ'd
        NotCommitted,  // the apply failed: every item is still in the processing list
    };

    class Prepared;

    // A batch goes through prepare(), commit() and settle() in this order.
    // The caller backs off after any outcome but Committed, and processes
    // the processing list again after NotCommitted.

    // Decides every item of a claimed batch and takes its unhandled counts.
    // Runs on the lane's thread. `mark` was taken before the items were
    // claimed or read from the processing list.
    Prepared prepare(const QList<QByteArray> &items, const RuleSet &rules,
        std::chrono::steady_clock::time_point claimedAt, queue::ClaimGuard::Mark mark);
    // Writes the audit rows, then applies the outcomes in one queue apply,
    // and counts them. It may run on another thread, also while prepare()
    // runs for the next batch: the two share no state.
    Outcome commit(Prepared &batch);
    // Drops, on the lane's thread, the unhandled counts of a batch that
    // committed. After NotCommitted they are kept, so the items
    // processed again reuse them.
    void settle(const Prepared &batch, Outcome outcome);

    // Backpressure in dlq mode: moves the claimed items to the alerter DLQ
    // in one apply. An error leaves them in the processing list.
    Status shed(const QList<QByteArray> &items, qint64 depth, qint64 threshold);

private:
    struct ItemPlan {
        enum class Kind { DeadLetter, Retry, Forward, Suppress, Unhandled };
        Kind kind = Kind::DeadLetter;
        QByteArray raw;  // exact claimed bytes
        QByteArray output;  // DLQ entry, retry item or alert
        QByteArray metaAlert;
        std::optional<event::Event> event;  // all but DeadLetter
        qint64 retryCount = 0;
        bool poison = false;  // DLQ for the retry limit (else for bad input)
        QString reason;  // why it went to the DLQ
        QString correlationId;
    };
    using Kind = ItemPlan::Kind;

public:
    // A planned batch between prepare() and settle().
    class Prepared {
    public:
        // Alerts the commit pushes onto the alert queue.
        [[nodiscard]] qsizetype alerts() const { return m_alerts; }
        [[nodiscard]] qsizetype size() const { return qsizetype(m_plans.size()); }

    private:
        friend class BatchProcessor;
        std::vector<ItemPlan> m_plans;
        QList<sql::EventAuditRow> m_auditRows;
        QDateTime m_now;
        std::chrono::steady_clock::time_point m_claimedAt;
        queue::ClaimGuard::Mark m_mark;
        std::vector<ItemPlan> m_lost;  // dropped by commit(): another alerter owns them now
        qsizetype m_alerts = 0;
    };

private:
    struct Commit {
        QList<QByteArray> alerts;
        QList<QByteArray> retries;
        QList<QByteArray> deadLetters;
        qint64 suppressed = 0;
        qint64 unhandled = 0;
        qint64 generated = 0;
    };

    ItemPlan plan(
        const QByteArray &raw, const RuleSet &rules, const QDateTime &now, std::optional<sql::EventAuditRow> &audit);
    void planMatched(
        ItemPlan &item, event::Event &event, const RuleSet &rules, std::optional<sql::EventAuditRow> &audit);
    void countUnhandled(std::vector<ItemPlan> &plans, const RuleSet &rules);
    void raiseMetaAlert(ItemPlan &item, const RuleSet &rules, qint64 count, qint64 window);
    static ItemPlan deadLetter(
        const QByteArray &raw, event::Event &event, const QString &reason, const QDateTime &now, bool poison);

    Status writeAudit(const QList<sql::EventAuditRow> &rows);
    // Moves the plans of items no longer in the processing list to
    // batch.m_lost. False when the list could not be checked.
    bool dropLost(Prepared &batch);
    // With `storeDown` (the SQL store does not respond to a ping either) the
    // events go back to the ingest queue without using up a retry, so an
    // outage of any length sends none of them to the DLQ.
    void retryAfterAuditFailure(
        std::vector<ItemPlan> &plans, const QString &error, const QDateTime &now, bool storeDown) const;
    Commit collect(const std::vector<ItemPlan> &plans) const;
    Status apply(const std::vector<ItemPlan> &plans, const Commit &commit);
    void count(
        const std::vector<ItemPlan> &plans, const Commit &commit, std::chrono::steady_clock::time_point claimedAt);
    void refreshDlqDepth();

    void forgetCounted(const std::vector<ItemPlan> &plans);

    AlerterDeps m_deps;
    QString m_processing;
    queue::ClaimGuard &m_guard;
    QThreadPool m_countPool;
    // Unhandled counts taken for items whose batch has not committed yet,
    // keyed by the exact item bytes (one entry per occurrence). Processing
    // such an item again reuses its count instead of counting it twice.
    QHash<QByteArray, QList<queue::UnhandledCount>> m_counted;
};

}  // namespace mutt::alerter
