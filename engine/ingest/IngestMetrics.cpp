#include "ingest/IngestMetrics.h"

namespace mutt::ingest {
namespace {

const QString requestsName = QStringLiteral("mutt_ingest_requests_total");
const QString requestsHelp = QStringLiteral("Ingest requests by outcome");
const QString eventsName = QStringLiteral("mutt_ingest_events_total");
const QString eventsHelp = QStringLiteral("Events in ingest requests: accepted (queued) or rejected (invalid)");

metrics::Counter &requests(metrics::MetricsRegistry &registry, const QString &status, const QString &reason)
{
    return registry.counter(
        requestsName, requestsHelp, {{QStringLiteral("status"), status}, {QStringLiteral("reason"), reason}});
}

metrics::Counter &failed(metrics::MetricsRegistry &registry, FailReason reason)
{
    return requests(registry, QStringLiteral("fail"), IngestMetrics::reasonLabel(reason));
}

metrics::Counter &events(metrics::MetricsRegistry &registry, const QString &outcome)
{
    return registry.counter(eventsName, eventsHelp, {{QStringLiteral("outcome"), outcome}});
}

}  // namespace

IngestMetrics::IngestMetrics(metrics::MetricsRegistry &registry)
    : m_success(requests(registry, QStringLiteral("success"), QString()))
    , m_auth(failed(registry, FailReason::Auth))
    , m_json(failed(registry, FailReason::Json))
    , m_validation(failed(registry, FailReason::Validation))
    , m_queueFull(failed(registry, FailReason::QueueFull))
    , m_redis(failed(registry, FailReason::Redis))
    , m_rateLimit(failed(registry, FailReason::RateLimit))
    , m_rateLimitHits(registry.counter(QStringLiteral("mutt_ingest_rate_limit_hits_total"),
          QStringLiteral("Ingest requests rejected by the rate limit")))
    , m_accepted(events(registry, QStringLiteral("accepted")))
    , m_rejected(events(registry, QStringLiteral("rejected")))
    , m_depth(registry.gauge(QStringLiteral("mutt_ingest_queue_depth"),
          QStringLiteral("Length of the ingest queue last seen by this ingestor")))
    , m_latency(registry.histogram(QStringLiteral("mutt_ingest_latency_seconds"),
          QStringLiteral("Time to answer an authenticated ingest request"),
          metrics::MetricsRegistry::latencySecondsBuckets()))
{
}

void IngestMetrics::requestSucceeded(double seconds, qint64 accepted, qint64 rejected)
{
    m_success.inc();
    m_accepted.inc(double(accepted));
    if (rejected > 0)
        m_rejected.inc(double(rejected));
    m_latency.observe(seconds);
}

void IngestMetrics::requestFailed(FailReason reason, double seconds, qint64 rejectedItems)
{
    failures(reason).inc();
    if (reason == FailReason::RateLimit)
        m_rateLimitHits.inc();
    if (rejectedItems > 0)
        m_rejected.inc(double(rejectedItems));
    if (seconds >= 0)
        m_latency.observe(seconds);
}

void IngestMetrics::queueDepth(qint64 depth)
{
    m_depth.set(double(depth));
}

QString IngestMetrics::reasonLabel(FailReason reason)
{
    switch (reason) {
    case FailReason::Auth: return QStringLiteral("auth");
    case FailReason::Json: return QStringLiteral("json");
    case FailReason::Validation: return QStringLiteral("validation");
    case FailReason::QueueFull: return QStringLiteral("queue_full");
    case FailReason::Redis: return QStringLiteral("redis");
    case FailReason::RateLimit: return QStringLiteral("rate_limit");
    }
    return QStringLiteral("unknown");
}

metrics::Counter &IngestMetrics::failures(FailReason reason)
{
    switch (reason) {
    case FailReason::Auth: return m_auth;
    case FailReason::Json: return m_json;
    case FailReason::Validation: return m_validation;
    case FailReason::QueueFull: return m_queueFull;
    case FailReason::Redis: return m_redis;
    case FailReason::RateLimit: return m_rateLimit;
    }
    return m_json;
}

}  // namespace mutt::ingest
