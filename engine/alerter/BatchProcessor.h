#pragma once

#include "alerter/AlerterDeps.h"
#include "core/Result.h"
#include "event/Event.h"
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
// processing list only in the apply that writes its outcome.
class BatchProcessor final {
public:
    BatchProcessor(AlerterDeps deps, QString processingList);

    enum class Outcome {
        Committed,  // every item has its outcome
        CommittedRetries,  // committed, but the audit write failed: events were re-queued or DLQ'd
        NotCommitted,  // the apply failed: every item is still in the processing list
    };

    // The caller backs off after anything but Committed, and processes the
    // processing list again after NotCommitted.
    Outcome process(
        const QList<QByteArray> &items, const RuleSet &rules, std::chrono::steady_clock::time_point claimedAt);

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
    void retryAfterAuditFailure(std::vector<ItemPlan> &plans, const QString &error, const QDateTime &now) const;
    Commit collect(const std::vector<ItemPlan> &plans) const;
    Status apply(const std::vector<ItemPlan> &plans, const Commit &commit);
    void count(
        const std::vector<ItemPlan> &plans, const Commit &commit, std::chrono::steady_clock::time_point claimedAt);
    void refreshDlqDepth();

    void forgetCounted(const std::vector<ItemPlan> &plans);

    AlerterDeps m_deps;
    QString m_processing;
    QThreadPool m_countPool;
    // Unhandled counts taken for items whose batch has not committed yet,
    // keyed by the exact item bytes (one entry per occurrence). Processing
    // such an item again reuses its count instead of counting it twice.
    QHash<QByteArray, QList<queue::UnhandledCount>> m_counted;
};

}  // namespace mutt::alerter
