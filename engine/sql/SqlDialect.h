#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

class QSqlDatabase;
class QSqlError;

namespace mutt::sql {

// One schema step. Statements run in order inside one write transaction,
// together with the schema_migrations row that records the step.
struct SqlMigration {
    int version = 0;
    QString name;
    QStringList statements;
};

// The parts that differ between the SQL backends behind QtSqlStore: connection
// setup, transaction statements, value encodings, error classification and
// the schema. Everything else (validation, audit rows, import planning,
// paging) is shared, so both backends behave the same.
class SqlDialect {
public:
    virtual ~SqlDialect() = default;

    // "sqlite" or "postgresql"; also the backendName() of the store.
    [[nodiscard]] virtual QString name() const = 0;

    // Qt driver name, e.g. "QSQLITE" or "QPSQL".
    [[nodiscard]] virtual QString driverName() const = 0;

    // Sets the database name and options on a new connection, opens it and
    // applies per-connection settings. Runs in the thread that will use it.
    virtual Status openConnection(QSqlDatabase &db) const = 0;

    // Statements that start a write transaction (one that takes the write
    // lock at once, so check-then-write sequences are atomic) and a read
    // transaction (one consistent snapshot).
    [[nodiscard]] virtual QString beginWriteSql() const = 0;
    [[nodiscard]] virtual QString beginReadSql() const = 0;

    // The schema, oldest step first, and the DDL of the table that records
    // applied steps: schema_migrations(version, name, applied_at).
    [[nodiscard]] virtual QList<SqlMigration> migrations() const = 0;
    [[nodiscard]] virtual QString migrationsTableSql() const = 0;

    // Timestamp columns: the bound value for a UTC time, and the UTC time
    // read back from a column value (invalid QDateTime when unreadable).
    [[nodiscard]] virtual QVariant timestampParam(const QDateTime &utc) const = 0;
    [[nodiscard]] virtual QDateTime timestampValue(const QVariant &value) const = 0;

    // Placeholder for a JSON column value bound as compact JSON text, e.g.
    // "?" or "CAST(? AS JSONB)".
    [[nodiscard]] virtual QString jsonPlaceholder() const = 0;

    // Builds an INSERT of `rows` event_audit_log rows, seven placeholders each
    // (event_timestamp, hostname, matched_rule_id, handling_decision,
    // forwarded_to_moog, raw_message, correlation_id), that skips a row when
    // a row with the same non-NULL correlation_id exists, also one earlier in
    // the same statement.
    [[nodiscard]] QString eventAuditInsertSql(int rows) const
    {
        QString sql = QStringLiteral("INSERT INTO event_audit_log (event_timestamp, hostname, matched_rule_id, "
                                     "handling_decision, forwarded_to_moog, raw_message, correlation_id) VALUES ");
        for (int i = 0; i < rows; ++i)
            sql += i == 0 ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?)") : QStringLiteral(", (?, ?, ?, ?, ?, ?, ?)");
        return sql + u' ' + eventAuditConflictClause();
    }

    // Returns the ON CONFLICT clause of eventAuditInsertSql().
    // NOTE: a partitioned PostgreSQL event_audit_log cannot have a unique
    // index on correlation_id alone (it must include the partition key), so
    // that dialect needs another way to skip duplicates.
    [[nodiscard]] virtual QString eventAuditConflictClause() const = 0;

    // Inserts event_audit_log rows as EventAuditTable::insert describes, in
    // the statements that suit the backend (eventAuditInsertSql() with as
    // many rows as fit one round trip, or one row per step where there is no
    // round trip). Returns how many rows were written.
    virtual Result<qint64> insertEventAudit(QSqlDatabase &db, const QList<EventAuditRow> &rows) const = 0;

    // Called after rules were inserted with explicit ids, so the id
    // sequence continues above them (PostgreSQL setval; nothing for SQLite).
    virtual Status syncRuleIdSequence(QSqlDatabase &db) const = 0;

    // Maps a driver error to the engine's categories: values the column
    // cannot take are InvalidInput (PostgreSQL only; SQLite stores them),
    // constraint violations are Conflict, lock waits that ran out are
    // Timeout, everything else is Unavailable.
    [[nodiscard]] virtual ErrorCode classify(const QSqlError &error) const = 0;

    // A short sentence for the error of category `code`, fit for API
    // clients: names the problem and the fix, never the statement or the
    // database's own text (see storeErrorSentence).
    [[nodiscard]] virtual QString describe(const QSqlError &error, ErrorCode code) const = 0;
};

}  // namespace mutt::sql
