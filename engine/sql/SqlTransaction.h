#pragma once

#include "core/Result.h"

#include <QtGlobal>

class QSqlDatabase;

namespace mutt::sql {

class SqlDialect;

// A transaction on one connection, rolled back when the object goes out of
// scope without commit(). Queries run inside it must be finished or
// destroyed before commit().
class SqlTransaction final {
public:
    SqlTransaction(QSqlDatabase &db, const SqlDialect &dialect);
    ~SqlTransaction();
    Q_DISABLE_COPY_MOVE(SqlTransaction)

    // Starts a transaction that holds the write lock from the start
    // (SQLite BEGIN IMMEDIATE), so a check followed by a write is atomic.
    Status beginWrite();
    // Starts a transaction that reads one consistent snapshot.
    Status beginRead();
    Status commit();
    void rollback();

private:
    Status begin(const QString &sql);

    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
    bool m_open = false;
};

}  // namespace mutt::sql
