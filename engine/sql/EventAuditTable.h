#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QList>
#include <QSet>

#include <optional>

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;

// Statements on event_audit_log for one connection. The caller owns the
// transaction and has validated rows and queries.
class EventAuditTable final {
public:
    EventAuditTable(QSqlDatabase &db, const SqlDialect &dialect);

    // Inserts the rows in order, skipping those whose non-empty
    // correlationId is already stored (also earlier in the same batch).
    // Returns how many rows were written.
    Result<qint64> insert(const QList<EventAuditRow> &rows);

    // insert() through QtSql: eventAuditInsertSql() statements of up to
    // `rowsPerInsert` rows each.
    static Result<qint64> insertInChunks(
        QSqlDatabase &db, const SqlDialect &dialect, const QList<EventAuditRow> &rows, int rowsPerInsert);

    // The first of `ruleIds` that is not an alert_rules id, if any.
    Result<std::optional<qint64>> firstMissingRule(const QSet<qint64> &ruleIds);

    // Newest first (event_timestamp, then id); total counts every match.
    // hostname and ruleId match exactly; start and end are inclusive bounds
    // on event_timestamp.
    Result<Page<EventAuditRow>> query(const EventAuditQuery &query);
    Result<qint64> count();

private:
    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
};

}  // namespace mutt::sql
