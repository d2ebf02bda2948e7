#include "overview/RolesModel.h"

#include "common/StatusStyle.h"

namespace mutt::ui {

RolesModel::RolesModel(QObject *parent) : QAbstractTableModel(parent) { }

bool RolesModel::sameInstances(const QList<runtime::RoleHealth> &roles) const
{
    if (roles.size() != m_roles.size())
        return false;
    for (qsizetype i = 0; i < roles.size(); ++i) {
        if (roles.at(i).role != m_roles.at(i).role || roles.at(i).instance != m_roles.at(i).instance)
            return false;
    }
    return true;
}

void RolesModel::setRoles(const QList<runtime::RoleHealth> &roles)
{
    if (!sameInstances(roles)) {
        beginResetModel();
        m_roles = roles;
        endResetModel();
        return;
    }

    m_roles = roles;
    if (!m_roles.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_roles.size()) - 1, ColumnCount - 1));
}

int RolesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_roles.size());
}

int RolesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_roles.size())
        return {};

    const runtime::RoleHealth &health = m_roles.at(index.row());
    const Tone tone = health.healthy ? Tone::Good : Tone::Bad;
    if (role == Qt::ForegroundRole && index.column() == Health)
        return toneText(tone);
    if (role == Qt::ToolTipRole)
        return health.detail.isEmpty() ? QVariant() : QVariant(health.detail);
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case Role: return health.role;
    case Instance: return health.instance;
    case Health: return withSymbol(tone, health.healthy ? tr("Healthy") : tr("Unhealthy"));
    case Endpoint: return health.endpoint;
    case Detail: return health.detail;
    default: return {};
    }
}

QVariant RolesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};

    switch (section) {
    case Role: return tr("Role");
    case Instance: return tr("Instance");
    case Health: return tr("Health");
    case Endpoint: return tr("Endpoint");
    case Detail: return tr("Detail");
    default: return {};
    }
}

}  // namespace mutt::ui
