#include "overview/ThroughputChart.h"

#include "overview/ThroughputHistory.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mutt::ui {
namespace {

// A y maximum that gives round tick labels: 1, 2 or 5 times a power of ten.
double niceCeiling(double value)
{
    if (value <= 10.0)
        return 10.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

QLineSeries *makeSeries(const QString &name, const QColor &color, QChart *chart)
{
    auto *series = new QLineSeries(chart);
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2.0);
    series->setPen(pen);
    return series;
}

}  // namespace

ThroughputChart::ThroughputChart(const ThroughputHistory &history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_rangePicker(new QComboBox(this))
{
    m_rangePicker->setObjectName(QStringLiteral("throughputRange"));
    m_rangePicker->addItem(tr("Last 5 minutes"), 5);
    m_rangePicker->addItem(tr("Last 15 minutes"), 15);
    m_rangePicker->addItem(tr("Last hour"), 60);
    connect(m_rangePicker, &QComboBox::currentIndexChanged, this, &ThroughputChart::refresh);

    buildChart();

    auto *title = new QLabel(tr("Throughput"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(new QLabel(tr("Range:"), this));
    header->addWidget(m_rangePicker);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);
}

void ThroughputChart::buildChart()
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignTop);

    m_ingest = makeSeries(tr("Ingest events/s"), QColor(0x1f, 0x5f, 0xa8), m_chart);
    m_forwarded = makeSeries(tr("Forwarded alerts/s"), QColor(0x1b, 0x8a, 0x4a), m_chart);
    m_chart->addSeries(m_ingest);
    m_chart->addSeries(m_forwarded);

    m_xAxis = new QValueAxis(m_chart);
    m_xAxis->setTitleText(tr("minutes ago"));
    m_xAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_yAxis = new QValueAxis(m_chart);
    m_yAxis->setTitleText(tr("per second"));
    m_yAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_yAxis->setMinorTickCount(1);
    m_yAxis->setTickCount(6);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    for (QLineSeries *series : {m_ingest, m_forwarded}) {
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
    }

    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("throughputChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(220);
    refresh();
}

std::chrono::minutes ThroughputChart::range() const
{
    return std::chrono::minutes(m_rangePicker->currentData().toInt());
}

void ThroughputChart::refresh()
{
    const qint64 rangeMinutes = range().count();
    // One tick per minute for 5 min, per 3 min for 15 min, per 10 min for 1 h.
    int ticks = 6;
    if (rangeMinutes == 60)
        ticks = 7;
    m_xAxis->setRange(-double(rangeMinutes), 0.0);
    m_xAxis->setTickCount(ticks);

    if (m_history.isEmpty()) {
        m_ingest->clear();
        m_forwarded->clear();
        m_yAxis->setRange(0.0, 10.0);
        return;
    }

    const qint64 newest = m_history.latest().atMs;
    const QList<ThroughputPoint> points = m_history.pointsSince(newest - rangeMinutes * 60'000);
    QList<QPointF> ingest;
    QList<QPointF> forwarded;
    double peak = 0.0;
    for (const ThroughputPoint &point : points) {
        const double minutesAgo = double(point.atMs - newest) / 60'000.0;
        ingest.append(QPointF(minutesAgo, point.ingestPerSec));
        forwarded.append(QPointF(minutesAgo, point.forwardedPerSec));
        peak = std::max({peak, point.ingestPerSec, point.forwardedPerSec});
    }

    m_ingest->replace(ingest);
    m_forwarded->replace(forwarded);
    m_yAxis->setRange(0.0, niceCeiling(peak * 1.1));
    m_yAxis->setTickCount(6);
}

}  // namespace mutt::ui
