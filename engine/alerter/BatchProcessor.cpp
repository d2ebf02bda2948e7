#include "alerter/BatchProcessor.h"

#include "alerter/AlertItems.h"
#include "alerter/AlerterConfig.h"
#include "alerter/AlerterMetrics.h"
#include "alerter/RuleSet.h"
#include "config/Settings.h"
#include "core/Log.h"
#include "queue/Coordination.h"
#include "queue/QueueNames.h"
#include "queue/QueueStore.h"
#include "sql/SqlStore.h"

#include <QElapsedTimer>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>

namespace mutt::alerter {
namespace {

using queue::Op;

auto logger()
{
    return mutt::log::get("alerter");
}

// Namespace of the correlation ids the alerter derives for events that came
// without one: 6f1c3f0e-9a52-4d1b-8f57-2b7d3c9e4a10, a fixed random UUID.
constexpr QUuid kCorrelationNamespace(0x6f1c3f0e, 0x9a52, 0x4d1b, 0x8f, 0x57, 0x2b, 0x7d, 0x3c, 0x9e, 0x4a, 0x10);

// Unhandled counters updated at once per batch (threads that mostly wait on
// the store).
constexpr int kConcurrentCounts = 32;

// Counts remembered for uncommitted items at most; past this (items that
// left through another path, e.g. returned at stop) the memory starts over.
constexpr qsizetype kMaxRememberedCounts = 100'000;

// The first required field that is absent, null or blank, or nullptr.
const char *missingField(const event::Event &event)
{
    for (const char *field : {"hostname", "message", "timestamp"}) {
        if (event.string(field).trimmed().isEmpty())
            return field;
    }
    return nullptr;
}

// _retry_count must be a JSON integer >= 0 when present.
std::optional<qint64> retryCountOf(const event::Event &event, bool &valid)
{
    valid = true;
    const auto member = event.document().FindMember(event::fields::retryCount);
    if (member == event.document().MemberEnd())
        return qint64(0);
    const std::optional<qint64> count = event.integer(event::fields::retryCount);
    if (!member->value.IsNumber() || !count || *count < 0) {
        valid = false;
        return std::nullopt;
    }
    return count;
}

}  // namespace

BatchProcessor::BatchProcessor(AlerterDeps deps, QString processingList, queue::ClaimGuard &guard)
    : m_deps(deps)
    , m_processing(std::move(processingList))
    , m_guard(guard)
{
    m_countPool.setMaxThreadCount(kConcurrentCounts);
}

BatchProcessor::Prepared BatchProcessor::prepare(const QList<QByteArray> &items, const RuleSet &rules,
    std::chrono::steady_clock::time_point claimedAt, queue::ClaimGuard::Mark mark)
{
    Prepared batch;
    batch.m_now = QDateTime::currentDateTimeUtc();
    batch.m_claimedAt = claimedAt;
    batch.m_mark = mark;
    batch.m_plans.reserve(size_t(items.size()));
    for (const QByteArray &raw : items) {
        std::optional<sql::EventAuditRow> audit;
        batch.m_plans.push_back(plan(raw, rules, batch.m_now, audit));
        if (audit)
            batch.m_auditRows.append(std::move(*audit));
    }
    countUnhandled(batch.m_plans, rules);
    for (const ItemPlan &item : batch.m_plans)
        batch.m_alerts += (item.kind == Kind::Forward ? 1 : 0) + (item.metaAlert.isEmpty() ? 0 : 1);
    return batch;
}

BatchProcessor::Outcome BatchProcessor::commit(Prepared &batch)
{
    Status audited;
    if (!batch.m_auditRows.isEmpty())
        audited = writeAudit(batch.m_auditRows);
    if (!audited.ok()) {
        // A failed write on a database that responds is about the rows, and
        // retries count towards the DLQ. A database that does not respond at
        // all is an outage, which the events wait out in the ingest queue.
        const bool storeDown = !m_deps.sql.ping().ok();
        retryAfterAuditFailure(batch.m_plans, audited.error().toString(), batch.m_now, storeDown);
    }

    if (!dropLost(batch))
        return Outcome::NotCommitted;
    const Commit outcomes = collect(batch.m_plans);
    if (!apply(batch.m_plans, outcomes).ok())
        return Outcome::NotCommitted;
    count(batch.m_plans, outcomes, batch.m_claimedAt);
    return audited.ok() ? Outcome::Committed : Outcome::CommittedRetries;
}

void BatchProcessor::settle(const Prepared &batch, Outcome outcome)
{
    if (outcome != Outcome::NotCommitted)
        forgetCounted(batch.m_plans);
    forgetCounted(batch.m_lost);
}

// The audit rows of lost items are written already. They are keyed by
// correlation id, so the alerter that processes the items again adds none.
bool BatchProcessor::dropLost(Prepared &batch)
{
    if (!m_guard.mayHaveLost(batch.m_mark))
        return true;
    QList<QByteArray> items;
    items.reserve(qsizetype(batch.m_plans.size()));
    for (const ItemPlan &item : batch.m_plans)
        items.append(item.raw);
    const auto claimed = m_guard.stillClaimed(batch.m_mark, items);
    if (!claimed.ok()) {
        m_deps.metrics.commitFailures.inc();
        logger()->error("cannot check which items the batch still owns processing_list={} items={}; reason={}; "
                        "the items stay claimed and are retried",
            m_processing, items.size(), claimed.error().toString());
        return false;
    }
    std::vector<ItemPlan> kept;
    kept.reserve(batch.m_plans.size());
    for (size_t i = 0; i < batch.m_plans.size(); ++i)
        (claimed.value()[i] ? kept : batch.m_lost).push_back(std::move(batch.m_plans[i]));
    batch.m_plans = std::move(kept);
    if (!batch.m_lost.empty()) {
        logger()->warn("heartbeat lapsed while the batch was in progress processing_list={} items={} lost={}; the "
                       "janitor of another alerter returned the lost items to {}, so this alerter drops them "
                       "and the alerter that claims them next records them",
            m_processing, items.size(), batch.m_lost.size(), m_deps.settings.ingestQueue);
    }
    return true;
}

Status BatchProcessor::shed(const QList<QByteArray> &items, qint64 depth, qint64 threshold)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString reason = QStringLiteral("shed: alert queue depth %1 > threshold %2").arg(depth).arg(threshold);
    QList<Op> ops;
    QList<QByteArray> entries;
    for (const QByteArray &raw : items) {
        ops.append(Op::removeOldest(m_processing, raw));
        auto parsed = event::Event::parse(raw);
        entries.append(
            parsed.ok() ? items::deadLetter(parsed.value(), reason, now) : items::deadLetterRaw(raw, reason, now));
    }
    ops.append(Op::pushHead(m_deps.settings.alerterDlq, entries));

