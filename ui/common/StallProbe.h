#pragma once

#include "core/Result.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace mutt::ui {

// Measures how long the event loop of the thread it lives on (the GUI thread)
// is kept from running. A timer fires every interval, and the part of each
// gap between two ticks beyond the interval is a stall. Benchmarks switch it
// on with mutt-console --stall-log, and the console does not start it
// otherwise. Scheduler delays on a loaded machine count as stalls too.
class StallProbe final : public QObject {
    Q_OBJECT
public:
    struct Summary {
        qint64 intervalMs = 0;
        qint64 thresholdMs = 0;
        qint64 runUs = 0;  // from start() to the last tick
        qint64 ticks = 0;
        qint64 maxStallUs = 0;
        qint64 maxStallAtUs = 0;  // end of the longest stall, since start()
        qint64 stallsOverThreshold = 0;  // stalls longer than thresholdMs
        // End times (since start()) of the first stalls longer than thresholdMs, at most maxListedStalls.
        QList<qint64> stallsOverThresholdAtUs;
    };
    static constexpr qsizetype maxListedStalls = 20;

    explicit StallProbe(std::chrono::milliseconds interval = std::chrono::milliseconds(10),
        std::chrono::milliseconds threshold = std::chrono::milliseconds(100), QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StallProbe)

    void start();
    void stop();
    [[nodiscard]] bool isRunning() const { return m_timer.isActive(); }

    // Records one tick `atUs` microseconds after start(). The timer calls it,
    // and tests call it with chosen times.
    void recordTick(qint64 atUs);

    [[nodiscard]] Summary summary() const { return m_summary; }
    // key=value lines: max_stall_ms, max_stall_at_s, stalls_over_threshold,
    // stalls_over_threshold_at_s (comma-separated), threshold_ms, interval_ms,
    // ticks, run_s.
    static QByteArray report(const Summary &summary);
    // Writes report(summary()) to `file`, replacing it.
    [[nodiscard]] Status writeReport(const QString &file) const;

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    Summary m_summary;
    qint64 m_lastTickUs = 0;
};

}  // namespace mutt::ui
