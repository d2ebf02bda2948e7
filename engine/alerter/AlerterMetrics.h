#pragma once

#include "metrics/MetricsRegistry.h"

namespace mutt::alerter {

// The alerter's Prometheus series, named as in MUTT v2.5 (plus
// mutt_alerter_rules_skipped and mutt_alerter_commit_failures_total). Registered once per registry; the references
// stay valid as long as the registry.
struct AlerterMetrics {
    explicit AlerterMetrics(metrics::MetricsRegistry &registry);

    metrics::Counter &handled;  // mutt_alerter_events_processed_total{status="handled"}
    metrics::Counter &unhandled;  // {status="unhandled"}
    metrics::Counter &poison;  // {status="poison"}
    metrics::Counter &error;  // {status="error"}
    metrics::Counter &alertsForwarded;
    metrics::Counter &metaAlerts;
    metrics::Histogram &processingLatency;  // seconds, committed events only
    metrics::Histogram &cacheReloadLatency;
    metrics::Gauge &rulesCount;
    metrics::Gauge &devHostsCount;
    metrics::Gauge &teamsCount;
    metrics::Gauge &rulesSkipped;
    metrics::Histogram &dbWriteLatencyMs;
    metrics::Counter &cacheReloadFailures;
    metrics::Gauge &dlqDepth;
    metrics::Gauge &processingListDepth;
    metrics::Gauge &queueDepth;  // the alert queue, which backpressure watches
    metrics::Counter &shedDlq;
    metrics::Counter &shedDefer;
    metrics::Counter &commitFailures;  // ours: queue applies that failed, items left claimed
};

}  // namespace mutt::alerter