    if (const Status applied = m_deps.queue.apply(ops, queue::Durability::Move); !applied.ok()) {
        m_deps.metrics.commitFailures.inc();
        logger()->error("shedding failed processing_list={} items={}; reason={}; the items stay claimed and are "
                        "retried",
            m_processing, items.size(), applied.error().toString());
        return applied;
    }
    m_deps.metrics.shedDlq.inc(double(items.size()));
    logger()->warn(
        "events shed to the DLQ dlq={} items={}; reason={}", m_deps.settings.alerterDlq, items.size(), reason);
    refreshDlqDepth();
    return {};
}

BatchProcessor::ItemPlan BatchProcessor::plan(
    const QByteArray &raw, const RuleSet &rules, const QDateTime &now, std::optional<sql::EventAuditRow> &audit)
{
    auto parsed = event::Event::parse(raw);
    if (!parsed.ok()) {
        ItemPlan item;
        item.raw = raw;
        item.reason = QStringLiteral("invalid JSON: ") + parsed.error().message;
        item.output = items::deadLetterRaw(raw, item.reason, now);
        return item;
    }
    event::Event &event = parsed.value();

    bool validCount = true;
    const std::optional<qint64> retries = retryCountOf(event, validCount);
    if (!validCount) {
        const QString reason = QStringLiteral("_retry_count %1 is not a non-negative integer")
                                   .arg(event.string(event::fields::retryCount));
        return deadLetter(raw, event, reason, now, true);
    }
    if (*retries > m_deps.settings.alerterMaxRetries) {
        const QString reason = QStringLiteral("_retry_count %1 exceeds ALERTER_MAX_RETRIES %2")
                                   .arg(*retries)
                                   .arg(m_deps.settings.alerterMaxRetries);
        return deadLetter(raw, event, reason, now, true);
    }
    if (const char *field = missingField(event)) {
        const QString reason
            = QStringLiteral("missing field %1: the event has no %1 or it is empty").arg(QLatin1StringView(field));
        return deadLetter(raw, event, reason, now, false);
    }
    if (!event.timestamp()) {
        const QString reason
            = QStringLiteral("invalid timestamp '%1': expected an RFC 3339 date-time").arg(event.string("timestamp"));
        return deadLetter(raw, event, reason, now, false);
    }

    ItemPlan item;
    item.raw = raw;
    item.retryCount = *retries;
    item.correlationId = event.correlationId();
    planMatched(item, event, rules, audit);
    item.event = std::move(event);
    return item;
}

