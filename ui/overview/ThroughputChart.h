#pragma once

#include <QWidget>

#include <chrono>

class QChart;
class QChartView;
class QComboBox;
class QLineSeries;
class QValueAxis;

namespace mutt::ui {

class ThroughputHistory;

// Ingest events/s and forwarded alerts/s over the last 5 min, 15 min or
// 1 h of samples held in memory. The x axis counts minutes back from the
// newest sample, so the chart reads the same in every time zone.
class ThroughputChart final : public QWidget {
    Q_OBJECT
public:
    explicit ThroughputChart(const ThroughputHistory &history, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThroughputChart)

    // Redraws from the history; call after each sample.
    void refresh();
    [[nodiscard]] std::chrono::minutes range() const;

private:
    void buildChart();

    const ThroughputHistory &m_history;
    QComboBox *m_rangePicker = nullptr;
    QChartView *m_view = nullptr;
    QChart *m_chart = nullptr;
    QLineSeries *m_ingest = nullptr;
    QLineSeries *m_forwarded = nullptr;
    QValueAxis *m_xAxis = nullptr;
    QValueAxis *m_yAxis = nullptr;
};

}  // namespace mutt::ui
