#pragma once

#include "runtime/EngineStatus.h"

#include <QList>

#include <chrono>
#include <deque>

namespace mutt::ui {

struct ThroughputPoint {
    qint64 atMs = 0;  // end of the interval, ms since the epoch
    double ingestPerSec = 0.0;  // accepted events per second
    double forwardedPerSec = 0.0;  // alerts Moogsoft acknowledged per second
};

// Rates between successive status samples, kept in memory for the chart's
// longest range. A counter that went down (the engine restarted) starts a
// new series instead of producing a negative rate.
class ThroughputHistory final {
public:
    explicit ThroughputHistory(std::chrono::milliseconds keep = std::chrono::hours(1));

    void addSample(const runtime::EngineStatus &status);
    void clear();

    [[nodiscard]] QList<ThroughputPoint> pointsSince(qint64 fromMs) const;
    [[nodiscard]] bool isEmpty() const { return m_points.empty(); }
    [[nodiscard]] const ThroughputPoint &latest() const { return m_points.back(); }
    [[nodiscard]] qsizetype size() const { return qsizetype(m_points.size()); }

private:
    struct Counters {
        qint64 atMs = 0;
        qint64 accepted = 0;
        qint64 forwarded = 0;
    };

    std::chrono::milliseconds m_keep;
    std::optional<Counters> m_previous;
    std::deque<ThroughputPoint> m_points;
};

}  // namespace mutt::ui
