#pragma once

#include "sql/QtSqlStore.h"

#include <memory>

namespace mutt::sql {

// The embedded SQL store: one SQLite file (WAL journal), one connection per
// thread. See SqliteDialect for connection settings and value encodings.
//
//   auto store = SqliteSqlStore::open(dataDir + "/mutt.db");
//   if (!store || !store.value()->migrate()) ...
//
// open() does not migrate; call migrate() before using the tables.
class SqliteSqlStore final : public QtSqlStore {
public:
    // Opens (creating when missing, with its folder) the database file and
    // checks that the calling thread's connection works. Unavailable with
    // the driver's text when it does not.
    static Result<std::unique_ptr<SqliteSqlStore>> open(const QString &path);

    [[nodiscard]] QString path() const { return m_path; }

    // Open per-thread connections (threads that used the store and have
    // not finished).
    [[nodiscard]] int connectionCount() const { return connections().connectionCount(); }

private:
    explicit SqliteSqlStore(const QString &path);

    QString m_path;
};

}  // namespace mutt::sql
