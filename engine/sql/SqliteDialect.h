#pragma once

#include "sql/SqlDialect.h"

#include <chrono>

namespace mutt::sql {

// SQLite through Qt's QSQLITE driver (system libsqlite3, 3.35 or later for
// RETURNING).
//
// Connections: WAL journal, synchronous=FULL (a committed audit row
// survives power loss), foreign keys ON, busy timeout. Write transactions
// use BEGIN IMMEDIATE so concurrent writers wait for the lock up to the busy
// timeout instead of failing on a read-to-write upgrade.
//
// Timestamps are TEXT in RFC 3339 UTC with milliseconds
// ("2025-01-15T14:30:22.123Z"): fixed width, so text order is time order
// and range filters compare strings. JSON columns are compact JSON TEXT.
class SqliteDialect final : public SqlDialect {
public:
    static constexpr std::chrono::milliseconds kBusyTimeout {10000};

    explicit SqliteDialect(QString path);

    [[nodiscard]] QString name() const override;
    [[nodiscard]] QString driverName() const override;
    Status openConnection(QSqlDatabase &db) const override;
    [[nodiscard]] QString beginWriteSql() const override;
    [[nodiscard]] QString beginReadSql() const override;
    [[nodiscard]] QList<SqlMigration> migrations() const override;
    [[nodiscard]] QString migrationsTableSql() const override;
    [[nodiscard]] QVariant timestampParam(const QDateTime &utc) const override;
    [[nodiscard]] QDateTime timestampValue(const QVariant &value) const override;
    [[nodiscard]] QString jsonPlaceholder() const override;
    [[nodiscard]] QString eventAuditConflictClause() const override;
    Result<qint64> insertEventAudit(QSqlDatabase &db, const QList<EventAuditRow> &rows) const override;
    Status syncRuleIdSequence(QSqlDatabase &db) const override;
    [[nodiscard]] ErrorCode classify(const QSqlError &error) const override;
    [[nodiscard]] QString describe(const QSqlError &error, ErrorCode code) const override;

    // The stored text form of a timestamp (see the class comment).
    static QString formatTimestamp(const QDateTime &utc);
    // The same text as UTF-8 bytes.
    static QByteArray timestampText(const QDateTime &utc);

private:
    Status applyPragmas(QSqlDatabase &db) const;

    QString m_path;
};

}  // namespace mutt::sql
