#include "sql/SqliteAuditInsert.h"

#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"
#include "sql/SqliteDialect.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

#include <memory>

namespace mutt::sql {
namespace {

struct StatementDeleter {
    void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// The error in the form QtSql reports it, so the dialect classifies and
// describes it as any other statement failure.
Error statementError(sqlite3 *handle, const SqlDialect &dialect, const QString &sql)
{
    const QSqlError error(QStringLiteral("Unable to execute statement"), QString::fromUtf8(sqlite3_errmsg(handle)),
        QSqlError::StatementError, QString::number(sqlite3_extended_errcode(handle)));
    return sqlError(dialect, error, sql);
}

// Binds UTF-8 text that outlives the step. With `emptyIsNull`, empty text binds NULL.
int bindText(sqlite3_stmt *statement, int index, const QByteArray &text, bool emptyIsNull = false)
{
    if (emptyIsNull && text.isEmpty())
        return sqlite3_bind_null(statement, index);
    return sqlite3_bind_text(statement, index, text.constData(), int(text.size()), SQLITE_STATIC);
}

}  // namespace

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() != nullptr ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

Result<qint64> insertEventAuditRows(sqlite3 *handle, const SqlDialect &dialect, const QList<EventAuditRow> &rows)
{
    const QString sql = dialect.eventAuditInsertSql(1);
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt *prepared = nullptr;
    if (sqlite3_prepare_v2(handle, text.constData(), int(text.size()), &prepared, nullptr) != SQLITE_OK)
        return statementError(handle, dialect, sql);
    const Statement insert(prepared);

    qint64 written = 0;
    for (const EventAuditRow &row : rows) {
        // The texts live until the step below has read them.
        const QByteArray timestamp = SqliteDialect::timestampText(row.eventTimestamp);
        const QByteArray hostname = row.hostname.toUtf8();
        const QByteArray handling = row.handlingDecision.toUtf8();
        const QByteArray raw = row.rawMessage.toUtf8();
        const QByteArray correlation = row.correlationId.toUtf8();
        const int bound = bindText(prepared, 1, timestamp) | bindText(prepared, 2, hostname)
            | sqlite3_bind_int64(prepared, 3, row.matchedRuleId) | bindText(prepared, 4, handling)
            | sqlite3_bind_int(prepared, 5, row.forwardedToMoog ? 1 : 0) | bindText(prepared, 6, raw, true)
            | bindText(prepared, 7, correlation, true);
        if (bound != SQLITE_OK || sqlite3_step(prepared) != SQLITE_DONE) {
            Error failed = statementError(handle, dialect, sql);
            sqlite3_reset(prepared);
            return failed;
        }
        written += sqlite3_changes(handle);
        sqlite3_reset(prepared);
    }
    return written;
}

}  // namespace mutt::sql
