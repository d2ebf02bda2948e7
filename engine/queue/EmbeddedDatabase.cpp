#include "queue/EmbeddedDatabase.h"

#include "core/Log.h"

#include <QFile>

#include <span>

#include <sqlite3.h>

namespace mutt::queue {
namespace {

// Schema 1. List items live in one rowid table, because payloads can be
// kilobytes and SQLite stores large rows better in a rowid table than in a
// WITHOUT ROWID b-tree. Within a key, `seq` orders them: the head (newest,
// LPUSH end) has the largest seq and the tail (the consumers' end) the
// smallest. list_meta keeps each list's length and seq bounds, so LLEN and
// pushes do not scan.
constexpr const char *kSchemaV1[] = {
    "CREATE TABLE list_items(id INTEGER PRIMARY KEY, key TEXT NOT NULL, seq INTEGER NOT NULL, payload BLOB NOT NULL)",
    "CREATE UNIQUE INDEX list_items_by_key ON list_items(key, seq)",
    // The parentheses mark the split literal as one statement for clang-tidy.
    ("CREATE TABLE list_meta(key TEXT PRIMARY KEY, head INTEGER NOT NULL, tail INTEGER NOT NULL, "
     "length INTEGER NOT NULL) WITHOUT ROWID"),
    "CREATE TABLE counters(key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at_ms INTEGER) WITHOUT ROWID",
    "CREATE INDEX counters_by_expiry ON counters(expires_at_ms) WHERE expires_at_ms IS NOT NULL",
    "CREATE TABLE kv(key TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at_ms INTEGER)",
    "CREATE INDEX kv_by_expiry ON kv(expires_at_ms) WHERE expires_at_ms IS NOT NULL",
    "CREATE TABLE zset(key TEXT NOT NULL, member BLOB NOT NULL, score INTEGER NOT NULL, PRIMARY KEY(key, member))",
    "CREATE INDEX zset_by_score ON zset(key, score)",
    "PRAGMA user_version = 1",
};

// Schema 2: each list gets a row in `lists` with an integer id, and items
// name their list by that id. A claim then rewrites an item with a record of
// the same size (list id and seq change, the payload stays), and the
// (list, seq) index stores two integers per entry instead of the key text.
// Each list's row is computed from its items, not copied from list_meta,
// so a key whose list_meta row was missing or miscounted gets the number of
// items it contains. A miscounted length would empty and delete the row while
// items remain, and a later list that reuses the row's id would show them.
constexpr const char *kSchemaV2[] = {
    ("CREATE TABLE lists(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, head INTEGER NOT NULL, "
     "tail INTEGER NOT NULL, length INTEGER NOT NULL)"),
    ("INSERT INTO lists(key, head, tail, length) SELECT key, MAX(seq), MIN(seq), COUNT(*) FROM list_items "
     "GROUP BY key ORDER BY key"),
    ("CREATE TABLE list_entries(id INTEGER PRIMARY KEY, list INTEGER NOT NULL, seq INTEGER NOT NULL, "
     "payload BLOB NOT NULL)"),
    ("INSERT INTO list_entries(id, list, seq, payload) SELECT items.id, lists.id, items.seq, items.payload "
     "FROM list_items AS items JOIN lists ON lists.key = items.key ORDER BY items.id"),
    // dropRetiredTables() drops the old item table after the commit.
    "ALTER TABLE list_items RENAME TO list_items_v1",
    "DROP TABLE list_meta",
    "ALTER TABLE list_entries RENAME TO list_items",
    "CREATE UNIQUE INDEX list_items_by_list ON list_items(list, seq)",
    "PRAGMA user_version = 2",
};

struct SchemaStep {
    int version;
    std::span<const char *const> statements;
};
constexpr SchemaStep kSchemaSteps[] = {{1, kSchemaV1}, {2, kSchemaV2}};

// A table that an upgrade step renamed out of the way instead of dropping
// it in its transaction (see dropRetiredTables()).
struct RetiredTable {
    const char *name;
    const char *dropSql;
};
constexpr RetiredTable kRetiredTables[] = {{"list_items_v1", "DROP TABLE list_items_v1"}};

// Turns off SQLite's memory statistics before main() starts, while no other
// thread can use SQLite, so its allocations take no global mutex. Nothing in
// the process reads those statistics. sqlite3_config() is C and cannot throw.
// NOLINTNEXTLINE(cert-err58-cpp)
[[maybe_unused]] const bool memoryStatisticsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;

}  // namespace

Result<std::unique_ptr<EmbeddedDatabase>> EmbeddedDatabase::open(
    const QString &path, const EmbeddedStoreOptions &options)
{
    sqlite3 *handle = nullptr;
    const QByteArray file = QFile::encodeName(path);
    const int rc = sqlite3_open_v2(
        file.constData(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<EmbeddedDatabase> db(new EmbeddedDatabase(handle, path));
    if (rc != SQLITE_OK)
        return db->failure(QStringLiteral("open"));

    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, int(options.busyTimeout.count()));

    if (Status configured = db->configure(options); !configured)
        return configured.error();

    if (Status migrated = db->migrate(); !migrated)
        return migrated.error();
    return db;
}

Result<int> EmbeddedDatabase::storedSchemaVersion(const QString &path)
{
    if (!QFile::exists(path))
        return 0;
    sqlite3 *handle = nullptr;
    const QByteArray file = QFile::encodeName(path);
    const int rc = sqlite3_open_v2(file.constData(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    // The destructor closes the handle, which sqlite3_open_v2 returns even on failure.
    const std::unique_ptr<EmbeddedDatabase> db(new EmbeddedDatabase(handle, path));
    if (rc != SQLITE_OK)
        return db->failure(QStringLiteral("open"));
    Result<qint64> version = db->pragmaValue("PRAGMA user_version");
    if (!version)
        return version.error();
    return int(version.value());
}

EmbeddedDatabase::EmbeddedDatabase(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) { }

EmbeddedDatabase::~EmbeddedDatabase()
{
    for (auto &[sql, stmt] : m_statements)
        sqlite3_finalize(stmt);
    if (sqlite3_close(m_db) != SQLITE_OK)
        log::get("queue")->error(
            "closing queue store failed path={} reason={}", m_path, QString::fromUtf8(sqlite3_errmsg(m_db)));
}

EmbeddedStatement EmbeddedDatabase::statement(const char *sql)
{
    auto found = m_statements.find(std::string_view(sql));
    if (found != m_statements.end())
        return EmbeddedStatement(m_db, found->second, m_path);

    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return EmbeddedStatement(m_db, failure(QStringLiteral("prepare of \"%1\"").arg(QString::fromUtf8(sql))));
    m_statements.emplace(sql, stmt);
    return EmbeddedStatement(m_db, stmt, m_path);
}

Status EmbeddedDatabase::exec(const char *sql)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return failure(QStringLiteral("\"%1\"").arg(QString::fromUtf8(sql)));
    return {};
}

void EmbeddedDatabase::rollback()
{
    if (!inTransaction())
        return;
    if (Status rolledBack = exec("ROLLBACK"); !rolledBack)
        log::get("queue")->error("rollback failed path={} reason={}", m_path, rolledBack.error().message);
}

bool EmbeddedDatabase::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

Status EmbeddedDatabase::configure(const EmbeddedStoreOptions &options)
{
    EmbeddedStatement wal = statement("PRAGMA journal_mode = WAL");
    Result<bool> row = wal.next();
    if (!row)
        return row.error();
    const QString mode = row.value() ? wal.text(0) : QString();
    if (mode != u"wal")
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("queue store %1 cannot use write-ahead logging (journal mode is %2); put the "
                           "data directory on a local file system")
                .arg(m_path, mode));

    const char *sync = options.sync == EmbeddedSync::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    for (const char *pragma : {sync, "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16000",
             "PRAGMA journal_size_limit = 67108864", "PRAGMA foreign_keys = OFF"}) {
        if (Status done = exec(pragma); !done)
            return done;
    }
    return {};
}

Status EmbeddedDatabase::migrate()
{
    Result<qint64> version = pragmaValue("PRAGMA user_version");
    if (!version)
        return version.error();
    if (version.value() == schemaVersion) {
        dropRetiredTables(true);
        return {};
    }
    if (version.value() > schemaVersion)
        return makeError(ErrorCode::Conflict,
            QStringLiteral("queue store %1 has schema version %2, newer than this build reads (%3); "
                           "run the newer MUTT version or use another data directory")
                .arg(m_path, QString::number(version.value()), QString::number(schemaVersion)));

    // All steps from the stored version on run in one transaction, so a
    // failed step leaves the store as it was.
    if (Status begun = exec("BEGIN IMMEDIATE"); !begun)
        return begun;
    for (const SchemaStep &step : kSchemaSteps) {
        if (step.version <= version.value())
            continue;
        for (const char *sql : step.statements) {
            if (Status done = exec(sql); !done) {
                rollback();
                return done;
            }
        }
    }
    if (Status committed = exec("COMMIT"); !committed) {
        rollback();
        return committed;
    }
    if (version.value() == 0)
        log::get("queue")->info("queue store schema created path={} schema_version={}", m_path, schemaVersion);
    else
        log::get("queue")->info("queue store schema upgraded path={} from_version={} schema_version={}", m_path,
            version.value(), schemaVersion);
    // A new store's schema-1 tables were empty, so their drop is not logged.
    dropRetiredTables(version.value() > 0);
    return {};
}

void EmbeddedDatabase::dropRetiredTables(bool logDrops)
{
    // Inside the upgrade's transaction, DROP TABLE needs a statement journal
    // that grows with the table, and temp_store = MEMORY keeps it in RAM. On
    // a schema-1 store of 1,000,000 events (308 MB, SQLite 3.40), muttd
    // migrate peaked at 439 MB RSS that way and at 101 MB with this drop,
    // the only statement of its own transaction, which needs no statement
    // journal. A failed drop only leaves unused pages, so it is logged and
    // retried on the next open.
    for (const RetiredTable &table : kRetiredTables) {
        Result<bool> found = tableExists(table.name);
        if (found && !found.value())
            continue;
        const Status dropped = found ? exec(table.dropSql) : Status(found.error());
        if (dropped && logDrops)
            log::get("queue")->info(
                "queue store dropped a table of an earlier schema path={} table={}", m_path, table.name);
        else if (!dropped)
            log::get("queue")->warn("dropping a table of an earlier schema failed path={} table={} reason={}; "
                                    "the next open retries it",
                m_path, table.name, dropped.error().message);
    }
}

Result<bool> EmbeddedDatabase::tableExists(const char *name)
{
    // The statement is reset when it goes out of scope, before a DROP TABLE
    // that an active statement would block.
    EmbeddedStatement query = statement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    return query.bind(1, QString::fromLatin1(name)).next();
}

Result<qint64> EmbeddedDatabase::pragmaValue(const char *sql)
{
    EmbeddedStatement query = statement(sql);
    Result<bool> row = query.next();
    if (!row)
        return row.error();
    return row.value() ? query.int64(0) : 0;
}

Error EmbeddedDatabase::failure(const QString &what) const
{
    const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
    const int code = m_db ? sqlite3_extended_errcode(m_db) : SQLITE_NOMEM;
    return makeError(ErrorCode::Unavailable,
        QStringLiteral("SQLite %1 failed in queue store %2: %3 (code %4); check disk space and "
                       "permissions of the data directory")
            .arg(what, m_path, reason, QString::number(code)));
}

}  // namespace mutt::queue
