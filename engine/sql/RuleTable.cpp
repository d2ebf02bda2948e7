#include "sql/RuleTable.h"

#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"

#include <QSqlQuery>

namespace mutt::sql {
namespace {

constexpr QLatin1StringView kColumns("id, match_string, trap_oid, syslog_severity, match_type, priority, "
                                     "prod_handling, dev_handling, team_assignment, is_active");

AlertRule readRule(const QSqlQuery &query)
{
    AlertRule rule;
    rule.id = query.value(0).toLongLong();
    if (!query.isNull(1))
        rule.matchString = query.value(1).toString();
    if (!query.isNull(2))
        rule.trapOid = query.value(2).toString();
    if (!query.isNull(3))
        rule.syslogSeverity = query.value(3).toInt();
    rule.matchType = query.value(4).toString();
    rule.priority = query.value(5).toInt();
    rule.prodHandling = query.value(6).toString();
    rule.devHandling = query.value(7).toString();
    rule.teamAssignment = query.value(8).toString();
    rule.isActive = query.value(9).toBool();
    return rule;
}

// Values in column order, without id.
QVariantList ruleValues(const AlertRule &rule)
{
    return {nullableText(rule.matchString), nullableText(rule.trapOid), nullableInt(rule.syslogSeverity),
        rule.matchType, rule.priority, rule.prodHandling, rule.devHandling, rule.teamAssignment, rule.isActive};
}

}  // namespace

RuleTable::RuleTable(QSqlDatabase &db, const SqlDialect &dialect) : m_db(db), m_dialect(dialect) { }

Result<QList<AlertRule>> RuleTable::select(bool activeOnly, Order order)
{
    const QString where = activeOnly ? QStringLiteral(" WHERE is_active = ?") : QString();
    const QString orderBy
        = order == Order::Id ? QStringLiteral(" ORDER BY id") : QStringLiteral(" ORDER BY priority, id");
    const QVariantList params = activeOnly ? QVariantList {true} : QVariantList {};

    auto query = runSql(m_db, m_dialect,
        QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM alert_rules") + where + orderBy, params);
    if (!query)
        return query.error();

    QList<AlertRule> rules;
    while (query.value().next())
        rules.append(readRule(query.value()));
    return rules;
}

Result<std::optional<AlertRule>> RuleTable::find(qint64 id)
{
    auto query = runSql(
        m_db, m_dialect, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM alert_rules WHERE id = ?"), {id});
    if (!query)
        return query.error();
    if (!query.value().next())
        return std::optional<AlertRule> {};
    return std::optional<AlertRule> {readRule(query.value())};
}

Result<qint64> RuleTable::insert(const AlertRule &rule)
{
    const QString sql = QStringLiteral("INSERT INTO alert_rules (match_string, trap_oid, syslog_severity, match_type, "
                                       "priority, prod_handling, dev_handling, team_assignment, is_active) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    auto query = runSql(m_db, m_dialect, sql, ruleValues(rule));
    if (!query)
        return query.error();
    if (!query.value().next())
        return makeError(ErrorCode::Internal, QStringLiteral("INSERT INTO alert_rules returned no id"));

    const qint64 id = query.value().value(0).toLongLong();
    // A RETURNING statement stays a pending write until finished, which
    // would block COMMIT.
    query.value().finish();
    return id;
}

Status RuleTable::insertWithId(const AlertRule &rule)
{
    const QString sql = QStringLiteral("INSERT INTO alert_rules (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    QVariantList params {rule.id};
    params.append(ruleValues(rule));
    auto query = runSql(m_db, m_dialect, sql, params);
    if (!query)
        return query.error();
    return {};
}

Status RuleTable::update(const AlertRule &rule)
{
    const QString sql = QStringLiteral("UPDATE alert_rules SET match_string = ?, trap_oid = ?, syslog_severity = ?, "
                                       "match_type = ?, priority = ?, prod_handling = ?, dev_handling = ?, "
                                       "team_assignment = ?, is_active = ? WHERE id = ?");
    QVariantList params = ruleValues(rule);
    params.append(rule.id);
    auto query = runSql(m_db, m_dialect, sql, params);
    if (!query)
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("rule id=%1 does not exist").arg(rule.id));
    return {};
}

Status RuleTable::remove(qint64 id)
{
    auto query = runSql(m_db, m_dialect, QStringLiteral("DELETE FROM alert_rules WHERE id = ?"), {id});
    if (!query)
        return query.error();
    if (query.value().numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("rule id=%1 does not exist").arg(id));
    return {};
}

Result<qint64> RuleTable::auditReferenceCount(qint64 id)
{
    auto query = runSql(
        m_db, m_dialect, QStringLiteral("SELECT COUNT(*) FROM event_audit_log WHERE matched_rule_id = ?"), {id});
    if (!query)
        return query.error();
    if (!query.value().next())
        return qint64(0);
    return query.value().value(0).toLongLong();
}

}  // namespace mutt::sql
