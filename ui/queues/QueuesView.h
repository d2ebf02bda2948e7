#pragma once

#include "runtime/EngineStatus.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace mutt::ui {

class QueuesModel;

// Every queue, DLQ, retry set and processing list with its depth, flow and
// the time to drain or fill; orphaned processing lists stand out.
class QueuesView final : public QWidget {
    Q_OBJECT
public:
    explicit QueuesView(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(QueuesView)

    void showStatus(const runtime::EngineStatus &status);
    void clear();

    [[nodiscard]] QueuesModel *model() const { return m_model; }
    [[nodiscard]] QTableView *table() const { return m_table; }

private:
    void updateSummary(const runtime::EngineStatus &status);
    void fitColumns();

    QueuesModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
};

}  // namespace mutt::ui
