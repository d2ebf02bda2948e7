#pragma once

#include "metrics/MetricsRegistry.h"

#include <QString>

namespace mutt::remediation {

// The remediation worker's Prometheus series (MUTT v2.5 names). The DLQ
// depth gauge carries one series per DLQ it reads.
class RemediationMetrics final {
public:
    explicit RemediationMetrics(metrics::MetricsRegistry &registry);

    metrics::Gauge &dlqDepth(const QString &dlqName);
    metrics::Counter &replayFail(const QString &reason);

    metrics::Counter &loops;
    metrics::Counter &replaySuccess;
    metrics::Counter &poisonMessages;
    metrics::Gauge &moogHealth;
    metrics::Histogram &loopDuration;

private:
    metrics::MetricsRegistry &m_registry;
};

}  // namespace mutt::remediation
