#include "sql/SqlTransaction.h"

#include "core/Log.h"
#include "sql/SqlDialect.h"
#include "sql/SqlExec.h"

#include <QSqlDatabase>

namespace mutt::sql {

SqlTransaction::SqlTransaction(QSqlDatabase &db, const SqlDialect &dialect) : m_db(db), m_dialect(dialect) { }

SqlTransaction::~SqlTransaction()
{
    rollback();
}

Status SqlTransaction::beginWrite()
{
    return begin(m_dialect.beginWriteSql());
}

Status SqlTransaction::beginRead()
{
    return begin(m_dialect.beginReadSql());
}

Status SqlTransaction::begin(const QString &sql)
{
    if (m_open)
        return makeError(ErrorCode::Internal, QStringLiteral("a transaction is already open on this connection"));

    auto started = runSql(m_db, m_dialect, sql);
    if (!started)
        return started.error();
    m_open = true;
    return {};
}

Status SqlTransaction::commit()
{
    if (!m_open)
        return makeError(ErrorCode::Internal, QStringLiteral("commit without an open transaction"));

    auto committed = runSql(m_db, m_dialect, QStringLiteral("COMMIT"));
    if (!committed) {
        rollback();
        return committed.error();
    }
    m_open = false;
    return {};
}

void SqlTransaction::rollback()
{
    if (!m_open)
        return;

    m_open = false;
    auto rolledBack = runSql(m_db, m_dialect, QStringLiteral("ROLLBACK"));
    if (!rolledBack)
        log::get("sql")->warn("sql rollback failed backend={} reason=\"{}\"; the driver ends the transaction when "
                              "the connection closes",
            m_dialect.name(), rolledBack.error().logText());
}

}  // namespace mutt::sql
