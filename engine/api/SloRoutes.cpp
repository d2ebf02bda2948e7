#include "api/SloRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRouter.h"
#include "metrics/MetricsRegistry.h"
#include "queue/Coordination.h"

#include <QDateTime>
#include <QJsonArray>

namespace mutt::api {
namespace {

QJsonValue orNull(std::optional<double> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// Prometheus' histogram_quantile: linear interpolation inside the bucket
// that contains the rank; the +Inf bucket returns its lower bound.
std::optional<double> quantile(const metrics::Histogram::Snapshot &snapshot, double q)
{
    if (snapshot.count == 0 || snapshot.cumulativeCounts.empty())
        return std::nullopt;
    const double rank = q * double(snapshot.count);
    for (size_t i = 0; i < snapshot.upperBounds.size() && i < snapshot.cumulativeCounts.size(); ++i) {
        if (double(snapshot.cumulativeCounts[i]) < rank)
            continue;
        const double lower = i == 0 ? 0.0 : snapshot.upperBounds[i - 1];
        const double below = i == 0 ? 0.0 : double(snapshot.cumulativeCounts[i - 1]);
        const double inBucket = double(snapshot.cumulativeCounts[i]) - below;
        if (inBucket <= 0)
            return snapshot.upperBounds[i];
        return lower + (snapshot.upperBounds[i] - lower) * (rank - below) / inBucket;
    }
    return snapshot.upperBounds.empty() ? std::nullopt : std::optional<double>(snapshot.upperBounds.back());
}

QString availabilityStatus(const SloDefinition &slo, double actual, double burn)
{
    if (burn >= slo.burnCritical)
        return QStringLiteral("critical");
    if (burn >= slo.burnWarning)
        return QStringLiteral("warning");
    return actual < slo.target ? QStringLiteral("breaching") : QStringLiteral("ok");
}

QString latencyStatus(const SloDefinition &slo, double actual)
{
    if (actual >= slo.upperCritical)
        return QStringLiteral("critical");
    if (actual >= slo.upperWarning)
        return QStringLiteral("warning");
    return actual > slo.target ? QStringLiteral("breaching") : QStringLiteral("ok");
}

}  // namespace

QList<SloDefinition> SloRoutes::definitions()
{
    return {
        {QStringLiteral("ingestor_availability"), QStringLiteral("Share of ingest requests accepted"), false, 0.999, 24,
            5, 10, 0, 0},
        {QStringLiteral("ingestor_latency_p99"), QStringLiteral("99th percentile of ingest request latency"), true, 0.5,
            24, 5, 10, 0.75, 1.0},
        {QStringLiteral("forwarder_availability"), QStringLiteral("Share of Moogsoft webhook requests delivered"),
            false, 0.995, 24, 5, 10, 0, 0},
        {QStringLiteral("forwarder_latency_p99"), QStringLiteral("99th percentile of Moogsoft webhook latency"), true,
            2.0, 24, 5, 10, 3.0, 5.0},
        {QStringLiteral("alerter_processing_success"),
            QStringLiteral("Share of events the alerter processed without poison or error"), false, 0.999, 24, 5, 10, 0,
            0},
        {QStringLiteral("alerter_cache_reload_success"), QStringLiteral("Share of rule cache reloads that succeeded"),
            false, 0.99, 24, 5, 10, 0, 0},
    };
}

QJsonObject SloRoutes::evaluate(const SloDefinition &slo, std::optional<double> actual)
{
    QJsonObject entry {{QStringLiteral("slo_name"), slo.name}, {QStringLiteral("description"), slo.description},
        {QStringLiteral("window_hours"), slo.windowHours}, {QStringLiteral("actual_value"), orNull(actual)}};
    entry.insert(slo.latency ? QStringLiteral("target_seconds") : QStringLiteral("target"), slo.target);

    if (!actual) {
        entry.insert(QStringLiteral("burn_rate"), QJsonValue::Null);
        entry.insert(QStringLiteral("error_budget_remaining"), QJsonValue::Null);
        entry.insert(QStringLiteral("status"), QStringLiteral("unknown"));
        entry.insert(QStringLiteral("message"),
            QStringLiteral("No data: no request of this kind was counted in this process yet"));
        return entry;
    }

    const double budget = 1.0 - slo.target;
    if (slo.latency) {
        entry.insert(QStringLiteral("burn_rate"), QJsonValue::Null);
        entry.insert(QStringLiteral("error_budget_remaining"), QJsonValue::Null);
        entry.insert(QStringLiteral("status"), latencyStatus(slo, *actual));
        entry.insert(QStringLiteral("message"),
            QStringLiteral("p99 %1 s against a target of %2 s").arg(*actual, 0, 'f', 3).arg(slo.target));
        return entry;
    }
    const double burn = budget > 0 ? (1.0 - *actual) / budget : 0.0;
    entry.insert(QStringLiteral("burn_rate"), burn);
    entry.insert(QStringLiteral("error_budget_remaining"), budget > 0 ? (*actual - slo.target) / budget : 0.0);
    entry.insert(QStringLiteral("status"), availabilityStatus(slo, *actual, burn));
    entry.insert(QStringLiteral("message"),
        QStringLiteral("%1 against a target of %2, burn rate %3")
            .arg(*actual, 0, 'f', 5)
            .arg(slo.target)
            .arg(burn, 0, 'f', 2));
    return entry;
}

void SloRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("slo"), [this](const ApiCall &) { return slos(); });
}