void BatchProcessor::planMatched(
    ItemPlan &item, event::Event &event, const RuleSet &rules, std::optional<sql::EventAuditRow> &audit)
{
    const std::optional<RuleDecision> decision = rules.decide(event);
    if (!decision) {
        item.kind = Kind::Unhandled;
        return;
    }

    // The correlation id is the audit row's idempotency key. An event
    // without one gets a name-based UUID of its exact bytes, so processing
    // the same item again (after a failed commit) yields the same id.
    if (event.correlationId().trimmed().isEmpty()) {
        const QUuid id = QUuid::createUuidV5(kCorrelationNamespace, item.raw);
        event.setString(event::fields::correlationId, id.toString(QUuid::WithoutBraces));
    }

    sql::EventAuditRow row;
    row.eventTimestamp = *event.timestamp();
    row.hostname = event.hostname();
    row.matchedRuleId = decision->rule->id;
    row.handlingDecision = decision->handling;
    row.forwardedToMoog = decision->forward;
    row.rawMessage = QString::fromUtf8(event.toJson());
    row.correlationId = event.correlationId();
    audit = std::move(row);
    item.correlationId = event.correlationId();

    item.kind = decision->forward ? Kind::Forward : Kind::Suppress;
    if (decision->forward)
        item.output = items::alert(event, *decision->rule, decision->handling);
    logger()->debug("event matched correlation_id={} rule_id={} environment={} handling={} forwarded={}",
        event.correlationId(), decision->rule->id, environmentName(decision->environment), decision->handling,
        decision->forward);
}

// The unhandled counters of a batch are updated concurrently: each call is
// one atomic store operation, and the embedded store commits concurrent
// operations together, so a batch costs a few commits instead of one each.
// The counters move before the batch commits. An item processed again after
// a failed commit reuses the count it took then, so each event counts once,
// and a meta-alert raised then is raised again with the retried batch.
void BatchProcessor::countUnhandled(std::vector<ItemPlan> &plans, const RuleSet &rules)
{
    struct Count {
        ItemPlan *item = nullptr;
        QString key;
        std::optional<Result<queue::UnhandledCount>> result;
    };
    std::vector<Count> counts;
    std::vector<Count> reused;
    QHash<QByteArray, qsizetype> seen;  // occurrences of each item in this batch
    for (ItemPlan &item : plans) {
        if (item.kind != Kind::Unhandled)
            continue;
        const qsizetype occurrence = seen[item.raw]++;
        const auto counted = m_counted.constFind(item.raw);
        if (counted != m_counted.constEnd() && occurrence < counted.value().size()) {
            reused.push_back(Count {&item, QString(), Result<queue::UnhandledCount>(counted.value().at(occurrence))});
            continue;
        }
        const QString key
            = items::unhandledKey(m_deps.settings.unhandledPrefix, item.event->hostname(), item.event->message());
        counts.push_back(Count {&item, key, std::nullopt});
    }
    if (counts.empty() && reused.empty())
        return;

    const qint64 threshold = m_deps.config.unhandledThreshold();
    const qint64 window = m_deps.config.unhandledExpirySeconds();
    QtConcurrent::blockingMap(&m_countPool, counts, [this, threshold, window](Count &count) {
        count.result = m_deps.coordination.countUnhandled(count.key, threshold, window);
    });

    for (Count &count : counts) {
        if (!count.result->ok()) {
            logger()->warn("unhandled counter not updated key={}; reason={}; the event is still counted as unhandled",
                count.key, count.result->error().toString());
            continue;
        }
        if (m_counted.size() >= kMaxRememberedCounts) {
            logger()->warn("forgetting unhandled counts of uncommitted items processing_list={} items={}; an item "
                           "processed again may be counted twice",
                m_processing, m_counted.size());
            m_counted.clear();
        }
        m_counted[count.item->raw].append(count.result->value());
    }
    for (std::vector<Count> *group : {&counts, &reused}) {
        for (Count &count : *group) {
            if (count.result->ok() && count.result->value().fire)
                raiseMetaAlert(*count.item, rules, count.result->value().count, window);
        }
    }
}

