#include "queues/QueuesModel.h"

#include "common/Format.h"
#include "common/StatusStyle.h"

#include <QSet>

#include <limits>

namespace mutt::ui {
namespace {

// A DLQ deeper than this is a P2 incident in the runbook (configurable there; fixed here for now).
constexpr qint64 DlqAlarmDepth = 1000;

QString rateText(std::optional<double> value, bool lowerBound)
{
    if (!value)
        return format::unknown();
    if (lowerBound && *value <= 0.0)
        return format::unknown();
    return lowerBound ? QStringLiteral("≥ ") + format::rate(value) : format::rate(value);
}

}  // namespace

QString queueKindLabel(runtime::QueueInfo::Kind kind)
{
    switch (kind) {
    case runtime::QueueInfo::Kind::Queue: return QueuesModel::tr("Queue");
    case runtime::QueueInfo::Kind::Dlq: return QueuesModel::tr("Dead-letter queue");
    case runtime::QueueInfo::Kind::Processing: return QueuesModel::tr("Processing list");
    case runtime::QueueInfo::Kind::Retry: return QueuesModel::tr("Retry set");
    }
    return {};
}

QueuesModel::QueuesModel(QObject *parent) : QAbstractTableModel(parent) { }

bool QueuesModel::isOrphan(const runtime::QueueInfo &info)
{
    return info.kind == runtime::QueueInfo::Kind::Processing && !info.heartbeatAgeMs.has_value();
}

int QueuesModel::rowOf(const QString &queueName) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).info.name == queueName)
            return row;
    }
    return -1;
}

