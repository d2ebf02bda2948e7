#include "api/RateRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRouter.h"
#include "queue/QueueStore.h"

#include <QJsonArray>

#include <cmath>

namespace mutt::api {
namespace {

double round2(double value)
{
    return std::round(value * 100.0) / 100.0;
}

// Mean events per minute over the `minutes` complete minutes before nowUtc.
double perMinute(
    const QHash<QString, qint64> &counters, const QString &minutePrefix, const QDateTime &nowUtc, int minutes)
{
    const QDateTime thisMinute = nowUtc.addSecs(-nowUtc.time().second()).addMSecs(-nowUtc.time().msec());
    qint64 total = 0;
    for (int back = 1; back <= minutes; ++back) {
        const QString stamp = thisMinute.addSecs(-60LL * back).toString(QStringLiteral("yyyy-MM-dd'T'HH:mm"));
        total += counters.value(minutePrefix + stamp);
    }
    return round2(double(total) / minutes);
}

}  // namespace

void RateRoutes::addTo(ApiRouter &router) const
{
    router.add(
        "GET", QStringLiteral("metrics"), [this](const ApiCall &) { return rates(QDateTime::currentDateTimeUtc()); });
}

QJsonObject RateRoutes::ratesBody(
    const QHash<QString, qint64> &counters, const QString &prefix, const QDateTime &nowUtc)
{
    const QString minutePrefix = prefix + QStringLiteral(":1m:");
    const QString hourPrefix = prefix + QStringLiteral(":1h:");

    QJsonArray labels;
    QJsonArray data;
    for (int back = 23; back >= 0; --back) {
        const QDateTime hour = nowUtc.addSecs(-3600LL * back);
        labels.append(hour.toString(QStringLiteral("HH:00")));
        const qint64 count = counters.value(hourPrefix + hour.toString(QStringLiteral("yyyy-MM-dd'T'HH")));
        data.append(round2(double(count) / 60.0));
    }

    const QJsonObject summary {{QStringLiteral("current_rate_1m"), perMinute(counters, minutePrefix, nowUtc, 1)},
        {QStringLiteral("avg_rate_15m"), perMinute(counters, minutePrefix, nowUtc, 15)},
        {QStringLiteral("avg_rate_1h"), perMinute(counters, minutePrefix, nowUtc, 60)}};
    return QJsonObject {{QStringLiteral("summary"), summary},
        {QStringLiteral("chart_24h"), QJsonObject {{QStringLiteral("labels"), labels}, {QStringLiteral("data"), data}}},
        {QStringLiteral("generated_at"), rfc3339(nowUtc)}};
}

http::HttpResponse RateRoutes::rates(const QDateTime &nowUtc) const
{
    QHash<QString, qint64> counters;
    for (const QString &scale : {QStringLiteral(":1m:"), QStringLiteral(":1h:")}) {
        const Result<QList<QPair<QString, qint64>>> found = m_queue.counters(m_prefix + scale);
        if (!found)
            return errorReply(503, QStringLiteral("Queue store unavailable: "), found.error());
        for (const auto &[key, value] : found.value())
            counters.insert(key, value);
    }
    return reply(200, ratesBody(counters, m_prefix, nowUtc));
}

}  // namespace mutt::api
