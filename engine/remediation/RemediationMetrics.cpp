#include "remediation/RemediationMetrics.h"

namespace mutt::remediation {
namespace {

constexpr QLatin1StringView dlqDepthName("mutt_remediation_dlq_depth");
constexpr QLatin1StringView dlqDepthHelp("Items in a dead-letter queue, read at each remediation cycle");
constexpr QLatin1StringView replayFailName("mutt_remediation_replay_fail_total");
constexpr QLatin1StringView replayFailHelp(
    "DLQ items that could not be moved: processing_error (one item), store_error (reading the DLQ)");

// Prometheus client defaults, as MUTT v2.5 used for this histogram.
std::vector<double> defaultBuckets()
{
    return {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
}

}  // namespace

RemediationMetrics::RemediationMetrics(metrics::MetricsRegistry &registry)
    : loops(
        registry.counter(QStringLiteral("mutt_remediation_loops_total"), QStringLiteral("Remediation cycles started")))
    , replaySuccess(registry.counter(QStringLiteral("mutt_remediation_replay_success_total"),
          QStringLiteral("DLQ items moved back to their queue")))
    , poisonMessages(registry.counter(QStringLiteral("mutt_remediation_poison_messages_total"),
          QStringLiteral("DLQ items moved to the dead letter queue instead of replayed")))
    , moogHealth(registry.gauge(QStringLiteral("mutt_remediation_moog_health"),
          QStringLiteral("1 when the last Moogsoft reachability check passed, else 0")))
    , loopDuration(registry.histogram(QStringLiteral("mutt_remediation_loop_duration_seconds"),
          QStringLiteral("Duration of one remediation cycle"), defaultBuckets()))
    , m_registry(registry)
{
    replayFail(QStringLiteral("processing_error"));
    replayFail(QStringLiteral("store_error"));
}

metrics::Gauge &RemediationMetrics::dlqDepth(const QString &dlqName)
{
    return m_registry.gauge(dlqDepthName, dlqDepthHelp, {{QStringLiteral("dlq_name"), dlqName}});
}

metrics::Counter &RemediationMetrics::replayFail(const QString &reason)
{
    return m_registry.counter(replayFailName, replayFailHelp, {{QStringLiteral("reason"), reason}});
}

}  // namespace mutt::remediation
