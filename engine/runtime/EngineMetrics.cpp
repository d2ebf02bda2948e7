#include "runtime/EngineMetrics.h"

#include <QDateTime>

#include <cmath>
#include <limits>

namespace mutt::runtime {
namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

using Reader = std::function<double(const StoreSample &)>;

std::function<double()> fromSample(StatusSampler &sampler, Reader read)
{
    return [&sampler, read = std::move(read)] {
        const Result<StoreSample> sample
            = sampler.cached(QDateTime::currentMSecsSinceEpoch(), EngineMetrics::maxSampleAgeMs);
        return sample ? read(sample.value()) : missing;
    };
}

// Processing lists are summed under their prefix: per-worker series would
// leave stale series behind every restarted worker.
bool belongsTo(const QueueInfo &info, const QString &name)
{
    if (info.kind == QueueInfo::Kind::Processing)
        return info.name.startsWith(name + u':');
    return info.name == name;
}

double depthOf(const StoreSample &sample, const QString &name)
{
    double depth = 0;
    for (const QueueInfo &info : sample.queues) {
        if (belongsTo(info, name))
            depth += double(info.depth);
    }
    return depth;
}

double oldestAgeSecondsOf(const StoreSample &sample, const QString &name)
{
    qint64 oldest = 0;
    for (const QueueInfo &info : sample.queues) {
        if (belongsTo(info, name) && info.oldestAgeMs)
            oldest = std::max(oldest, *info.oldestAgeMs);
    }
    return double(oldest) / 1000.0;
}

void registerConservation(metrics::MetricsRegistry &registry, StatusSampler &sampler)
{
    const QString help = QStringLiteral("Events by pipeline outcome; accepted + generated equals the sum of the "
                                        "others when nothing is lost");
    const QList<QPair<QString, Reader>> outcomes {
        {QStringLiteral("accepted"), [](const StoreSample &s) { return double(s.conservation.accepted); }},
        {QStringLiteral("generated"), [](const StoreSample &s) { return double(s.conservation.generated); }},
        {QStringLiteral("forwarded"), [](const StoreSample &s) { return double(s.conservation.forwarded); }},
        {QStringLiteral("suppressed"), [](const StoreSample &s) { return double(s.conservation.suppressed); }},
        {QStringLiteral("unhandled"), [](const StoreSample &s) { return double(s.conservation.unhandled); }},
        {QStringLiteral("discarded"), [](const StoreSample &s) { return double(s.conservation.discarded); }},
        {QStringLiteral("in_dlq"), [](const StoreSample &s) { return double(s.conservation.inDlq); }},
        {QStringLiteral("in_flight"), [](const StoreSample &s) { return double(s.conservation.inFlight); }},
    };
    for (const auto &[outcome, read] : outcomes) {
        registry.gaugeCallback(QStringLiteral("mutt_conservation_events"), help, {{QStringLiteral("outcome"), outcome}},
            fromSample(sampler, read));
    }
    registry.gaugeCallback(QStringLiteral("mutt_conservation_difference"),
        QStringLiteral("accepted + generated minus everything accounted for; non-zero for several scrapes means "
                       "events were lost or duplicated"),
        {}, fromSample(sampler, [](const StoreSample &s) { return double(s.conservation.difference()); }));
}

}  // namespace

void EngineMetrics::registerGauges(
    metrics::MetricsRegistry &registry, const config::Settings &settings, StatusSampler &sampler)
{
    const QStringList queues {settings.ingestQueue, settings.alerterProcessingPrefix, settings.alertQueue,
        settings.moogProcessingPrefix, settings.moogRetrySet, settings.alerterDlq, settings.moogDlq,
        settings.deadLetterQueue};
    for (const QString &name : queues) {
        const metrics::Labels labels {{QStringLiteral("queue"), name}};
        registry.gaugeCallback(QStringLiteral("mutt_queue_depth"),
            QStringLiteral("Items in a queue, DLQ, retry set or (summed) processing lists"), labels,
            fromSample(sampler, [name](const StoreSample &s) { return depthOf(s, name); }));
        if (name == settings.moogRetrySet)
            continue;
        registry.gaugeCallback(QStringLiteral("mutt_queue_oldest_age_seconds"),
            QStringLiteral("Age in seconds of the oldest item (from _received_at or _dlq_at); 0 when empty"), labels,
            fromSample(sampler, [name](const StoreSample &s) { return oldestAgeSecondsOf(s, name); }));
    }
    registerConservation(registry, sampler);
}

}  // namespace mutt::runtime
