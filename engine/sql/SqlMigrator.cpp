#include "sql/SqlMigrator.h"

#include "core/Log.h"
#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"
#include "sql/SqlTransaction.h"

#include <QDateTime>
#include <QSqlDatabase>

#include <algorithm>

namespace mutt::sql {

SqlMigrator::SqlMigrator(const SqlDialect &dialect) : m_dialect(dialect) { }

int SqlMigrator::latestVersion() const
{
    int latest = 0;
    for (const SqlMigration &step : m_dialect.migrations())
        latest = std::max(latest, step.version);
    return latest;
}

Result<int> SqlMigrator::currentVersion(QSqlDatabase &db) const
{
    if (!db.tables().contains(QStringLiteral("schema_migrations")))
        return 0;

    auto query = runSql(db, m_dialect, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!query)
        return query.error();
    if (!query.value().next())
        return 0;
    return query.value().value(0).toInt();
}

Status SqlMigrator::migrate(QSqlDatabase &db) const
{
    const auto logger = log::get("sql");
    auto created = runSql(db, m_dialect, m_dialect.migrationsTableSql());
    if (!created)
        return created.error();

    auto before = currentVersion(db);
    if (!before)
        return before.error();
    const int latest = latestVersion();
    if (before.value() > latest) {
        logger->error("sql schema is newer than this build backend={} database_version={} supported_version={}",
            m_dialect.name(), before.value(), latest);
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("the %1 database has schema version %2 but this build supports up to %3; "
                           "run a newer muttd")
                .arg(m_dialect.name())
                .arg(before.value())
                .arg(latest));
    }

    QList<int> applied;
    for (const SqlMigration &step : m_dialect.migrations()) {
        auto ran = applyStep(db, step);
        if (!ran)
            return ran.error();
        if (ran.value())
            applied.append(step.version);
    }

    if (applied.isEmpty()) {
        logger->debug("sql schema up to date backend={} version={}", m_dialect.name(), latest);
        return {};
    }
    QStringList appliedText;
    for (int version : applied)
        appliedText.append(QString::number(version));
    logger->info("sql schema migrated backend={} from_version={} to_version={} applied=[{}]", m_dialect.name(),
        before.value(), latest, appliedText.join(QLatin1Char(',')));
    return {};
}

// Returns true when the step ran now, false when it was applied before.
Result<bool> SqlMigrator::applyStep(QSqlDatabase &db, const SqlMigration &step) const
{
    const auto logger = log::get("sql");

    SqlTransaction transaction(db, m_dialect);
    if (auto begun = transaction.beginWrite(); !begun)
        return begun.error();

    {
        auto existing = runSql(
            db, m_dialect, QStringLiteral("SELECT 1 FROM schema_migrations WHERE version = ?"), {step.version});
        if (!existing)
            return existing.error();
        if (existing.value().next())
            return false;
    }

    for (const QString &statement : step.statements) {
        auto ran = runSql(db, m_dialect, statement);
        if (!ran) {
            logger->error("sql migration failed backend={} version={} name={} reason=\"{}\"; the step was rolled back",
                m_dialect.name(), step.version, step.name, ran.error().logText());
            return ran.error();
        }
    }

    auto recorded = runSql(db, m_dialect,
        QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
        {step.version, step.name, m_dialect.timestampParam(QDateTime::currentDateTimeUtc())});
    if (!recorded)
        return recorded.error();
    recorded.value().finish();

    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    logger->info("sql migration applied backend={} version={} name={}", m_dialect.name(), step.version, step.name);
    return true;
}

}  // namespace mutt::sql
