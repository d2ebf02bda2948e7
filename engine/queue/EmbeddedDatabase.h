#pragma once

#include "core/Result.h"
#include "queue/EmbeddedStatement.h"
#include "queue/EmbeddedStoreOptions.h"

#include <QString>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mutt::queue {

// The store's single SQLite connection in WAL mode, with the schema in place
// and a cache of prepared statements. Used by one thread at a time.
class EmbeddedDatabase final {
public:
    static constexpr int schemaVersion = 2;

    static Result<std::unique_ptr<EmbeddedDatabase>> open(const QString &path, const EmbeddedStoreOptions &options);
    // Reads the schema version of the store file at `path` without changing
    // the file, so a caller can report what open() upgraded. Returns 0 when
    // the file does not exist.
    static Result<int> storedSchemaVersion(const QString &path);
    ~EmbeddedDatabase();

    EmbeddedDatabase(const EmbeddedDatabase &) = delete;
    EmbeddedDatabase &operator=(const EmbeddedDatabase &) = delete;

    // A prepared statement for `sql`, prepared on first use and then reused.
    EmbeddedStatement statement(const char *sql);
    // Runs SQL without parameters (pragmas, transaction control).
    Status exec(const char *sql);
    // Rolls back the open transaction, if any; a failure is logged (SQLite
    // then rolls back when the connection closes).
    void rollback();
    // False when SQLite rolled the open transaction back on its own (I/O
    // error, disk full), or when none is open.
    [[nodiscard]] bool inTransaction() const;

    [[nodiscard]] QString path() const { return m_path; }

private:
    EmbeddedDatabase(sqlite3 *db, QString path);

    Status configure(const EmbeddedStoreOptions &options);
    Status migrate();
    // Drops the tables that earlier upgrades left to drop after their commit.
    // Failures are always logged, drops only with `logDrops`.
    void dropRetiredTables(bool logDrops);
    Result<bool> tableExists(const char *name);
    Result<qint64> pragmaValue(const char *sql);
    [[nodiscard]] Error failure(const QString &what) const;

    sqlite3 *m_db = nullptr;
    QString m_path;
    // Keyed by SQL text; transparent hashing looks up without allocating.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view> {}(text); }
    };
    std::unordered_map<std::string, sqlite3_stmt *, TextHash, std::equal_to<>> m_statements;
};

}  // namespace mutt::queue
