#pragma once

#include "api/ApiCall.h"
#include "core/Result.h"

#include <QDateTime>
#include <QHash>
#include <QString>

namespace mutt::queue {
class QueueStore;
}

namespace mutt::api {

class ApiRouter;

// metrics: ingest rates from the per-minute and per-hour counters the
// ingestor writes (<METRICS_PREFIX>:1m:<YYYY-MM-DDTHH:MM>,
// <METRICS_PREFIX>:1h:<YYYY-MM-DDTHH>, UTC), in the MUTT v2.5 shape:
//   {"summary": {"current_rate_1m", "avg_rate_15m", "avg_rate_1h"},
//    "chart_24h": {"labels": 24 x "HH:00", "data": 24 x events/minute}}
// Rates are events per minute over contiguous complete minutes: minutes
// without traffic count as 0 and the minute in progress is left out.
class RateRoutes final {
public:
    RateRoutes(queue::QueueStore &queue, QString metricsPrefix) : m_queue(queue), m_prefix(std::move(metricsPrefix)) { }

    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse rates(const QDateTime &nowUtc) const;

    // The body for counters keyed by their full key name.
    static QJsonObject ratesBody(
        const QHash<QString, qint64> &counters, const QString &prefix, const QDateTime &nowUtc);

private:
    queue::QueueStore &m_queue;
    QString m_prefix;
};

}  // namespace mutt::api
