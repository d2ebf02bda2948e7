#include "queues/QueuesView.h"

#include "common/Format.h"
#include "common/StatusStyle.h"
#include "queues/QueuesModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mutt::ui {

QueuesView::QueuesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new QueuesModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(QueuesModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_table->setObjectName(QStringLiteral("queuesTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(QueuesModel::Kind, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(QueuesModel::Name, QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_summary->setObjectName(QStringLiteral("queuesSummary"));
    m_summary->setWordWrap(true);

    auto *title = new QLabel(tr("Queues"), this);
    title->setObjectName(QStringLiteral("viewTitle"));

    m_table->resizeColumnsToContents();  // header widths until the first sample

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(8);
    layout->addWidget(title);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
}

void QueuesView::showStatus(const runtime::EngineStatus &status)
{
    const bool first = m_model->rowCount() == 0;
    m_model->updateStatus(status);
    updateSummary(status);

    if (first && m_model->rowCount() > 0)
        fitColumns();
}

void QueuesView::fitColumns()
{
    // Processing-list names end in the pod name and can be very long, so the
    // name column takes whatever room the others leave and elides the end
    // (the pod is also in the worker column), which keeps every column in view.
    constexpr int MaxWorkerWidth = 170;
    m_table->resizeColumnsToContents();
    if (m_table->columnWidth(QueuesModel::Worker) > MaxWorkerWidth)
        m_table->setColumnWidth(QueuesModel::Worker, MaxWorkerWidth);
}

void QueuesView::clear()
{
    m_model->clear();
    m_summary->clear();
}

void QueuesView::updateSummary(const runtime::EngineStatus &status)
{
    qint64 dlqItems = 0;
    int orphans = 0;
    for (const runtime::QueueInfo &info : status.queues) {
        if (info.kind == runtime::QueueInfo::Kind::Dlq)
            dlqItems += info.depth;
        if (QueuesModel::isOrphan(info))
            ++orphans;
    }

    QString text = tr("%1 lists · %2 items in flight · %3 in dead-letter queues")
                       .arg(status.queues.size())
                       .arg(format::count(status.conservation.inFlight), format::count(dlqItems));
    Tone tone = dlqItems > 0 ? Tone::Warning : Tone::Neutral;
    if (orphans > 0) {
        text += QStringLiteral(" · ") + withSymbol(Tone::Bad, tr("%1 orphaned processing lists").arg(orphans));
        tone = Tone::Bad;
    }
    m_summary->setText(text);
    m_summary->setStyleSheet(toneStyleSheet(tone, false));
}

}  // namespace mutt::ui
