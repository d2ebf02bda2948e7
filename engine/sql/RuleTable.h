#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QList>

#include <optional>

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;

// Statements on alert_rules for one connection. The caller owns the
// transaction and has validated the rules.
class RuleTable final {
public:
    RuleTable(QSqlDatabase &db, const SqlDialect &dialect);

    enum class Order { PriorityThenId, Id };
    // All rules, or only active ones, in the given order.
    Result<QList<AlertRule>> select(bool activeOnly, Order order);
    Result<std::optional<AlertRule>> find(qint64 id);

    // Inserts with a new id and returns it.
    Result<qint64> insert(const AlertRule &rule);
    // Inserts keeping rule.id.
    Status insertWithId(const AlertRule &rule);
    Status update(const AlertRule &rule);
    Status remove(qint64 id);

    // event_audit_log rows whose matched_rule_id is `id`.
    Result<qint64> auditReferenceCount(qint64 id);

private:
    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
};

}  // namespace mutt::sql
