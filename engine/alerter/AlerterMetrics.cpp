#include "alerter/AlerterMetrics.h"

namespace mutt::alerter {
namespace {

using metrics::Labels;

constexpr QLatin1StringView processedName("mutt_alerter_events_processed_total");
constexpr QLatin1StringView processedHelp("Events taken from the ingest queue, by outcome");
constexpr QLatin1StringView shedName("mutt_alerter_shed_events_total");
constexpr QLatin1StringView shedHelp("Backpressure actions while the alert queue is above the shed threshold, by mode");

Labels label(const char *name, const char *value)
{
    return {{QLatin1StringView(name), QLatin1StringView(value)}};
}

// prometheus_client's default buckets, which v2.5 used for the reload histogram.
const std::vector<double> &defaultBuckets()
{
    static const std::vector<double> buckets {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0};
    return buckets;
}

const std::vector<double> &millisecondBuckets()
{
    static const std::vector<double> buckets {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
    return buckets;
}

}  // namespace

AlerterMetrics::AlerterMetrics(metrics::MetricsRegistry &registry)
    : handled(registry.counter(processedName, processedHelp, label("status", "handled")))
    , unhandled(registry.counter(processedName, processedHelp, label("status", "unhandled")))
    , poison(registry.counter(processedName, processedHelp, label("status", "poison")))
    , error(registry.counter(processedName, processedHelp, label("status", "error")))
    , alertsForwarded(registry.counter(QStringLiteral("mutt_alerter_alerts_forwarded_total"),
          QStringLiteral("Alerts pushed to the alert queue (rule matches and "
                         "unhandled meta-alerts)")))
    , metaAlerts(registry.counter(QStringLiteral("mutt_alerter_unhandled_meta_alerts_total"),
          QStringLiteral("Meta-alerts raised for repeated unhandled events")))
    , processingLatency(registry.histogram(QStringLiteral("mutt_alerter_processing_latency_seconds"),
          QStringLiteral("Time from claim to commit of an event"), metrics::MetricsRegistry::latencySecondsBuckets()))
    , cacheReloadLatency(registry.histogram(QStringLiteral("mutt_alerter_cache_reload_latency_seconds"),
          QStringLiteral("Time to load and compile the rule cache"), defaultBuckets()))
    , rulesCount(
          registry.gauge(QStringLiteral("mutt_alerter_cache_rules_count"), QStringLiteral("Active rules in the cache")))
    , devHostsCount(registry.gauge(
          QStringLiteral("mutt_alerter_cache_dev_hosts_count"), QStringLiteral("Development hosts in the cache")))
    , teamsCount(registry.gauge(
          QStringLiteral("mutt_alerter_cache_teams_count"), QStringLiteral("Host-to-team mappings in the cache")))
    , rulesSkipped(registry.gauge(QStringLiteral("mutt_alerter_rules_skipped"),
          QStringLiteral("Active rules left out of the cache because they cannot be "
                         "compiled")))
    , dbWriteLatencyMs(registry.histogram(QStringLiteral("mutt_db_write_latency_ms"),
          QStringLiteral("Event audit batch write time in milliseconds"), millisecondBuckets()))
    , cacheReloadFailures(registry.counter(QStringLiteral("mutt_alerter_cache_reload_failures_total"),
          QStringLiteral("Rule cache reloads that failed (previous rules kept)")))
    , dlqDepth(registry.gauge(
          QStringLiteral("mutt_alerter_dlq_depth"), QStringLiteral("Items in the alerter dead-letter queue")))
    , processingListDepth(registry.gauge(QStringLiteral("mutt_alerter_processing_list_depth"),
          QStringLiteral("Items claimed by this process and not yet committed")))
    , queueDepth(registry.gauge(QStringLiteral("mutt_alerter_queue_depth"),
          QStringLiteral("Items in the alert queue (watched for backpressure)")))
    , shedDlq(registry.counter(shedName, shedHelp, label("mode", "dlq")))
    , shedDefer(registry.counter(shedName, shedHelp, label("mode", "defer")))
    , commitFailures(registry.counter(QStringLiteral("mutt_alerter_commit_failures_total"),
          QStringLiteral("Batch commits to the queue store that failed; their items stay claimed and are "
                         "processed again")))
{
}

}  // namespace mutt::alerter
