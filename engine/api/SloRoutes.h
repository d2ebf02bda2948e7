#pragma once

#include "api/ApiCall.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class Coordination;
}

namespace mutt::api {

class ApiRouter;

// The six MUTT v2.5 SLOs and the status rules of its web UI.
struct SloDefinition {
    QString name;
    QString description;
    bool latency = false;  // latency: target in seconds; else a success ratio
    double target = 0;
    double windowHours = 24;
    double burnWarning = 5;  // ratio SLOs
    double burnCritical = 10;
    double upperWarning = 0;  // latency SLOs, seconds
    double upperCritical = 0;
};

// slo: {"slos": [...], "timestamp", "source"}. Values come from this
// process's own counters and histograms since it started (the engine's
// metrics registry), so an api role running alone, without the other roles
// in its process, reports "unknown". Thresholds and windows follow the
// dynamic keys slo_<name>_<setting>. No data is "unknown", not "critical".
class SloRoutes final {
public:
    SloRoutes(metrics::MetricsRegistry &registry, queue::Coordination &coordination)
        : m_registry(registry)
        , m_coordination(coordination)
    {
    }

    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse slos() const;

    static QList<SloDefinition> definitions();
    // One entry of "slos" for a measured value (nullopt: no data).
    static QJsonObject evaluate(const SloDefinition &slo, std::optional<double> actual);

private:
    [[nodiscard]] std::optional<double> measure(const QString &name) const;
    [[nodiscard]] std::optional<double> ratio(
        const QString &metric, const QString &label, const QStringList &good, const QStringList &bad = {}) const;
    [[nodiscard]] std::optional<double> p99(const QString &histogram) const;
    void applyOverrides(SloDefinition &slo) const;

    metrics::MetricsRegistry &m_registry;
    queue::Coordination &m_coordination;
};

}  // namespace mutt::api
