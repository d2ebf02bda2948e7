#pragma once

#include "core/Result.h"

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;
struct SqlMigration;

// Applies the dialect's schema steps that schema_migrations does not list
// yet, each in its own write transaction together with its
// schema_migrations row, so concurrent migrators apply each step once.
class SqlMigrator final {
public:
    explicit SqlMigrator(const SqlDialect &dialect);

    // Brings the schema to the latest version; does nothing when it is
    // current. Unavailable when the database is newer than this build.
    Status migrate(QSqlDatabase &db) const;

    // Highest applied version; 0 for a database without schema_migrations.
    Result<int> currentVersion(QSqlDatabase &db) const;

    // Highest version this build supports.
    [[nodiscard]] int latestVersion() const;

private:
    Result<bool> applyStep(QSqlDatabase &db, const SqlMigration &step) const;

    const SqlDialect &m_dialect;
};

}  // namespace mutt::sql
