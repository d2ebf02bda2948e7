#include "forwarder/DeliveryLoop.h"

#include "core/Log.h"
#include "event/Event.h"
#include "forwarder/DeadLetter.h"
#include "forwarder/DeliveryPolicy.h"
#include "forwarder/MoogPayload.h"
#include "queue/QueueNames.h"

#include <QDateTime>

#include <algorithm>
#include <chrono>

namespace mutt::forwarder {
namespace {

constexpr qint64 stopDrainMs = 8'000;  // in-flight requests may finish within this after stop()
constexpr qint64 abortGraceMs = 1'500;  // then commits already handed to the store may finish
constexpr qint64 maxIdlePollMs = 20;  // the alert queue is polled at most this far apart when empty
constexpr qint64 storeErrorBackoffMs = 1'000;
constexpr qint64 minDeniedWaitMs = 50;
constexpr qint64 maxDeniedWaitMs = 1'000;  // re-check an open circuit at least this often (operator overrides)
// With claim-ahead, claimed alerts per request slot, on the wire and queued.
constexpr qint64 claimAheadFactor = 8;
constexpr qint64 circuitFreshMs = 100;  // a CLOSED circuit is re-read at least this often while sending

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

auto logger()
{
    return log::get("forwarder");
}

}  // namespace

DeliveryLoop::DeliveryLoop(const config::Settings &settings, queue::QueueStore &store,
    queue::Coordination &coordination, ForwarderMetrics &metrics, QString podName, std::shared_ptr<Mailbox> mailbox,
    Hooks hooks)
    : m_settings(settings)
    , m_store(store)
    , m_coordination(coordination)
    , m_metrics(metrics)
    , m_podName(std::move(podName))
    , m_processingList(settings.moogProcessingPrefix + u':' + m_podName)
    , m_heartbeatKey(settings.moogHeartbeatPrefix + u':' + m_podName)
    , m_guard(store, m_processingList, m_heartbeatKey, settings.moogJanitorTimeout)
    , m_mailbox(std::move(mailbox))
    , m_hooks(std::move(hooks))
{
    m_rateLimit = std::max<qint64>(1, settings.moogRateLimit);
    m_ratePeriodMs = std::max<qint64>(1, settings.moogRatePeriod) * 1000;
    m_policy.failureThreshold = std::max(1, settings.circuitBreakerThreshold);
    m_policy.openMs = qint64(std::max(0, settings.circuitBreakerTimeout)) * 1000;
    // A probe with neither a response nor a timeout by then is abandoned.
    m_policy.probeTimeoutMs = std::max<qint64>(30'000, qint64(settings.moogWebhookTimeout) * 1000 + 10'000);
}

void DeliveryLoop::run()
{
    startUp();

    for (;;) {
        const qint64 now = nowMs();
        const bool stopRequested = drainMailbox(now);
        if (stopRequested && !m_stopping) {
            m_stopping = true;
            m_stopDeadlineMs = now + stopDrainMs;
            logger()->info("forwarder stopping pod={} in_flight={}; waiting up to {} ms for responses", m_podName,
                m_inFlight.size(), stopDrainMs);
        }
        if (m_stopping && stopStepDone(now))
            break;

        updateClaimAhead(now);
        housekeeping(now);
        if (!m_stopping)
            dispatch(now);
        m_metrics.inFlight.set(double(m_inFlight.size()));
        waitForWork(nowMs());
    }

    shutDown();
}

void DeliveryLoop::startUp()
{
    const qint64 now = nowMs();
    refreshDynamicConfig();
    writeHeartbeat(now);
    runJanitor();

    if (m_settings.circuitBreakerEnabled) {
        const auto status = m_coordination.circuitStatus(queue::keys::circuitName, m_policy, now);
        if (status)
            observeCircuit(status.value());
    }
    refreshGauges();

    m_nextJanitorMs = now + qint64(m_settings.janitorInterval) * 1000;
    logger()->info("forwarder started pod={} processing_list={} url_host={} max_in_flight={} rate={}/{}ms "
                   "max_retries={} circuit_threshold={} circuit_timeout_s={}",
        m_podName, m_processingList, QUrl(m_settings.moogWebhookUrl).host(), m_settings.moogMaxInFlight, m_rateLimit,
        m_ratePeriodMs, m_settings.moogMaxRetries, m_policy.failureThreshold, m_policy.openMs / 1000);
}

void DeliveryLoop::shutDown()
{
    const auto returned = m_store.returnAll(m_processingList, m_settings.alertQueue);
    if (!returned) {
        logger()->error("returning claimed alerts failed pod={} list={}: {}; the janitor of another forwarder "
                        "recovers them once the heartbeat expires",
            m_podName, m_processingList, returned.error().toString());
    }

    const Status removed = m_store.removeValue(m_heartbeatKey);
    if (!removed)
        logger()->warn("removing heartbeat failed pod={}: {}", m_podName, removed.error().toString());

    m_metrics.inFlight.set(0);
    refreshGauges();
    logger()->info("forwarder stopped pod={} returned_to_queue={}", m_podName, returned.valueOr(0));
}

bool DeliveryLoop::drainMailbox(qint64 now)
{
    std::deque<SendResult> results;
    std::deque<Mailbox::Applied> applied;
    bool configChanged = false;
    bool stopRequested = false;
    {
        std::lock_guard lock(m_mailbox->mutex);
        results.swap(m_mailbox->results);
        applied.swap(m_mailbox->applied);
        configChanged = std::exchange(m_mailbox->configChanged, false);
        stopRequested = m_mailbox->stopRequested;
    }

    for (const Mailbox::Applied &entry : applied)
        handleApplied(entry.id, entry.status);
    dropLost(results);

    QList<quint64> ids;
    QList<queue::Op> ops;
    bool clientHolds = false;  // the client reports posts unsent until resumed
    for (const SendResult &result : results) {
        if (!result.unsent && classify(result.httpStatus) == Verdict::Retry) {
            clientHolds = true;
            ++m_retryAnswersSeen;
        }
        QList<queue::Op> recorded = handleResult(result);
        if (recorded.isEmpty())
            continue;
        ids.append(result.id);
        ops.append(std::move(recorded));
    }
    if (!ids.isEmpty())
        submitBatch(std::move(ids), std::move(ops));
    // Posts sent from now on were decided with these failures known.
    if (clientHolds && m_hooks.resume)
        m_hooks.resume(m_retryAnswersSeen);
    if (configChanged) {
        refreshDynamicConfig();
        m_nextConfigMs = now;
    }
    return stopRequested;
}

// One step of the stop sequence; true once nothing is left to wait for.
bool DeliveryLoop::stopStepDone(qint64 now)
{
    if (m_inFlight.empty())
        return true;

    if (!m_aborted && now >= m_stopDeadlineMs) {
        m_hooks.abortAll();
        m_aborted = true;
        m_stopDeadlineMs = now + abortGraceMs;

        qsizetype abandoned = 0;
        for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
            if (it->second.applying) {
                ++it;
                continue;
            }
            it = m_inFlight.erase(it);
            ++abandoned;
        }
        logger()->warn("forwarder aborted requests still unanswered at stop pod={} count={}; they return to the "
                       "alert queue",
            m_podName, abandoned);
        return m_inFlight.empty();
    }

