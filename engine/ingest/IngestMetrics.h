#pragma once

#include "metrics/MetricsRegistry.h"

#include <QString>

namespace mutt::ingest {

// Why a request was rejected: the `reason` label of
// mutt_ingest_requests_total{status="fail"} (MUTT v2.5 values).
enum class FailReason { Auth, Json, Validation, QueueFull, Redis, RateLimit };

// The ingestor's Prometheus series (MUTT v2.5 names, plus
// mutt_ingest_events_total). Every series exists from the start, at 0.
// The registry must outlive this object.
class IngestMetrics final {
public:
    explicit IngestMetrics(metrics::MetricsRegistry &registry);

    void requestSucceeded(double seconds, qint64 accepted, qint64 rejected);
    // `seconds` < 0: the request is not timed (401s, as in v2.5).
    void requestFailed(FailReason reason, double seconds, qint64 rejectedItems = 0);
    void queueDepth(qint64 depth);

    static QString reasonLabel(FailReason reason);

private:
    metrics::Counter &failures(FailReason reason);

    metrics::Counter &m_success;
    metrics::Counter &m_auth;
    metrics::Counter &m_json;
    metrics::Counter &m_validation;
    metrics::Counter &m_queueFull;
    metrics::Counter &m_redis;
    metrics::Counter &m_rateLimit;
    metrics::Counter &m_rateLimitHits;
    metrics::Counter &m_accepted;
    metrics::Counter &m_rejected;
    metrics::Gauge &m_depth;
    metrics::Histogram &m_latency;
};

}  // namespace mutt::ingest