// Drops the remembered counts of a committed batch.
void BatchProcessor::forgetCounted(const std::vector<ItemPlan> &plans)
{
    if (m_counted.isEmpty())
        return;
    for (const ItemPlan &item : plans) {
        const auto counted = m_counted.find(item.raw);
        if (counted == m_counted.end())
            continue;
        counted.value().removeFirst();
        if (counted.value().isEmpty())
            m_counted.erase(counted);
    }
}

void BatchProcessor::raiseMetaAlert(ItemPlan &item, const RuleSet &rules, qint64 count, qint64 window)
{
    const event::Event &event = *item.event;
    const QString hostname = event.hostname();
    QString team = rules.teamFor(hostname);
    if (team.isEmpty())
        team = m_deps.settings.unhandledDefaultTeam;
    item.metaAlert = items::metaAlert(event, team, count, window);
    logger()->info("unhandled meta-alert raised hostname={} count={} window_s={} team={} correlation_id={}", hostname,
        count, window, team, event.correlationId());
}

BatchProcessor::ItemPlan BatchProcessor::deadLetter(
    const QByteArray &raw, event::Event &event, const QString &reason, const QDateTime &now, bool poison)
{
    ItemPlan item;
    item.raw = raw;
    item.poison = poison;
    item.reason = reason;
    item.correlationId = event.correlationId();
    item.output = items::deadLetter(event, reason, now);
    return item;
}

Status BatchProcessor::writeAudit(const QList<sql::EventAuditRow> &rows)
{
    QElapsedTimer timer;
    timer.start();
    const Status written = m_deps.sql.writeEventAudit(rows);
    m_deps.metrics.dbWriteLatencyMs.observe(double(timer.nsecsElapsed()) / 1e6);
    if (!written.ok()) {
        logger()->warn("event audit write failed rows={}; reason={}; the events are retried", rows.size(),
            written.error().logText());
    }
    return written;
}

void BatchProcessor::retryAfterAuditFailure(
    std::vector<ItemPlan> &plans, const QString &error, const QDateTime &now, bool storeDown) const
{
    const qint64 maxRetries = m_deps.settings.alerterMaxRetries;
    qsizetype waiting = 0;
    for (ItemPlan &item : plans) {
        if (item.kind != Kind::Forward && item.kind != Kind::Suppress)
            continue;

        if (storeDown) {
            item.kind = Kind::Retry;
            item.output = item.raw;
            ++waiting;
            continue;
        }
        const qint64 attempts = item.retryCount + 1;
        if (attempts > maxRetries) {
            const QString reason = QStringLiteral("audit write failed after %1 attempts: %2").arg(attempts).arg(error);
            item.kind = Kind::DeadLetter;
            item.poison = true;
            item.reason = reason;
            item.output = items::deadLetter(*item.event, reason, now);
            continue;
        }
        item.event->setInteger(event::fields::retryCount, attempts);
        item.kind = Kind::Retry;
        item.output = item.event->toJson();
    }
    if (waiting > 0) {
        logger()->warn("the SQL store does not answer; {} events go back to {} without using a retry and wait "
                       "until it answers",
            waiting, m_deps.settings.ingestQueue);
    }
}

