#include "sql/SqliteDialect.h"

#include "event/Event.h"
#include "sql/EventAuditTable.h"
#include "sql/SqlExec.h"
#include "sql/SqliteAuditInsert.h"
#include "sql/SqliteSchema.h"

#include <QSqlDatabase>
#include <QSqlError>

namespace mutt::sql {
namespace {

// SQLite primary result codes (https://www.sqlite.org/rescode.html); the
// driver may report extended codes, whose low byte is the primary code.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteConstraint = 19;

}  // namespace

SqliteDialect::SqliteDialect(QString path) : m_path(std::move(path)) { }

QString SqliteDialect::name() const
{
    return QStringLiteral("sqlite");
}

QString SqliteDialect::driverName() const
{
    return QStringLiteral("QSQLITE");
}

Status SqliteDialect::openConnection(QSqlDatabase &db) const
{
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeout.count()));
    if (!db.open()) {
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot open SQLite database path=%1; check that the folder exists and is writable")
                .arg(m_path),
            db.lastError().text());
    }
    return applyPragmas(db);
}

Status SqliteDialect::applyPragmas(QSqlDatabase &db) const
{
    // foreign_keys must be set outside a transaction and per connection;
    // journal_mode=WAL is persistent in the file but cheap to repeat.
    // temp_store=MEMORY keeps statement journals in memory: a multi-row
    // audit INSERT needs one, and on disk it made muttd write 1.8 times the bytes.
    for (const QString &pragma : {QStringLiteral("PRAGMA foreign_keys = ON"),
             QStringLiteral("PRAGMA synchronous = FULL"), QStringLiteral("PRAGMA temp_store = MEMORY")}) {
        auto applied = runSql(db, *this, pragma);
        if (!applied)
            return applied.error();
    }

    auto journal = runSql(db, *this, QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!journal)
        return journal.error();
    const QString mode = journal.value().next() ? journal.value().value(0).toString() : QString();
    if (mode.compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0 && m_path != QStringLiteral(":memory:")) {
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("SQLite database path=%1 did not switch to WAL journal mode (it reports "
                           "\"%2\"); use a file on a local file system")
                .arg(m_path, mode));
    }
    return {};
}

QString SqliteDialect::beginWriteSql() const
{
    return QStringLiteral("BEGIN IMMEDIATE");
}

QString SqliteDialect::beginReadSql() const
{
    return QStringLiteral("BEGIN DEFERRED");
}

QList<SqlMigration> SqliteDialect::migrations() const
{
    return sqliteMigrations();
}

QString SqliteDialect::migrationsTableSql() const
{
    return QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY,"
                          " name VARCHAR(100) NOT NULL,"
                          " applied_at TEXT NOT NULL)");
}

QString SqliteDialect::formatTimestamp(const QDateTime &utc)
{
    return event::formatTimestamp(utc);
}

QByteArray SqliteDialect::timestampText(const QDateTime &utc)
{
    return event::formatTimestamp(utc).toLatin1();
}

QVariant SqliteDialect::timestampParam(const QDateTime &utc) const
{
    return formatTimestamp(utc);
}

QDateTime SqliteDialect::timestampValue(const QVariant &value) const
{
    QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : parsed;
}

QString SqliteDialect::jsonPlaceholder() const
{
    return QStringLiteral("?");
}

QString SqliteDialect::eventAuditConflictClause() const
{
    // ON CONFLICT with a target skips only the correlation_id duplicate;
    // plain INSERT OR IGNORE would also hide NOT NULL and CHECK failures.
    return QStringLiteral("ON CONFLICT (correlation_id) DO NOTHING");
}

Result<qint64> SqliteDialect::insertEventAudit(QSqlDatabase &db, const QList<EventAuditRow> &rows) const
{
    if (sqlite3 *handle = sqliteHandle(db))
        return insertEventAuditRows(handle, *this, rows);
    // QtSql hands SQLite a generated name for every "?", and SQLite looks
    // each name up in a list of the statement's names while it prepares, so
    // preparing costs the square of the placeholder count: ten rows per
    // statement keep that small.
    return EventAuditTable::insertInChunks(db, *this, rows, 10);
}

Status SqliteDialect::syncRuleIdSequence(QSqlDatabase & /*db*/) const
{
    // AUTOINCREMENT already continues above the largest id ever inserted.
    return {};
}

ErrorCode SqliteDialect::classify(const QSqlError &error) const
{
    bool isNumber = false;
    const int code = error.nativeErrorCode().toInt(&isNumber);
    if (!isNumber)
        return ErrorCode::Unavailable;

    switch (code & 0xff) {
    case kSqliteConstraint: return ErrorCode::Conflict;
    case kSqliteBusy:
    case kSqliteLocked: return ErrorCode::Timeout;
    default: return ErrorCode::Unavailable;
    }
}

QString SqliteDialect::describe(const QSqlError & /*error*/, ErrorCode code) const
{
    return storeErrorSentence(QStringLiteral("SQLite"), code);
}

}  // namespace mutt::sql
