// DeliveryLoop: turning webhook responses into store batches and circuit reports.

#include "forwarder/DeliveryLoop.h"

#include "core/Log.h"
#include "event/Event.h"
#include "forwarder/DeadLetter.h"
#include "forwarder/DeliveryPolicy.h"
#include "queue/QueueNames.h"

#include <QDateTime>
#include <QHash>

#include <optional>
#include <unordered_set>

#include <algorithm>

namespace mutt::forwarder {
namespace {

auto logger()
{
    return log::get("forwarder");
}

// "503", or "none (no response within 2000 ms)" when no HTTP response arrived.
QString describeAnswer(const SendResult &result)
{
    if (result.httpStatus > 0)
        return QString::number(result.httpStatus);
    return QStringLiteral("none (%1)").arg(result.error);
}

// Sums the increments of one counter without expiry into one op, so a batch
// of deliveries writes the forwarded counter once. The summed increments go
// last: they touch only counters, so the list ops before them keep their
// order and the removes of a batch stay next to each other.
QList<queue::Op> mergeIncrements(QList<queue::Op> ops)
{
    QList<queue::Op> merged;
    merged.reserve(ops.size());
    QList<queue::Op> sums;
    QHash<QString, qsizetype> counters;  // key -> index in sums
    for (queue::Op &op : ops) {
        if (op.kind != queue::Op::Kind::Increment || op.ttlSeconds > 0) {
            merged.append(std::move(op));
            continue;
        }
        const auto found = counters.constFind(op.key);
        if (found != counters.constEnd()) {
            sums[found.value()].value += op.value;
            continue;
        }
        counters.insert(op.key, sums.size());
        sums.append(std::move(op));
    }
    merged.append(std::move(sums));
    return merged;
}

}  // namespace

QList<queue::Op> DeliveryLoop::handleResult(const SendResult &result)
{
    const auto it = m_inFlight.find(result.id);
    if (it == m_inFlight.end() || it->second.applying)
        return {};
    InFlight &item = it->second;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (result.unsent) {
        if (item.probe)
            m_probeHeld = true;  // nothing was sent, so the probe is still ours to use
        return unsentOps(item);
    }

    if (result.httpStatus > 0)
        m_metrics.requestLatency.observe(result.latencySeconds);

    QList<queue::Op> ops;
    switch (classify(result.httpStatus)) {
    case Verdict::Delivered:
        m_metrics.requestSuccess.inc();
        m_metrics.processedSuccess.inc();
        m_metrics.auth.accepted(now);
        // Failures count in the order the posts went out. A success of a
        // post sent before a failed one is older news than that failure,
        // so it does not clear the failures counted since.
        m_newestDeliveredId = std::max(m_newestDeliveredId, result.id);
        if (item.probe || result.id > m_newestFailedId)
            recordCircuit(true, item.probe, now, result.sentAtMs);
        ops = deliveredOps(item);
        break;
    case Verdict::Retry:
        (result.httpStatus == 429 ? m_metrics.requestFailRateLimit : m_metrics.requestFailHttp).inc();
        m_newestFailedId = std::max(m_newestFailedId, result.id);
        // Likewise, a failure of a post sent before a delivered one does not
        // count, because a newer post got through since. Posts that hang
        // until MOOG_WEBHOOK_TIMEOUT fail this way after Moogsoft recovers.
        // Ids order this worker's posts only. Across the fleet the breaker
        // compares the send time with the time the circuit last closed.
        if (item.probe || result.id > m_newestDeliveredId)
            recordCircuit(false, item.probe, now, result.sentAtMs);
        ops = retryOps(item, result, now);
        break;
    case Verdict::Reject: {
        m_metrics.requestFailHttp.inc();
        m_metrics.processedDlq.inc();
        if (result.httpStatus == 401 || result.httpStatus == 403)
            m_metrics.auth.rejected(result.httpStatus, now);
        // Moogsoft responded, so a probe has shown the endpoint is reachable.
        if (item.probe)
            recordCircuit(true, true, now, result.sentAtMs);
        const QString reason
            = QStringLiteral("Moogsoft answered %1: %2").arg(result.httpStatus).arg(bodyExcerpt(result.body));
        logger()->error("alert rejected by Moogsoft correlation_id={} status={}; moved to {}: {}", item.correlationId,
            result.httpStatus, m_settings.moogDlq, reason);
        ops = deadLetterOps(item, reason, result.httpStatus, now);
        break;
    }
    }
    return ops;
}

QList<queue::Op> DeliveryLoop::deliveredOps(const InFlight &item)
{
    return {queue::Op::removeOldest(m_processingList, item.raw), queue::Op::increment(queue::keys::statForwarded)};
}

QList<queue::Op> DeliveryLoop::retryOps(const InFlight &item, const SendResult &result, qint64 now)
{
    const qint64 attempt = item.retryCount + 1;
    if (attempt > m_settings.moogMaxRetries) {
        m_metrics.requestFailRetryExhausted.inc();
        m_metrics.processedDlq.inc();
        const QString reason
            = QStringLiteral("retries exhausted after %1 %2: last answer %3")
                  .arg(attempt)
                  .arg(attempt == 1 ? QStringLiteral("attempt") : QStringLiteral("attempts"), describeAnswer(result));
        logger()->error("alert retries exhausted correlation_id={} attempts={} last_answer={}; moved to {}",
            item.correlationId, attempt, describeAnswer(result), m_settings.moogDlq);
        return deadLetterOps(item, reason, result.httpStatus, now);
    }

    auto parsed = event::Event::parse(item.raw);
    if (!parsed)
        return deadLetterOps(item, parsed.error().message, result.httpStatus, now);  // checked at claim; unreachable
    parsed.value().setInteger(event::fields::moogRetryCount, attempt);

    const qint64 backoff = backoffMs(int(attempt), m_settings.moogRetryBaseDelay, m_settings.moogRetryMaxDelay);
    const qint64 retryAfter = parseRetryAfter(result.retryAfter, now).value_or(0);
    const qint64 delay = std::max(backoff, retryAfter);
    m_metrics.processedError.inc();
    logger()->warn("alert delivery failed correlation_id={} attempt={} answer={}; retrying in {} ms",
        item.correlationId, attempt, describeAnswer(result), delay);
    return {queue::Op::removeOldest(m_processingList, item.raw),
        queue::Op::schedule(m_settings.moogRetrySet, parsed.value().toJson(), now + delay)};
}

QList<queue::Op> DeliveryLoop::deadLetterOps(const InFlight &item, const QString &reason, int status, qint64 now)
{
    const DeadLetterInfo info {reason, status, QStringLiteral("forwarder"), now};
    QByteArray entry;
    auto parsed = event::Event::parse(item.raw);
    if (parsed) {
        markDeadLetter(parsed.value(), info);
        entry = parsed.value().toJson();
    } else {
        entry = wrapRawDeadLetter(item.raw, info);
    }
    return {queue::Op::removeOldest(m_processingList, item.raw), queue::Op::pushHead(m_settings.moogDlq, {entry})};
}

// Back to the consuming end of the alert queue, as returnAll() does: the
// alert is sent next, its retry count unchanged.
QList<queue::Op> DeliveryLoop::unsentOps(const InFlight &item)
{
    return {
        queue::Op::removeOldest(m_processingList, item.raw), queue::Op::pushTail(m_settings.alertQueue, {item.raw})};
}

void DeliveryLoop::submit(quint64 id, QList<queue::Op> ops)
{
    submitBatch({id}, std::move(ops));
}

void DeliveryLoop::submitBatch(QList<quint64> ids, QList<queue::Op> ops)
{
    for (const quint64 id : std::as_const(ids)) {
        const auto it = m_inFlight.find(id);
        if (it != m_inFlight.end() && !it->second.applying) {
            it->second.applying = true;
            ++m_applying;
        }
    }

    std::weak_ptr<Mailbox> mailbox = m_mailbox;
    // Results only move claimed alerts (acknowledged, retry or DLQ): a Move
    // commit. Power loss may undo the last ones, and those alerts are sent again.
    m_store.applyAsync(
        mergeIncrements(std::move(ops)),
        [mailbox, ids = std::move(ids)](Status status) {
            if (const auto target = mailbox.lock())
                target->postApplied(ids, status);
        },
        queue::Durability::Move);
}

int DeliveryLoop::awaitingResponse() const
{
    return int(m_inFlight.size()) - m_applying;
}

void DeliveryLoop::handleApplied(quint64 id, const Status &status)
{
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    if (!status) {
        logger()->error("recording an alert result failed correlation_id={} list={}: {}; the alert returns to the "
                        "alert queue once the store is reachable again",
            it->second.correlationId, m_processingList, status.error().toString());
        m_unrecorded = true;
    }
    if (it->second.applying)
        --m_applying;
    m_inFlight.erase(it);
}

// Reports a send result to the fleet-wide breaker. Successes in a CLOSED
// circuit without counted failures change nothing, so they are not written.
void DeliveryLoop::recordCircuit(bool success, bool probe, qint64 now, qint64 sentAtMs)
{
    if (!m_settings.circuitBreakerEnabled)
        return;
    const bool quiet = m_circuit && m_circuit->state == queue::CircuitState::Closed && m_circuit->failures == 0;
    if (success && !probe && quiet)
        return;

    const auto recorded
        = m_coordination.circuitRecord(queue::keys::circuitName, success, probe, m_policy, now, sentAtMs);
    if (!recorded) {
        m_circuitSeenMs = 0;  // ask the breaker before the next send
        logger()->warn("reporting to the circuit breaker failed name={} success={}: {}", queue::keys::circuitName,
            success, recorded.error().toString());
        return;
    }
    observeCircuit(recorded.value().status);
}

void DeliveryLoop::observeCircuit(const queue::CircuitStatus &status)
{
    m_circuitSeenMs = QDateTime::currentMSecsSinceEpoch();
    m_metrics.setCircuit(status.state, status.failures);
    const bool first = !m_circuit;
    const queue::CircuitState previous = first ? status.state : m_circuit->state;
    m_circuit = status;

    const QString forced = status.forcedUntilMs > 0
        ? QStringLiteral(" forced_by=%1 reason=\"%2\"").arg(status.forcedBy, status.forcedReason)
        : QString();
    const QString to = queue::circuitStateName(status.state);
    if (first) {
        // The breaker is shared and outlives a restart, so a forwarder that
        // starts while it is not CLOSED logs a warning: it sends nothing until then.
        if (status.state == queue::CircuitState::Closed)
            return;
        logger()->warn("circuit breaker is {} at start name={} failures={}{}; {}; an operator ends it with POST "
                       "/api/v2/circuit/reset once Moogsoft answers",
            to, queue::keys::circuitName, status.failures, forced, circuitWaitText(status));
        return;
    }
    if (previous == status.state)
        return;

    m_metrics.countTransition(previous, status.state);
    const QString from = queue::circuitStateName(previous);
    if (status.state != queue::CircuitState::Open) {
        logger()->info("circuit breaker changed name={} from={} to={} failures={}{}", queue::keys::circuitName, from,
            to, status.failures, forced);
        return;
    }
    logger()->warn("circuit breaker changed name={} from={} to={} failures={}{}; {}", queue::keys::circuitName, from,
        to, status.failures, forced, circuitWaitText(status));
}

// Nothing is sent to Moogsoft until the probe, so the text names the queues
// the alerts wait in and the time the probe is due.
QString DeliveryLoop::circuitWaitText(const queue::CircuitStatus &status) const
{
    const QString waiting = QStringLiteral("no alerts are sent to Moogsoft, they wait in %1 and %2")
                                .arg(m_settings.alertQueue, m_settings.moogRetrySet);
    if (status.state != queue::CircuitState::Open)
        return waiting + QStringLiteral("; a probe is due");
    const qint64 untilProbeMs = std::max<qint64>(0, status.nextProbeAtMs - QDateTime::currentMSecsSinceEpoch());
    const QString probeAt = QDateTime::fromMSecsSinceEpoch(status.nextProbeAtMs, Qt::UTC).toString(Qt::ISODateWithMs);
    // An operator override sets its own end; otherwise the wait is CIRCUIT_BREAKER_TIMEOUT.
    const QString waitSource
        = status.forcedUntilMs > 0 ? QStringLiteral("end of the override") : QStringLiteral("CIRCUIT_BREAKER_TIMEOUT");
    return waiting
        + QStringLiteral("; next probe at %1 (in %2 s, %3)")
              .arg(probeAt)
              .arg((untilProbeMs + 999) / 1000)
              .arg(waitSource);
}

// A paused process (SIGSTOP, a frozen VM) stops its heartbeat, and the
// janitor of another forwarder returns its processing list to the alert
// queue. That forwarder sends those alerts again and records their results,
// so this one records nothing for them: a second record would count the alert
// twice, or queue a second copy of it for a retry or the DLQ.
void DeliveryLoop::dropLost(std::deque<SendResult> &results)
{
    QList<QByteArray> items;
    std::vector<quint64> ids;
    std::optional<queue::ClaimGuard::Mark> oldest;
    for (const SendResult &result : results) {
        const auto it = m_inFlight.find(result.id);
        if (it == m_inFlight.end() || it->second.applying || !m_guard.mayHaveLost(it->second.mark))
            continue;
        items.append(it->second.raw);
        ids.push_back(result.id);
        if (!oldest || it->second.mark.lapses < oldest->lapses)
            oldest = it->second.mark;
    }
    if (items.isEmpty())
        return;
    const auto claimed = m_guard.stillClaimed(*oldest, items);
    if (!claimed) {
        logger()->warn("cannot check which alerts this forwarder still owns list={}: {}; recording their results",
            m_processingList, claimed.error().toString());
        return;
    }
    std::unordered_set<quint64> lost;
    for (size_t i = 0; i < ids.size(); ++i) {
        if (claimed.value()[i])
            continue;
        lost.insert(ids[i]);
        const auto it = m_inFlight.find(ids[i]);
        if (it->second.probe)
            m_probeHeld = false;
        m_inFlight.erase(it);
    }
    if (lost.empty())
        return;
    std::erase_if(results, [&lost](const SendResult &result) { return lost.contains(result.id); });
    logger()->warn("heartbeat lapsed while alerts were in flight list={} lost={}; the janitor of another forwarder "
                   "returned them to {}, so this forwarder does not record their results and they may reach "
                   "Moogsoft twice",
        m_processingList, lost.size(), m_settings.alertQueue);
}

}  // namespace mutt::forwarder