void QueuesModel::clear()
{
    m_rates.clear();
    if (m_rows.isEmpty())
        return;

    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

void QueuesModel::updateStatus(const runtime::EngineStatus &status)
{
    m_rates.addSample(status);

    removeVanished(status.queues);
    updateExisting(status.queues);
    appendNew(status.queues);
}

void QueuesModel::removeVanished(const QList<runtime::QueueInfo> &queues)
{
    QSet<QString> present;
    for (const runtime::QueueInfo &info : queues)
        present.insert(info.name);

    // From the bottom up, so the rows still to check keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (present.contains(m_rows.at(row).info.name))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

void QueuesModel::updateExisting(const QList<runtime::QueueInfo> &queues)
{
    if (m_rows.isEmpty())
        return;

    for (const runtime::QueueInfo &info : queues) {
        const int row = rowOf(info.name);
        if (row < 0)
            continue;
        m_rows[row].info = info;
        m_rows[row].flow = m_rates.flow(info);
    }

    // Rates move with every sample, so every row changes: one signal for all.
    emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void QueuesModel::appendNew(const QList<runtime::QueueInfo> &queues)
{
    QList<Row> added;
    for (const runtime::QueueInfo &info : queues) {
        if (rowOf(info.name) < 0)
            added.append(Row {info, m_rates.flow(info)});
    }
    if (added.isEmpty())
        return;

    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.append(added);
    endInsertRows();
}

int QueuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueuesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueuesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};

    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return displayText(row, index.column());
    case SortRole: return sortValue(row, index.column());
    case OrphanRole: return isOrphan(row.info);
    case Qt::ForegroundRole: return foreground(row, index.column());
    case Qt::ToolTipRole: return toolTip(row, index.column());
    case Qt::TextAlignmentRole: {
        const bool numeric = index.column() == Depth || index.column() == InRate || index.column() == OutRate
            || index.column() == OldestAge;
        return QVariant::fromValue(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
    }
    default: return {};
    }
}

QVariant QueuesModel::displayText(const Row &row, int column) const
{
    switch (column) {
    case Name: return row.info.name;
    case Kind: return queueKindLabel(row.info.kind);
    case Depth: return format::count(row.info.depth);
    case InRate: return rateText(row.flow.inPerSec, row.flow.inIsLowerBound);
    case OutRate: return rateText(row.flow.outPerSec, row.flow.outIsLowerBound);
    case OldestAge: return row.info.depth == 0 ? QString() : format::optionalDuration(row.info.oldestAgeMs);
    case DrainOrFill: return drainOrFillText(row);
    case Worker: return row.info.worker;
    case Heartbeat: return heartbeatText(row);
    default: return {};
    }
}

QString QueuesModel::drainOrFillText(const Row &row) const
{
    const QueueFlow &flow = row.flow;
    if (flow.drainMs)
        return tr("empty in %1").arg(format::duration(*flow.drainMs));
    if (flow.fillMs)
        return tr("full in %1").arg(format::duration(*flow.fillMs));
    if (!flow.netPerSec)
        return format::unknown();
    if (*flow.netPerSec > 0.0)
        return tr("growing %1/s").arg(format::rate(flow.netPerSec));
    return row.info.depth == 0 ? tr("empty") : tr("not moving");
}

QString QueuesModel::heartbeatText(const Row &row) const
{
    if (row.info.kind != runtime::QueueInfo::Kind::Processing)
        return {};
    if (isOrphan(row.info))
        return withSymbol(Tone::Bad, tr("gone: orphaned list"));
    const qint64 age = *row.info.heartbeatAgeMs;
    if (age > m_heartbeatTimeoutMs)
        return withSymbol(Tone::Warning, tr("%1 ago, late").arg(format::duration(age)));
    return withSymbol(Tone::Good, tr("%1 ago").arg(format::duration(age)));
}

QVariant QueuesModel::sortValue(const Row &row, int column) const
{
    constexpr qint64 Never = std::numeric_limits<qint64>::max();
    switch (column) {
    case Name: return row.info.name;
    case Kind: return int(row.info.kind);
    case Depth: return row.info.depth;
    case InRate: return row.flow.inPerSec.value_or(-1.0);
    case OutRate: return row.flow.outPerSec.value_or(-1.0);
    case OldestAge: return row.info.oldestAgeMs.value_or(-1);
    case DrainOrFill: return row.flow.fillMs ? -*row.flow.fillMs : row.flow.drainMs.value_or(Never);
    case Worker: return row.info.worker;
    case Heartbeat: return row.info.heartbeatAgeMs.value_or(isOrphan(row.info) ? Never : -1);
    default: return {};
    }
}

QVariant QueuesModel::foreground(const Row &row, int column) const
{
    if (isOrphan(row.info))
        return toneText(Tone::Bad);

    if (column == Depth && row.info.kind == runtime::QueueInfo::Kind::Dlq && row.info.depth > 0)
        return toneText(row.info.depth > DlqAlarmDepth ? Tone::Bad : Tone::Warning);
    if (column == DrainOrFill && row.flow.fillMs)
        return toneText(Tone::Warning);
    if (column == Heartbeat && row.info.heartbeatAgeMs)
        return toneText(*row.info.heartbeatAgeMs > m_heartbeatTimeoutMs ? Tone::Warning : Tone::Good);
    return {};
}

QVariant QueuesModel::toolTip(const Row &row, int column) const
{
    if (column == Name)
        return row.info.name;
    if (isOrphan(row.info)) {
        return tr("No heartbeat from worker %1: the items in this processing list belong to nobody. "
                  "The janitor moves them back to their queue; until then they are counted as in flight.")
            .arg(row.info.worker.isEmpty() ? tr("(unknown)") : row.info.worker);
    }
    if ((column == InRate || column == OutRate) && row.flow.inIsLowerBound) {
        return tr("This queue has no counter for what enters it. In/s and out/s come from the change in depth "
                  "alone, so they are lower bounds; \"—\" means the depth did not change.");
    }
    if (column == DrainOrFill && row.flow.capacity && row.flow.fillMs) {
        return tr("At the current growth rate the queue reaches its cap of %1 items. The ingestor then rejects "
                  "events with HTTP 503 and senders must retry.")
            .arg(format::count(*row.flow.capacity));
    }
    return headerData(column, Qt::Horizontal, Qt::ToolTipRole);
}

QVariant QueuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};

    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name: return tr("Queue");
        case Kind: return tr("Kind");
        case Depth: return tr("Depth");
        case InRate: return tr("In/s");
        case OutRate: return tr("Out/s");
        case OldestAge: return tr("Oldest item");
        case DrainOrFill: return tr("Time to drain or fill");
        case Worker: return tr("Worker");
        case Heartbeat: return tr("Heartbeat");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Depth: return tr("Items in the list now.");
        case InRate:
        case OutRate:
            return tr("Items per second over the last 5 seconds of samples. For the ingest queue, in/s is the "
                      "change of the accepted-events counter and out/s is in/s minus the change in depth. For "
                      "other queues only the depth change is known: growth is shown as in/s, shrinkage as "
                      "out/s, marked \"≥\" because items can enter and leave between two samples.");
        case OldestAge: return tr("Age of the oldest item, from the time it carries.");
        case DrainOrFill:
            return tr("Shrinking: depth divided by the net outflow. Growing: free room up to the cap divided by "
                      "the net inflow; queues without a cap show the growth rate.");
        case Heartbeat:
            return tr("Age of the worker's heartbeat. Gone means the worker stopped and its processing list is "
                      "orphaned.");
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = section == Depth || section == InRate || section == OutRate || section == OldestAge;
        return QVariant::fromValue(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
    }
    return {};
}

}  // namespace mutt::ui
