#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;

// Statements on config_audit_log for one connection. The caller owns the
// transaction and has validated rows and queries.
class ConfigAuditTable final {
public:
    ConfigAuditTable(QSqlDatabase &db, const SqlDialect &dialect);

    Status insert(const ConfigAuditRow &row);

    // Inserts the row for a change made with `audit` (makeConfigAuditRow).
    Status record(const AuditContext &audit, const QString &operation, const QString &tableName, qint64 recordId,
        std::optional<QJsonObject> oldValues, std::optional<QJsonObject> newValues);

    // Newest first (changed_at, then id); total counts every match.
    // changedBy matches a case-insensitive substring, operation is
    // compared in upper case, the others exactly; start and end are
    // inclusive bounds on changed_at.
    Result<Page<ConfigAuditRow>> query(const ConfigAuditQuery &query);

private:
    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
};

}  // namespace mutt::sql
