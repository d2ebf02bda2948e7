#include "remediation/DlqReplayer.h"

#include "core/Log.h"
#include "event/Event.h"
#include "forwarder/DeadLetter.h"
#include "queue/QueueNames.h"

#include <QDateTime>

namespace mutt::remediation {
namespace {

auto logger()
{
    return log::get("remediation");
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

forwarder::DeadLetterInfo deadInfo(QString reason)
{
    return forwarder::DeadLetterInfo {std::move(reason), 0, QStringLiteral("remediation"), nowMs()};
}

}  // namespace

DlqReplayer::DlqReplayer(queue::QueueStore &store, queue::Coordination &coordination, RemediationMetrics &metrics,
    std::function<bool(qint64)> sleep)
    : m_store(store)
    , m_coordination(coordination)
    , m_metrics(metrics)
    , m_sleep(std::move(sleep))
{
}

ReplayCounts DlqReplayer::replay(const ReplayRoute &route, const ReplayLimits &limits)
{
    ReplayCounts counts;
    const auto oldest = m_store.range(route.dlq, -qint64(std::max(1, limits.batchSize)), -1);
    if (!oldest) {
        m_metrics.replayFail(QStringLiteral("store_error")).inc();
        logger()->error("reading DLQ failed dlq={}: {}; retrying next cycle", route.dlq, oldest.error().toString());
        ++counts.failed;
        return counts;
    }

    // range() lists head first, so the oldest item is the last one.
    const QList<QByteArray> &items = oldest.value();
    for (auto it = items.crbegin(); it != items.crend(); ++it) {
        const QByteArray &raw = *it;
        const Decision decision = decide(raw, route, limits);

        if (decision.disposition == Disposition::Replay) {
            if (!circuitClosed(limits)) {
                counts.circuitNotClosed = true;
                break;
            }
            if (!waitForRateSlot(limits)) {
                counts.interrupted = true;
                break;
            }
        }

        const QString destination = decision.disposition == Disposition::Replay ? route.target : limits.deadLetter;
        const Status moved = m_store.apply(
            {queue::Op::removeOldest(route.dlq, raw), queue::Op::pushHead(destination, {decision.item})});
        if (!moved) {
            m_metrics.replayFail(QStringLiteral("processing_error")).inc();
            ++counts.failed;
            logger()->error("moving DLQ item failed dlq={} to={} correlation_id={}: {}; it stays in the DLQ", route.dlq,
                destination, decision.correlationId, moved.error().toString());
            break;
        }

        if (decision.disposition == Disposition::Replay) {
            m_metrics.replaySuccess.inc();
            ++counts.replayed;
            logger()->info("DLQ item replayed dlq={} to={} correlation_id={} replay_count={}", route.dlq, route.target,
                decision.correlationId, decision.replayCount);
        } else {
            m_metrics.poisonMessages.inc();
            ++counts.poisoned;
            logger()->warn("DLQ item moved to the dead letter queue dlq={} to={} correlation_id={} replay_count={}",
                route.dlq, limits.deadLetter, decision.correlationId, decision.replayCount);
        }
    }
    return counts;
}

DlqReplayer::Decision DlqReplayer::decide(
    const QByteArray &raw, const ReplayRoute &route, const ReplayLimits &limits) const
{
    Decision decision;
    auto parsed = event::Event::parse(raw);
    if (!parsed) {
        decision.disposition = Disposition::Dead;
        decision.item = forwarder::wrapRawDeadLetter(raw,
            deadInfo(QStringLiteral("not a JSON object (%1); replay cannot repair it").arg(parsed.error().message)));
        return decision;
    }

    event::Event &item = parsed.value();
    const QString previousReason = item.string(event::fields::dlqReason);
    decision.correlationId = item.correlationId();
    decision.replayCount = std::max<qint64>(0, item.integer(event::fields::replayCount).value_or(0));

    if (item.has(forwarder::dlqRawField)) {
        decision.disposition = Disposition::Dead;
        forwarder::markDeadLetter(item,
            deadInfo(QStringLiteral("invalid JSON cannot be repaired by replay; "
                                    "moved from %1 (%2)")
                         .arg(route.dlq, previousReason)));
        decision.item = item.toJson();
        return decision;
    }

    if (decision.replayCount >= limits.maxPoisonRetries) {
        decision.disposition = Disposition::Dead;
        forwarder::markDeadLetter(item,
            deadInfo(QStringLiteral("replayed %1 times from %2 without success "
                                    "(MAX_POISON_RETRIES=%3); last failure: %4")
                         .arg(decision.replayCount)
                         .arg(route.dlq)
                         .arg(limits.maxPoisonRetries)
                         .arg(previousReason)));
        decision.item = item.toJson();
        return decision;
    }

    forwarder::clearDeadLetterFields(item);
    item.setInteger(route.attemptField, 0);
    decision.replayCount += 1;
    item.setInteger(event::fields::replayCount, decision.replayCount);
    decision.item = item.toJson();
    return decision;
}

bool DlqReplayer::circuitClosed(const ReplayLimits &limits)
{
    if (!limits.circuitEnabled)
        return true;
    const auto status = m_coordination.circuitStatus(queue::keys::circuitName, limits.circuitPolicy, nowMs());
    if (!status) {
        logger()->warn("reading the circuit breaker failed name={}: {}; replay paused until the next cycle",
            queue::keys::circuitName, status.error().toString());
        return false;
    }
    return status.value().state == queue::CircuitState::Closed;
}

bool DlqReplayer::waitForRateSlot(const ReplayLimits &limits)
{
    for (;;) {
        const auto wait = m_coordination.rateAcquire(limits.rateKey, limits.rateLimit, limits.ratePeriodMs, nowMs());
        if (!wait) {
            logger()->warn(
                "rate limiter failed key={}: {}; replaying without it", limits.rateKey, wait.error().toString());
            return true;
        }
        if (wait.value() == 0)
            return true;
        if (!m_sleep(wait.value()))
            return false;
    }
}

}  // namespace mutt::remediation
