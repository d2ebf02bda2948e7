#include "common/StallProbe.h"

#include <QSaveFile>

namespace mutt::ui {

StallProbe::StallProbe(std::chrono::milliseconds interval, std::chrono::milliseconds threshold, QObject *parent)
    : QObject(parent)
{
    m_summary.intervalMs = interval.count();
    m_summary.thresholdMs = threshold.count();
    m_timer.setInterval(interval);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { recordTick(m_clock.nsecsElapsed() / 1000); });
}

void StallProbe::start()
{
    const qint64 intervalMs = m_summary.intervalMs;
    const qint64 thresholdMs = m_summary.thresholdMs;
    m_summary = Summary {};
    m_summary.intervalMs = intervalMs;
    m_summary.thresholdMs = thresholdMs;
    m_lastTickUs = 0;
    m_clock.start();
    m_timer.start();
}

void StallProbe::stop()
{
    m_timer.stop();
}

void StallProbe::recordTick(qint64 atUs)
{
    const qint64 stallUs = atUs - m_lastTickUs - m_summary.intervalMs * 1000;
    m_lastTickUs = atUs;
    ++m_summary.ticks;
    m_summary.runUs = atUs;
    if (stallUs <= 0)
        return;
    if (stallUs > m_summary.maxStallUs) {
        m_summary.maxStallUs = stallUs;
        m_summary.maxStallAtUs = atUs;
    }
    if (stallUs > m_summary.thresholdMs * 1000) {
        ++m_summary.stallsOverThreshold;
        if (m_summary.stallsOverThresholdAtUs.size() < maxListedStalls)
            m_summary.stallsOverThresholdAtUs.append(atUs);
    }
}

QByteArray StallProbe::report(const Summary &summary)
{
    const auto ms = [](qint64 us) { return QByteArray::number(double(us) / 1000.0, 'f', 1); };
    const auto seconds = [](qint64 us) { return QByteArray::number(double(us) / 1e6, 'f', 1); };
    QByteArray out;
    out += "max_stall_ms=" + ms(summary.maxStallUs) + '\n';
    out += "max_stall_at_s=" + seconds(summary.maxStallAtUs) + '\n';
    out += "stalls_over_threshold=" + QByteArray::number(summary.stallsOverThreshold) + '\n';
    QByteArrayList times;
    for (const qint64 atUs : summary.stallsOverThresholdAtUs)
        times.append(seconds(atUs));
    out += "stalls_over_threshold_at_s=" + times.join(',') + '\n';
    out += "threshold_ms=" + QByteArray::number(summary.thresholdMs) + '\n';
    out += "interval_ms=" + QByteArray::number(summary.intervalMs) + '\n';
    out += "ticks=" + QByteArray::number(summary.ticks) + '\n';
    out += "run_s=" + seconds(summary.runUs) + '\n';
    return out;
}

Status StallProbe::writeReport(const QString &file) const
{
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(report(m_summary)) < 0 || !out.commit()) {
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("writing the stall report to %1 failed: %2").arg(file, out.errorString()));
    }
    return {};
}

}  // namespace mutt::ui
