#pragma once

#include "queues/QueueRates.h"
#include "runtime/EngineStatus.h"

#include <QAbstractTableModel>
#include <QList>

namespace mutt::ui {

// Every list of the queue backend, one row each, with rates worked out from
// successive samples. Updates keep rows in place: changed cells emit
// dataChanged, new queues are inserted and vanished ones removed, so the
// view's selection and scroll position survive every sample.
class QueuesModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Kind, Depth, InRate, OutRate, OldestAge, DrainOrFill, Worker, Heartbeat, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,  // the raw number (or text) behind a cell
        OrphanRole,  // bool: a processing list whose worker's heartbeat is gone
    };

    explicit QueuesModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(QueuesModel)

    void updateStatus(const runtime::EngineStatus &status);
    // Forgets samples and rows, e.g. after switching to another daemon.
    void clear();

    [[nodiscard]] QueueRateTracker &rates() { return m_rates; }
    [[nodiscard]] int rowOf(const QString &queueName) const;
    [[nodiscard]] const runtime::QueueInfo &queueAt(int row) const { return m_rows.at(row).info; }
    [[nodiscard]] const QueueFlow &flowAt(int row) const { return m_rows.at(row).flow; }
    [[nodiscard]] static bool isOrphan(const runtime::QueueInfo &info);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The heartbeat age above which a worker counts as late (the janitor
    // timeout, ALERTER_JANITOR_TIMEOUT).
    void setHeartbeatTimeoutMs(qint64 ms) { m_heartbeatTimeoutMs = ms; }

private:
    struct Row {
        runtime::QueueInfo info;
        QueueFlow flow;
    };

    void removeVanished(const QList<runtime::QueueInfo> &queues);
    void updateExisting(const QList<runtime::QueueInfo> &queues);
    void appendNew(const QList<runtime::QueueInfo> &queues);

    [[nodiscard]] QVariant displayText(const Row &row, int column) const;
    [[nodiscard]] QVariant sortValue(const Row &row, int column) const;
    [[nodiscard]] QVariant foreground(const Row &row, int column) const;
    [[nodiscard]] QVariant toolTip(const Row &row, int column) const;
    [[nodiscard]] QString drainOrFillText(const Row &row) const;
    [[nodiscard]] QString heartbeatText(const Row &row) const;

    QList<Row> m_rows;
    QueueRateTracker m_rates;
    qint64 m_heartbeatTimeoutMs = 30'000;
};

QString queueKindLabel(runtime::QueueInfo::Kind kind);

}  // namespace mutt::ui
