#include "forwarder/ForwarderMetrics.h"

#include "queue/QueueNames.h"

namespace mutt::forwarder {
namespace {

using metrics::Labels;

constexpr QLatin1StringView requestsName("mutt_moog_requests_total");
constexpr QLatin1StringView requestsHelp(
    "Moogsoft webhook results by status (success|fail) and reason: http, rate_limit (429), retry_exhausted (moved "
    "to the DLQ), circuit_open (a claim round held back by the open circuit)");
constexpr QLatin1StringView processedName("mutt_moog_alerts_processed_total");
constexpr QLatin1StringView processedHelp("Alerts finished per attempt: success (delivered), dlq (moved to the DLQ), "
                                          "error (retry scheduled)");
constexpr QLatin1StringView transitionsName("mutt_circuit_breaker_state_changes_total");
constexpr QLatin1StringView transitionsHelp("Circuit breaker state changes seen by this forwarder");

Labels requestLabels(const char *status, const char *reason)
{
    return {
        {QStringLiteral("status"), QLatin1StringView(status)}, {QStringLiteral("reason"), QLatin1StringView(reason)}};
}

Labels statusLabel(const char *status)
{
    return {{QStringLiteral("status"), QLatin1StringView(status)}};
}

Labels circuitLabel()
{
    return {{QStringLiteral("name"), queue::keys::circuitName}};
}

// 0 closed, 1 half-open, 2 open, as MUTT v2.5 exports it.
double stateNumber(queue::CircuitState state)
{
    switch (state) {
    case queue::CircuitState::Closed: return 0;
    case queue::CircuitState::HalfOpen: return 1;
    case queue::CircuitState::Open: return 2;
    }
    return 0;
}

}  // namespace

ForwarderMetrics::ForwarderMetrics(metrics::MetricsRegistry &registry)
    : requestSuccess(registry.counter(requestsName, requestsHelp, requestLabels("success", "")))
    , requestFailHttp(registry.counter(requestsName, requestsHelp, requestLabels("fail", "http")))
    , requestFailRateLimit(registry.counter(requestsName, requestsHelp, requestLabels("fail", "rate_limit")))
    , requestFailRetryExhausted(registry.counter(requestsName, requestsHelp, requestLabels("fail", "retry_exhausted")))
    , requestFailCircuitOpen(registry.counter(requestsName, requestsHelp, requestLabels("fail", "circuit_open")))
    , requestLatency(registry.histogram(QStringLiteral("mutt_moog_request_latency_seconds"),
          QStringLiteral("Time from sending an alert to Moogsoft's response"), {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}))
    , dlqDepth(registry.gauge(QStringLiteral("mutt_moog_dlq_depth"), QStringLiteral("Items in the Moogsoft DLQ")))
    , processingListDepth(registry.gauge(QStringLiteral("mutt_moog_processing_list_depth"),
          QStringLiteral("Items in this forwarder's processing list")))
    , rateLimitHits(registry.counter(QStringLiteral("mutt_moog_rate_limit_hits_total"),
          QStringLiteral("Sends delayed because the fleet-wide rate limit was reached")))
    , processedSuccess(registry.counter(processedName, processedHelp, statusLabel("success")))
    , processedDlq(registry.counter(processedName, processedHelp, statusLabel("dlq")))
    , processedError(registry.counter(processedName, processedHelp, statusLabel("error")))
    , circuitState(registry.gauge(QStringLiteral("mutt_circuit_breaker_state"),
          QStringLiteral("Circuit breaker state: 0 closed, 1 half-open, 2 open"), circuitLabel()))
    , moogCircuitOpen(registry.gauge(QStringLiteral("mutt_moog_circuit_breaker_state"),
          QStringLiteral("1 while the Moogsoft circuit breaker is open, else 0"), circuitLabel()))
    , circuitFailures(registry.gauge(QStringLiteral("mutt_circuit_breaker_failures"),
          QStringLiteral("Consecutive failures counted by the circuit breaker"), circuitLabel()))
    , retryScheduled(registry.gauge(QStringLiteral("mutt_moog_retry_scheduled"),
          QStringLiteral("Alerts waiting in the retry set for their next attempt")))
    , inFlight(registry.gauge(QStringLiteral("mutt_moog_in_flight"),
          QStringLiteral("Alerts claimed by this forwarder and not yet finished")))
    , m_registry(registry)
{
}

void ForwarderMetrics::setCircuit(queue::CircuitState state, qint64 failures)
{
    circuitState.set(stateNumber(state));
    moogCircuitOpen.set(state == queue::CircuitState::Open ? 1 : 0);
    circuitFailures.set(double(failures));
}

void ForwarderMetrics::countTransition(queue::CircuitState from, queue::CircuitState to)
{
    const Labels labels {{QStringLiteral("name"), queue::keys::circuitName},
        {QStringLiteral("from_state"), queue::circuitStateName(from)},
        {QStringLiteral("to_state"), queue::circuitStateName(to)}};
    m_registry.counter(transitionsName, transitionsHelp, labels).inc();
}

}  // namespace mutt::forwarder
