#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QList>

class QSqlDatabase;
struct sqlite3;

namespace mutt::sql {

class SqlDialect;

// The sqlite3 connection behind an open QSQLITE connection, or nullptr when
// the driver does not hand it out.
sqlite3 *sqliteHandle(const QSqlDatabase &db);

// Inserts event_audit_log rows with one prepared single-row statement
// (dialect.eventAuditInsertSql(1)), stepped once per row on `handle`, so the
// rows join the transaction open on that connection. A single-row statement
// needs no statement journal and no placeholder renaming, which makes it the
// cheapest form on SQLite, where there are no round trips to save. Returns
// how many rows were written.
Result<qint64> insertEventAuditRows(sqlite3 *handle, const SqlDialect &dialect, const QList<EventAuditRow> &rows);

}  // namespace mutt::sql
