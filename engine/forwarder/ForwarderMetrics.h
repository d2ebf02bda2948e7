#pragma once

#include "forwarder/AuthWatch.h"

#include "metrics/MetricsRegistry.h"
#include "queue/Coordination.h"

namespace mutt::forwarder {

// The forwarder's Prometheus series (names and labels of MUTT v2.5, plus
// mutt_moog_circuit_breaker_state, mutt_moog_retry_scheduled and
// mutt_moog_in_flight). Every labelled series is created up front so that
// scrapes show zeros before the first event.
class ForwarderMetrics final {
public:
    explicit ForwarderMetrics(metrics::MetricsRegistry &registry);

    // Sets the circuit gauges from a state and failure count.
    void setCircuit(queue::CircuitState state, qint64 failures);
    void countTransition(queue::CircuitState from, queue::CircuitState to);

    metrics::Counter &requestSuccess;
    metrics::Counter &requestFailHttp;
    metrics::Counter &requestFailRateLimit;
    metrics::Counter &requestFailRetryExhausted;
    metrics::Counter &requestFailCircuitOpen;
    metrics::Histogram &requestLatency;
    metrics::Gauge &dlqDepth;
    metrics::Gauge &processingListDepth;
    metrics::Counter &rateLimitHits;
    metrics::Counter &processedSuccess;
    metrics::Counter &processedDlq;
    metrics::Counter &processedError;
    metrics::Gauge &circuitState;
    metrics::Gauge &moogCircuitOpen;
    metrics::Gauge &circuitFailures;
    metrics::Gauge &retryScheduled;
    metrics::Gauge &inFlight;
    AuthWatch auth;

private:
    metrics::MetricsRegistry &m_registry;
};

}  // namespace mutt::forwarder