BatchProcessor::Commit BatchProcessor::collect(const std::vector<ItemPlan> &plans) const
{
    Commit commit;
    for (const ItemPlan &item : plans) {
        switch (item.kind) {
        case Kind::DeadLetter: commit.deadLetters.append(item.output); break;
        case Kind::Retry: commit.retries.append(item.output); break;
        case Kind::Forward: commit.alerts.append(item.output); break;
        case Kind::Suppress: ++commit.suppressed; break;
        case Kind::Unhandled: ++commit.unhandled; break;
        }
        if (!item.metaAlert.isEmpty()) {
            commit.alerts.append(item.metaAlert);
            ++commit.generated;
        }
    }
    return commit;
}

Status BatchProcessor::apply(const std::vector<ItemPlan> &plans, const Commit &commit)
{
    const config::Settings &settings = m_deps.settings;
    QList<Op> ops;
    ops.reserve(qsizetype(plans.size()) + 6);
    // The claim put the oldest item deepest in the processing list, and the
    // plans keep claim order, so each removal from the oldest end finds its
    // item first instead of scanning past the rest of the batch.
    for (const ItemPlan &item : plans)
        ops.append(Op::removeOldest(m_processing, item.raw));
    if (!commit.alerts.isEmpty())
        ops.append(Op::pushHead(settings.alertQueue, commit.alerts));
    if (!commit.retries.isEmpty())
        ops.append(Op::pushHead(settings.ingestQueue, commit.retries));
    if (!commit.deadLetters.isEmpty())
        ops.append(Op::pushHead(settings.alerterDlq, commit.deadLetters));
    if (commit.suppressed > 0)
        ops.append(Op::increment(queue::keys::statSuppressed, commit.suppressed));
    if (commit.unhandled > 0)
        ops.append(Op::increment(queue::keys::statUnhandled, commit.unhandled));
    if (commit.generated > 0)
        ops.append(Op::increment(queue::keys::statGenerated, commit.generated));

    // A Move commit: it only turns claimed items into their outcomes. If
    // power loss undoes it, the items are back in the processing list or
    // the ingest queue and are processed again. Their audit rows, written
    // and synced before, are idempotent on the correlation id.
    const Status applied = m_deps.queue.apply(ops, queue::Durability::Move);
    if (!applied.ok()) {
        m_deps.metrics.commitFailures.inc();
        logger()->error("batch commit failed processing_list={} items={}; reason={}; the items stay claimed and "
                        "are retried or recovered by the janitor",
            m_processing, plans.size(), applied.error().toString());
    }
    return applied;
}

void BatchProcessor::count(
    const std::vector<ItemPlan> &plans, const Commit &commit, std::chrono::steady_clock::time_point claimedAt)
{
    AlerterMetrics &metrics = m_deps.metrics;
    const double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - claimedAt).count();
    for (const ItemPlan &item : plans) {
        switch (item.kind) {
        case Kind::DeadLetter:
            (item.poison ? metrics.poison : metrics.error).inc();
            logger()->warn("event moved to the DLQ dlq={} correlation_id={}; reason={}", m_deps.settings.alerterDlq,
                item.correlationId, item.reason);
            break;
        case Kind::Retry: metrics.error.inc(); break;
        case Kind::Forward:
        case Kind::Suppress:
            metrics.handled.inc();
            metrics.processingLatency.observe(latency);
            break;
        case Kind::Unhandled:
            metrics.unhandled.inc();
            metrics.processingLatency.observe(latency);
            break;
        }
    }
    metrics.alertsForwarded.inc(double(commit.alerts.size()));
    metrics.metaAlerts.inc(double(commit.generated));
    if (!commit.deadLetters.isEmpty())
        refreshDlqDepth();
}

void BatchProcessor::refreshDlqDepth()
{
    const auto depth = m_deps.queue.length(m_deps.settings.alerterDlq);
    if (depth.ok())
        m_deps.metrics.dlqDepth.set(double(depth.value()));
}

}  // namespace mutt::alerter
