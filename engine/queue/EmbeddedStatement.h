#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace mutt::queue {

// One use of a cached prepared statement: binds parameters, steps, reads
// columns, and resets the statement when it goes out of scope. A statement
// that failed to prepare or bind reports that error from next()/run().
class EmbeddedStatement final {
public:
    EmbeddedStatement(sqlite3 *db, sqlite3_stmt *stmt, QString databasePath);
    EmbeddedStatement(sqlite3 *db, Error prepareError);
    ~EmbeddedStatement();

    EmbeddedStatement(const EmbeddedStatement &) = delete;
    EmbeddedStatement &operator=(const EmbeddedStatement &) = delete;

    // Parameters are numbered from 1, as in the SQL text (?1, ?2, ...).
    EmbeddedStatement &bind(int index, qint64 value);
    EmbeddedStatement &bind(int index, const QString &text);
    EmbeddedStatement &bind(int index, const QByteArray &blob);
    EmbeddedStatement &bindNull(int index);

    // Steps once: true when a row is available, false when done.
    Result<bool> next();
    // Steps until done, ignoring rows.
    Status run();
    // Makes the statement ready to run again; bindings stay as they are.
    void reset();

    // Rows changed by the last completed INSERT, UPDATE or DELETE on the connection.
    [[nodiscard]] qint64 changes() const;

    [[nodiscard]] qint64 int64(int column) const;
    [[nodiscard]] QString text(int column) const;
    [[nodiscard]] QByteArray blob(int column) const;
    [[nodiscard]] bool isNull(int column) const;

private:
    void checkBind(int rc, int index);
    [[nodiscard]] Error sqliteError(const char *what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_path;
    std::optional<Error> m_error;
};

}  // namespace mutt::queue
