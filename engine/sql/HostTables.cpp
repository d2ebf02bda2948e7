#include "sql/HostTables.h"

#include "sql/SqlExec.h"

namespace mutt::sql {

HostTables::HostTables(QSqlDatabase &db, const SqlDialect &dialect) : m_db(db), m_dialect(dialect) { }

Status HostTables::runWrite(const QString &sql, const QVariantList &params)
{
    auto query = runSql(m_db, m_dialect, sql, params);
    if (!query)
        return query.error();
    return {};
}

Result<QList<QString>> HostTables::devHosts()
{
    auto query = runSql(m_db, m_dialect, QStringLiteral("SELECT hostname FROM development_hosts ORDER BY hostname"));
    if (!query)
        return query.error();

    QList<QString> hosts;
    while (query.value().next())
        hosts.append(query.value().value(0).toString());
    return hosts;
}

Result<bool> HostTables::hasDevHost(const QString &hostname)
{
    auto query
        = runSql(m_db, m_dialect, QStringLiteral("SELECT 1 FROM development_hosts WHERE hostname = ?"), {hostname});
    if (!query)
        return query.error();
    return query.value().next();
}

Status HostTables::insertDevHost(const QString &hostname)
{
    return runWrite(QStringLiteral("INSERT INTO development_hosts (hostname) VALUES (?)"), {hostname});
}

Status HostTables::deleteDevHost(const QString &hostname)
{
    return runWrite(QStringLiteral("DELETE FROM development_hosts WHERE hostname = ?"), {hostname});
}

Result<QHash<QString, QString>> HostTables::teams()
{
    auto query = runSql(m_db, m_dialect, QStringLiteral("SELECT hostname, team_assignment FROM device_teams"));
    if (!query)
        return query.error();

    QHash<QString, QString> teams;
    while (query.value().next())
        teams.insert(query.value().value(0).toString(), query.value().value(1).toString());
    return teams;
}

Result<std::optional<QString>> HostTables::team(const QString &hostname)
{
    auto query = runSql(
        m_db, m_dialect, QStringLiteral("SELECT team_assignment FROM device_teams WHERE hostname = ?"), {hostname});
    if (!query)
        return query.error();
    if (!query.value().next())
        return std::optional<QString> {};
    return std::optional<QString> {query.value().value(0).toString()};
}

Status HostTables::insertTeam(const QString &hostname, const QString &team)
{
    return runWrite(
        QStringLiteral("INSERT INTO device_teams (hostname, team_assignment) VALUES (?, ?)"), {hostname, team});
}

Status HostTables::updateTeam(const QString &hostname, const QString &team)
{
    return runWrite(QStringLiteral("UPDATE device_teams SET team_assignment = ? WHERE hostname = ?"), {team, hostname});
}

Status HostTables::deleteTeam(const QString &hostname)
{
    return runWrite(QStringLiteral("DELETE FROM device_teams WHERE hostname = ?"), {hostname});
}

}  // namespace mutt::sql
