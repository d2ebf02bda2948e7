#include "queue/EmbeddedStatement.h"

#include <sqlite3.h>

namespace mutt::queue {

EmbeddedStatement::EmbeddedStatement(sqlite3 *db, sqlite3_stmt *stmt, QString databasePath)
    : m_db(db)
    , m_stmt(stmt)
    , m_path(std::move(databasePath))
{
}

EmbeddedStatement::EmbeddedStatement(sqlite3 *db, Error prepareError) : m_db(db), m_error(std::move(prepareError)) { }

EmbeddedStatement::~EmbeddedStatement()
{
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

EmbeddedStatement &EmbeddedStatement::bind(int index, qint64 value)
{
    if (m_stmt)
        checkBind(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

EmbeddedStatement &EmbeddedStatement::bind(int index, const QString &text)
{
    if (!m_stmt)
        return *this;
    const QByteArray utf8 = text.toUtf8();
    checkBind(sqlite3_bind_text64(
                  m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

EmbeddedStatement &EmbeddedStatement::bind(int index, const QByteArray &blob)
{
    // An empty QByteArray still has a non-null data pointer, so SQLite stores
    // a zero-length blob rather than NULL.
    if (m_stmt)
        checkBind(
            sqlite3_bind_blob64(m_stmt, index, blob.constData(), sqlite3_uint64(blob.size()), SQLITE_TRANSIENT), index);
    return *this;
}

EmbeddedStatement &EmbeddedStatement::bindNull(int index)
{
    if (m_stmt)
        checkBind(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

Result<bool> EmbeddedStatement::next()
{
    if (m_error)
        return *m_error;

    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_error = sqliteError("step");
    return *m_error;
}

Status EmbeddedStatement::run()
{
    for (;;) {
        Result<bool> row = next();
        if (!row)
            return row.error();
        if (!row.value())
            return {};
    }
}

qint64 EmbeddedStatement::changes() const
{
    return m_db ? qint64(sqlite3_changes64(m_db)) : 0;
}

void EmbeddedStatement::reset()
{
    if (m_stmt && !m_error)
        sqlite3_reset(m_stmt);
}

qint64 EmbeddedStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString EmbeddedStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray EmbeddedStatement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return size > 0 ? QByteArray(data, size) : QByteArray("");
}

bool EmbeddedStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void EmbeddedStatement::checkBind(int rc, int index)
{
    if (rc == SQLITE_OK || m_error)
        return;
    m_error = makeError(ErrorCode::Internal,
        QStringLiteral("binding parameter %1 of \"%2\" failed: %3")
            .arg(
                QString::number(index), QString::fromUtf8(sqlite3_sql(m_stmt)), QString::fromUtf8(sqlite3_errstr(rc))));
}

Error EmbeddedStatement::sqliteError(const char *what) const
{
    const int code = sqlite3_extended_errcode(m_db);
    return makeError(ErrorCode::Unavailable,
        QStringLiteral("SQLite %1 failed in queue store %2: %3 (code %4) while running \"%5\"; check "
                       "disk space and permissions of the data directory")
            .arg(QLatin1StringView(what), m_path, QString::fromUtf8(sqlite3_errmsg(m_db)), QString::number(code),
                QString::fromUtf8(sqlite3_sql(m_stmt))));
}

}  // namespace mutt::queue