    if (m_aborted && now >= m_stopDeadlineMs) {
        logger()->error("store commits still pending at stop pod={} count={}; their alerts may be delivered twice",
            m_podName, m_inFlight.size());
        return true;
    }
    return false;
}

void DeliveryLoop::waitForWork(qint64 now)
{
    qint64 next = std::min({m_nextHeartbeatMs, m_nextJanitorMs, m_nextPromoteMs, m_nextGaugesMs, m_nextConfigMs});
    const bool slotFree = sendCapacity() - awaitingResponse() >= dispatchBatch();
    if (!m_stopping && slotFree)
        next = std::min(next, m_nextDispatchMs);
    if (m_stopping)
        next = std::min(next, std::max(now + 1, std::min(m_stopDeadlineMs, now + 50)));

    const auto timeout = std::chrono::milliseconds(std::max<qint64>(0, next - now));
    std::unique_lock lock(m_mailbox->mutex);
    m_mailbox->wake.wait_for(lock, timeout, [this]() {
        return !m_mailbox->results.empty() || !m_mailbox->applied.empty() || m_mailbox->configChanged
            || (m_mailbox->stopRequested && !m_stopping);
    });
}

void DeliveryLoop::dispatch(qint64 now)
{
    const int free = sendCapacity() - awaitingResponse();
    if (free < dispatchBatch() || now < m_nextDispatchMs || m_unrecorded)
        return;

    bool probe = false;
    int permitted = free;
    if (m_settings.circuitBreakerEnabled && !circuitKnownClosed(now)) {
        // Asking the breaker may take the fleet's probe, so only with alerts waiting.
        const auto waiting = m_store.length(m_settings.alertQueue);
        if (!waiting) {
            logger()->warn("reading the alert queue length failed queue={}: {}; retrying in {} ms",
                m_settings.alertQueue, waiting.error().toString(), storeErrorBackoffMs);
            m_nextDispatchMs = now + storeErrorBackoffMs;
            return;
        }
        if (waiting.value() == 0) {
            idle(now);
            return;
        }
        permitted = acquirePermits(now, int(std::min<qint64>(free, waiting.value())), probe);
        updateClaimAhead(now);  // a probe must not queue behind claimed-ahead posts
        if (permitted == 0)
            return;
    }

    // One store call: the rate-limit slots and the claim in one transaction.
    const queue::RateWindow rate {m_settings.moogRateLimitKey, m_rateLimit, m_ratePeriodMs, now};
    m_claimMark = m_guard.mark();
    const auto claimed = m_store.claimRated(m_settings.alertQueue, m_processingList, permitted, rate);
    if (!claimed) {
        logger()->warn("claiming alerts failed queue={} list={}: {}; retrying in {} ms", m_settings.alertQueue,
            m_processingList, claimed.error().toString(), storeErrorBackoffMs);
        m_nextDispatchMs = now + storeErrorBackoffMs;
        return;
    }
    if (claimed.value().waitMs > 0) {
        // The limiter granted fewer than were waiting: nothing is claimed for
        // the rest, so no alert is dropped or held.
        m_metrics.rateLimitHits.inc();
        m_nextDispatchMs = now + claimed.value().waitMs;
        m_rateQuietUntilMs = now + m_ratePeriodMs;
    } else if (claimed.value().items.isEmpty()) {
        idle(now);
        return;
    }

    m_idlePollMs = 1;
    QList<QPair<quint64, QByteArray>> posts;
    posts.reserve(claimed.value().items.size());
    for (const QByteArray &raw : claimed.value().items) {
        startDelivery(raw, probe, now, posts);
        probe = false;
    }
    if (!posts.isEmpty())
        m_hooks.send(std::move(posts));
}

