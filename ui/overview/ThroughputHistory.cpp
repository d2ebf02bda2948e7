#include "overview/ThroughputHistory.h"

namespace mutt::ui {

ThroughputHistory::ThroughputHistory(std::chrono::milliseconds keep) : m_keep(keep) { }

void ThroughputHistory::clear()
{
    m_previous.reset();
    m_points.clear();
}

void ThroughputHistory::addSample(const runtime::EngineStatus &status)
{
    const QDateTime at = status.sampledAt.isValid() ? status.sampledAt : QDateTime::currentDateTimeUtc();
    const Counters now {at.toMSecsSinceEpoch(), status.conservation.accepted, status.conservation.forwarded};
    const std::optional<Counters> before = std::exchange(m_previous, now);

    if (!before || now.atMs <= before->atMs)
        return;
    if (now.accepted < before->accepted || now.forwarded < before->forwarded)
        return;

    const double seconds = double(now.atMs - before->atMs) / 1000.0;
    m_points.push_back(ThroughputPoint {now.atMs, double(now.accepted - before->accepted) / seconds,
        double(now.forwarded - before->forwarded) / seconds});

    const qint64 horizon = now.atMs - m_keep.count();
    while (!m_points.empty() && m_points.front().atMs < horizon)
        m_points.pop_front();
}

QList<ThroughputPoint> ThroughputHistory::pointsSince(qint64 fromMs) const
{
    QList<ThroughputPoint> points;
    for (const ThroughputPoint &point : m_points) {
        if (point.atMs >= fromMs)
            points.append(point);
    }
    return points;
}

}  // namespace mutt::ui
