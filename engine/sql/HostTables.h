#pragma once

#include "core/Result.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;

// Statements on development_hosts and device_teams (both keyed by
// hostname) for one connection. The caller owns the transaction.
class HostTables final {
public:
    HostTables(QSqlDatabase &db, const SqlDialect &dialect);

    // Sorted by hostname.
    Result<QList<QString>> devHosts();
    Result<bool> hasDevHost(const QString &hostname);
    Status insertDevHost(const QString &hostname);
    Status deleteDevHost(const QString &hostname);

    Result<QHash<QString, QString>> teams();
    Result<std::optional<QString>> team(const QString &hostname);
    Status insertTeam(const QString &hostname, const QString &team);
    Status updateTeam(const QString &hostname, const QString &team);
    Status deleteTeam(const QString &hostname);

private:
    Status runWrite(const QString &sql, const QVariantList &params);

    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
};

}  // namespace mutt::sql