// The client may keep posts queued while the circuit was last seen CLOSED
// (or there is no breaker) and the worker is neither probing, stopping nor
// recovering from an unrecorded result.
bool DeliveryLoop::queueMayHold() const
{
    if (m_stopping || m_unrecorded || m_probeHeld)
        return false;
    return !m_settings.circuitBreakerEnabled || (m_circuit && m_circuit->state == queue::CircuitState::Closed);
}

// Claim-ahead also needs a limiter that granted every claim of the last rate
// period. The queued posts took their rate grants when claimed. So a send
// trails its grant until a connection is free (a response, or at most
// MOOG_WEBHOOK_TIMEOUT), for at most MOOG_RATE_LIMIT alerts (see
// sendCapacity()), and only while the limiter had headroom.
// When the queue may no longer hold posts, the client hands back those it
// has not sent: they return to the alert queue unsent. So an OPEN circuit, a
// probe or a stop never waits behind queued posts, and no retry is spent on
// them.
void DeliveryLoop::updateClaimAhead(qint64 now)
{
    const bool mayHold = queueMayHold();
    if (m_queueHeld && !mayHold && m_hooks.releaseQueued)
        m_hooks.releaseQueued();
    m_queueHeld = mayHold;
    m_claimAhead = mayHold && now >= m_rateQuietUntilMs;
}

// Alerts this worker may have handed to the client without a result yet:
// the requests on the wire, and with claim-ahead up to seven times as many
// queued, but no more in all than MOOG_RATE_LIMIT. A deep queue makes each
// claim round and each store transaction cover more alerts. The cap keeps
// the alerts that trail their rate grants within one period's limit.
int DeliveryLoop::sendCapacity() const
{
    const int onWire = m_settings.moogMaxInFlight;
    if (!m_claimAhead)
        return onWire;
    return int(std::max<qint64>(onWire, std::min<qint64>(qint64(onWire) * claimAheadFactor, m_rateLimit)));
}