std::optional<double> SloRoutes::ratio(
    const QString &metric, const QString &label, const QStringList &good, const QStringList &bad) const
{
    const double all = m_registry.sumOf(metric);
    if (all <= 0)
        return std::nullopt;
    double passed = 0;
    for (const QString &value : good)
        passed += m_registry.sumOf(metric, {{label, value}});
    double failed = 0;
    for (const QString &value : bad)
        failed += m_registry.sumOf(metric, {{label, value}});
    return bad.isEmpty() ? passed / all : (all - failed) / all;
}

std::optional<double> SloRoutes::p99(const QString &histogram) const
{
    const std::optional<metrics::Histogram::Snapshot> snapshot = m_registry.mergedHistogram(histogram);
    return snapshot ? quantile(*snapshot, 0.99) : std::nullopt;
}

std::optional<double> SloRoutes::measure(const QString &name) const
{
    const QString status = QStringLiteral("status");
    if (name == u"ingestor_availability")
        return ratio(QStringLiteral("mutt_ingest_requests_total"), status, {QStringLiteral("success")});
    if (name == u"forwarder_availability")
        return ratio(QStringLiteral("mutt_moog_requests_total"), status, {QStringLiteral("success")});
    if (name == u"alerter_processing_success")
        return ratio(QStringLiteral("mutt_alerter_events_processed_total"), status, {},
            {QStringLiteral("poison"), QStringLiteral("error")});
    if (name == u"ingestor_latency_p99")
        return p99(QStringLiteral("mutt_ingest_latency_seconds"));
    if (name == u"forwarder_latency_p99")
        return p99(QStringLiteral("mutt_moog_request_latency_seconds"));

    const std::optional<metrics::Histogram::Snapshot> reloads
        = m_registry.mergedHistogram(QStringLiteral("mutt_alerter_cache_reload_latency_seconds"));
    const double succeeded = reloads ? double(reloads->count) : 0.0;
    const double failed = m_registry.sumOf(QStringLiteral("mutt_alerter_cache_reload_failures_total"));
    if (succeeded + failed <= 0)
        return std::nullopt;
    return succeeded / (succeeded + failed);
}

void SloRoutes::applyOverrides(SloDefinition &slo) const
{
    const auto override = [this, &slo](const QString &setting, double &target) {
        const Result<std::optional<QString>> value
            = m_coordination.configValue(QStringLiteral("slo_%1_%2").arg(slo.name, setting));
        if (!value || !value.value())
            return;
        bool ok = false;
        const double number = value.value()->toDouble(&ok);
        if (ok && number > 0)
            target = number;
    };
    override(QStringLiteral("window_hours"), slo.windowHours);
    override(QStringLiteral("burn_rate_warning"), slo.burnWarning);
    override(QStringLiteral("burn_rate_critical"), slo.burnCritical);
    override(QStringLiteral("upper_bound_warning"), slo.upperWarning);
    override(QStringLiteral("upper_bound_critical"), slo.upperCritical);
}

http::HttpResponse SloRoutes::slos() const
{
    QJsonArray entries;
    for (SloDefinition slo : definitions()) {
        applyOverrides(slo);
        entries.append(evaluate(slo, measure(slo.name)));
    }
    return reply(200,
        QJsonObject {{QStringLiteral("slos"), entries},
            {QStringLiteral("timestamp"), rfc3339(QDateTime::currentDateTimeUtc())},
            {QStringLiteral("source"), QStringLiteral("process counters since start")}});
}

}  // namespace mutt::api
