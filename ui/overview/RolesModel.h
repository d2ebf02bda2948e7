#pragma once

#include "runtime/EngineStatus.h"

#include <QAbstractTableModel>

namespace mutt::ui {

// Health of each role instance. The set of instances rarely changes, so a
// sample with the same instances only emits dataChanged; a different set
// resets the (small) model.
class RolesModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    // Detail is last, so the view can give it the remaining width and wrap it.
    enum Column { Role, Instance, Health, Endpoint, Detail, ColumnCount };

    explicit RolesModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RolesModel)

    void setRoles(const QList<runtime::RoleHealth> &roles);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] bool sameInstances(const QList<runtime::RoleHealth> &roles) const;

    QList<runtime::RoleHealth> m_roles;
};

}  // namespace mutt::ui
