#pragma once

#include "sql/PostgresConfig.h"
#include "sql/SqlDialect.h"

#include <chrono>

namespace mutt::sql {

// PostgreSQL 13 or later through Qt's QPSQL driver (libpq).
//
// Connections: every open tries each password of the provider in order,
// then sets the session time zone to UTC and a lock timeout, so a lock wait
// ends as Timeout like SQLite's busy timeout. TLS follows DB_TLS_ENABLED
// (sslmode=require, or verify-ca when a CA file is given).
//
// Write transactions take one transaction-scoped advisory lock right after
// BEGIN. That serialises writers across threads and processes as SQLite's
// BEGIN IMMEDIATE does, so the store's check-then-write sequences (does the
// host exist? then insert) stay atomic under READ COMMITTED. Reads run in a
// REPEATABLE READ READ ONLY transaction: one snapshot, no lock.
//
// Timestamps are TIMESTAMPTZ bound as QDateTime (the driver sends UTC with
// milliseconds); JSON columns are JSONB bound as text.
class PostgresDialect final : public SqlDialect {
public:
    static constexpr std::chrono::milliseconds kLockTimeout {10000};

    // Key of the advisory lock that serialises write transactions, and of
    // the one that serialises migrations ("MUTTWRIT", "MUTTMIGR" in ASCII).
    static constexpr qint64 kWriteLockKey = 0x4d55545457524954;
    static constexpr qint64 kMigrateLockKey = 0x4d5554544d494752;

    explicit PostgresDialect(PostgresConfig config);

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

    [[nodiscard]] const PostgresConfig &config() const { return m_config; }

    // Builds the error for a failed connect from libpq's text of the last
    // attempt (`lastError`, kept as the backend text). The message names the
    // setting to check, or states that the server is not accepting connections.
    static Error connectError(const PostgresConfig &config, qsizetype passwordsTried, const QString &lastError);

private:
    [[nodiscard]] QString connectOptions() const;
    Status applySessionSettings(QSqlDatabase &db) const;

    PostgresConfig m_config;
};

}  // namespace mutt::sql