// Free request slots needed before the next claim round. While requests are
// on the wire a round waits until a quarter of the capacity is free, so that
// each store call claims several alerts. An idle worker claims at once.
int DeliveryLoop::dispatchBatch() const
{
    if (awaitingResponse() == 0)
        return 1;
    return std::max(1, sendCapacity() / 4);
}

// The alert queue is empty: poll again soon, backing off to maxIdlePollMs.
void DeliveryLoop::idle(qint64 now)
{
    m_nextDispatchMs = now + m_idlePollMs;
    m_idlePollMs = std::min(maxIdlePollMs, m_idlePollMs * 2);
}

// True while the last circuit state seen is CLOSED and younger than
// circuitFreshMs: a round then sends without asking the breaker. Every
// failure result is reported to the breaker, and the report returns the
// state. So this worker reads an OPEN circuit at once after its own failures,
// and within circuitFreshMs after failures of other workers in the fleet.
bool DeliveryLoop::circuitKnownClosed(qint64 now) const
{
    return m_circuit && m_circuit->state == queue::CircuitState::Closed && !m_probeHeld
        && now - m_circuitSeenMs < circuitFreshMs;
}

// How many alerts the circuit breaker lets this worker send now: all that
// are requested when CLOSED, one when this worker has the probe, none when
// denied. Sets `probe` when the first send is the fleet's probe.
int DeliveryLoop::acquirePermits(qint64 now, int requested, bool &probe)
{
    if (!m_settings.circuitBreakerEnabled)
        return requested;
    if (m_probeHeld) {
        probe = true;
        return 1;
    }

    const auto decision = m_coordination.circuitAcquire(queue::keys::circuitName, m_policy, now);
    if (!decision) {
        // As MUTT v2.5: a circuit that cannot be read does not stop delivery.
        logger()->warn("reading the circuit breaker failed name={}: {}; sending as if closed", queue::keys::circuitName,
            decision.error().toString());
        return requested;
    }
    observeCircuit(decision.value().status);

    switch (decision.value().permit) {
    case queue::CircuitPermit::Allowed: return requested;
    case queue::CircuitPermit::Probe:
        m_probeHeld = true;
        probe = true;
        logger()->info(
            "circuit breaker probe taken name={} pod={}; sending one alert", queue::keys::circuitName, m_podName);
        return 1;
    case queue::CircuitPermit::Denied: break;
    }

    m_metrics.requestFailCircuitOpen.inc();
    m_nextDispatchMs = now + std::clamp(decision.value().retryAfterMs, minDeniedWaitMs, maxDeniedWaitMs);
    return 0;
}

void DeliveryLoop::startDelivery(QByteArray raw, bool probe, qint64 now, QList<QPair<quint64, QByteArray>> &posts)
{
    auto parsed = event::Event::parse(raw);
    if (!parsed) {
        const DeadLetterInfo info {QStringLiteral("alert is not a JSON object: %1").arg(parsed.error().message), 0,
            QStringLiteral("forwarder"), now};
        logger()->error("alert is not a JSON object list={}: {}; moved to {}", m_processingList, parsed.error().message,
            m_settings.moogDlq);
        if (probe)
            m_probeHeld = true;  // nothing was sent, so the probe is still ours to use
        const quint64 id = m_nextId++;
        m_inFlight.emplace(id, InFlight {raw, QString(), 0, false, true});
        m_metrics.processedDlq.inc();
        submit(id,
            {queue::Op::removeOldest(m_processingList, raw),
                queue::Op::pushHead(m_settings.moogDlq, {wrapRawDeadLetter(raw, info)})});
        return;
    }

    const event::Event &alert = parsed.value();
    InFlight item;
    item.raw = std::move(raw);
    item.correlationId = alert.correlationId();
    item.retryCount = std::max<qint64>(0, alert.integer(event::fields::moogRetryCount).value_or(0));
    item.probe = probe;
    item.mark = m_claimMark;
    if (probe)
        m_probeHeld = false;

    const quint64 id = m_nextId++;
    QByteArray body = buildMoogPayload(alert, now / 1000);
    m_inFlight.emplace(id, std::move(item));
    posts.append({id, std::move(body)});
}

}  // namespace mutt::forwarder
