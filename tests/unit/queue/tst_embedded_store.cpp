// Embedded-store behaviour beyond the backend conformance suite: options,
// group commit isolation, callbacks re-entering the store, shutdown draining,
// schema versioning, the lock file and the durability classes.
#include "queue/EmbeddedDatabase.h"
#include "queue/EmbeddedOps.h"
#include "queue/EmbeddedStore.h"
#include "queue/EmbeddedWakeups.h"
#include "queue/EmbeddedWorker.h"

#include <QtTest>

#include <sqlite3.h>

#include <atomic>
#include <future>

using mutt::ErrorCode;
using mutt::Result;
using mutt::Status;
using namespace mutt::queue;

namespace {

// A SQLite VFS that forwards everything to the default one and counts xSync
// calls (fsync/fdatasync), so a test can see which commits wait for the disk.
class SyncCountingVfs final {
public:
    SyncCountingVfs()
    {
        s_real = sqlite3_vfs_find(nullptr);
        s_syncs = 0;
        m_vfs = *s_real;
        m_vfs.zName = "mutt-sync-counting";
        m_vfs.szOsFile = int(sizeof(File)) + s_real->szOsFile;
        m_vfs.xOpen = &openFile;
        m_vfs.pNext = nullptr;
        sqlite3_vfs_register(&m_vfs, 1);
    }
    ~SyncCountingVfs()
    {
        sqlite3_vfs_unregister(&m_vfs);
        sqlite3_vfs_register(s_real, 1);
    }
    SyncCountingVfs(const SyncCountingVfs &) = delete;
    SyncCountingVfs &operator=(const SyncCountingVfs &) = delete;

    [[nodiscard]] static int syncs() { return s_syncs.load(); }

private:
    struct File {
        sqlite3_file base;
        sqlite3_file *real;
    };
    static sqlite3_file *real(sqlite3_file *file) { return reinterpret_cast<File *>(file)->real; }

    static int openFile(sqlite3_vfs *, const char *name, sqlite3_file *file, int flags, int *outFlags)
    {
        auto *wrapper = reinterpret_cast<File *>(file);
        wrapper->real = reinterpret_cast<sqlite3_file *>(wrapper + 1);
        const int rc = s_real->xOpen(s_real, name, wrapper->real, flags, outFlags);
        wrapper->base.pMethods = wrapper->real->pMethods ? &s_methods : nullptr;
        return rc;
    }

    static inline sqlite3_vfs *s_real = nullptr;
    static inline std::atomic<int> s_syncs {0};
    static const sqlite3_io_methods s_methods;
    sqlite3_vfs m_vfs {};
};

// Each method forwards to the wrapped file's own method.
const sqlite3_io_methods SyncCountingVfs::s_methods = {
    3,
    [](sqlite3_file *f) { return real(f)->pMethods->xClose(real(f)); },
    [](sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), b, n, o); },
    [](sqlite3_file *f, const void *b, int n, sqlite3_int64 o) { return real(f)->pMethods->xWrite(real(f), b, n, o); },
    [](sqlite3_file *f, sqlite3_int64 size) { return real(f)->pMethods->xTruncate(real(f), size); },
    [](sqlite3_file *f, int flags) {
        ++s_syncs;
        return real(f)->pMethods->xSync(real(f), flags);
    },
    [](sqlite3_file *f, sqlite3_int64 *size) { return real(f)->pMethods->xFileSize(real(f), size); },
    [](sqlite3_file *f, int lock) { return real(f)->pMethods->xLock(real(f), lock); },
    [](sqlite3_file *f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); },
    [](sqlite3_file *f, int *out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); },
    [](sqlite3_file *f, int op, void *arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); },
    [](sqlite3_file *f) { return real(f)->pMethods->xSectorSize(real(f)); },
    [](sqlite3_file *f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file *f, int page, int size, int extend, void volatile **out) {
        return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
    },
    [](sqlite3_file *f, int offset, int n, int flags) {
        return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
    },
    [](sqlite3_file *f) { real(f)->pMethods->xShmBarrier(real(f)); },
    [](sqlite3_file *f, int remove) { return real(f)->pMethods->xShmUnmap(real(f), remove); },
    [](sqlite3_file *f, sqlite3_int64 o, int n, void **out) { return real(f)->pMethods->xFetch(real(f), o, n, out); },
    [](sqlite3_file *f, sqlite3_int64 o, void *p) { return real(f)->pMethods->xUnfetch(real(f), o, p); },
};

// The tables of a schema-1 queue store, as builds before integer list ids
// created them. A test adds its rows and "PRAGMA user_version = 1".
const QByteArray kSchemaOneTables
    = "PRAGMA journal_mode = WAL;"
      "CREATE TABLE list_items(id INTEGER PRIMARY KEY, key TEXT NOT NULL, seq INTEGER NOT NULL, payload BLOB "
      "NOT NULL);"
      "CREATE UNIQUE INDEX list_items_by_key ON list_items(key, seq);"
      "CREATE TABLE list_meta(key TEXT PRIMARY KEY, head INTEGER NOT NULL, tail INTEGER NOT NULL, length INTEGER "
      "NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE counters(key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at_ms INTEGER) WITHOUT ROWID;"
      "CREATE INDEX counters_by_expiry ON counters(expires_at_ms) WHERE expires_at_ms IS NOT NULL;"
      "CREATE TABLE kv(key TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at_ms INTEGER);"
      "CREATE INDEX kv_by_expiry ON kv(expires_at_ms) WHERE expires_at_ms IS NOT NULL;"
      "CREATE TABLE zset(key TEXT NOT NULL, member BLOB NOT NULL, score INTEGER NOT NULL, PRIMARY KEY(key, "
      "member));"
      "CREATE INDEX zset_by_score ON zset(key, score);";

// Runs `sql` on the SQLite file at `path` outside the store and returns SQLite's result code.
int execOnFile(const QString &path, const QByteArray &sql)
{
    sqlite3 *raw = nullptr;
    int rc = sqlite3_open(QFile::encodeName(path).constData(), &raw);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(raw, sql.constData(), nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    return rc;
}

// The first column of the first row of `sql` on the file at `path`, or -1.
int intOnFile(const QString &path, const char *sql)
{
    sqlite3 *raw = nullptr;
    sqlite3_stmt *query = nullptr;
    int value = -1;
    if (sqlite3_open(QFile::encodeName(path).constData(), &raw) == SQLITE_OK
        && sqlite3_prepare_v2(raw, sql, -1, &query, nullptr) == SQLITE_OK && sqlite3_step(query) == SQLITE_ROW)
        value = sqlite3_column_int(query, 0);
    sqlite3_finalize(query);
    sqlite3_close(raw);
    return value;
}

}  // namespace

class tst_EmbeddedStore final : public QObject {
    Q_OBJECT

private slots:
    void syncFromName_data();
    void syncFromName();
    void failingTaskUndoesOnlyItself();
    void callbackMayCallStore();
    void closeDrainsPendingBatches();
    void invalidArguments_data();
    void invalidArguments();
    void newerSchemaRejected();
    void schemaOneStoreUpgrades();
    void schemaOneLengthsFollowItems();
    void schemaOneTableDroppedOnOpen();
    void lockReleasedOnClose();
    void walAndSyncApplied_data();
    void walAndSyncApplied();
    void durabilityClassesSync_data();
    void durabilityClassesSync();
    void rateGrantsOfOneRoundCountAfterReopen();
    void removesOfOneBatchKeepLength();

private:
    QTemporaryDir m_dir;
};

void tst_EmbeddedStore::syncFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected");  // -1: rejected

    QTest::newRow("full") << QStringLiteral("full") << int(EmbeddedSync::Full);
    QTest::newRow("normal") << QStringLiteral("normal") << int(EmbeddedSync::Normal);
    QTest::newRow("upper case") << QStringLiteral(" FULL ") << int(EmbeddedSync::Full);
    QTest::newRow("unknown") << QStringLiteral("off") << -1;
    QTest::newRow("empty") << QString() << -1;
}

void tst_EmbeddedStore::syncFromName()
{
    QFETCH(QString, name);
    QFETCH(int, expected);

    const auto sync = EmbeddedStoreOptions::syncFromName(name);
    QCOMPARE(sync.has_value(), expected >= 0);
    if (sync)
        QCOMPARE(int(*sync), expected);
}

void tst_EmbeddedStore::failingTaskUndoesOnlyItself()
{
    auto db = EmbeddedDatabase::open(m_dir.filePath(QStringLiteral("group.db")), {});
    QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().toString()));
    EmbeddedWakeups wakeups;
    EmbeddedWorker worker(std::move(db).value(), wakeups, {});

    // Hold the worker inside one task so the next three are committed together.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    worker.submit(
        [released](EmbeddedOps &) {
            released.wait();
            return Status();
        },
        [](Status) {});

    std::promise<Status> a, b, c;
    const auto push = [](const char *item) {
        return [item](EmbeddedOps &ops) { return ops.lists.pushHead(QStringLiteral("q"), {QByteArray(item)}); };
    };
    worker.submit(push("a"), [&a](Status s) { a.set_value(s); });
    worker.submit(
        [](EmbeddedOps &ops) {
            Status pushed = ops.lists.pushHead(QStringLiteral("q"), {QByteArray("b")});
            return pushed ? Status(mutt::makeError(ErrorCode::Conflict, QStringLiteral("refused"))) : pushed;
        },
        [&b](Status s) { b.set_value(s); });
    worker.submit(push("c"), [&c](Status s) { c.set_value(s); });
    release.set_value();

    QVERIFY(a.get_future().get().ok());
    Status failed = b.get_future().get();
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, ErrorCode::Conflict);
    QVERIFY(c.get_future().get().ok());

    auto items
        = worker.call<QList<QByteArray>>([](EmbeddedOps &ops) { return ops.lists.range(QStringLiteral("q"), 0, -1); });
    QCOMPARE(items.value(), QList<QByteArray>({"c", "a"}));
}

void tst_EmbeddedStore::callbackMayCallStore()
{
    auto opened = EmbeddedStore::open(m_dir.filePath(QStringLiteral("reentrant.db")));
    QVERIFY(opened.ok());
    std::shared_ptr<EmbeddedStore> store = std::move(opened).value();

    auto lengthSeen = std::make_shared<std::promise<qint64>>();
    store->applyAsync({Op::pushHead(QStringLiteral("q"), {"x"})}, [lengthSeen, &store](Status s) {
        lengthSeen->set_value(s.ok() ? store->length(QStringLiteral("q")).valueOr(-1) : -2);
    });
    auto future = lengthSeen->get_future();
    QCOMPARE(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    QCOMPARE(future.get(), 1);
}

void tst_EmbeddedStore::closeDrainsPendingBatches()
{
    const QString path = m_dir.filePath(QStringLiteral("drain.db"));
    std::atomic<int> succeeded {0};
    {
        auto opened = EmbeddedStore::open(path);
        QVERIFY(opened.ok());
        for (int i = 0; i < 200; ++i)
            opened.value()->applyAsync({Op::pushHead(QStringLiteral("q"), {QByteArray::number(i)})},
                [&succeeded](Status s) { succeeded += s.ok() ? 1 : 0; });
    }
    QCOMPARE(succeeded.load(), 200);

    auto reopened = EmbeddedStore::open(path);
    QVERIFY(reopened.ok());
    QCOMPARE(reopened.value()->length(QStringLiteral("q")).value(), 200);
}

void tst_EmbeddedStore::invalidArguments_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("claim max 0") << 0;
    QTest::newRow("claim into itself") << 1;
    QTest::newRow("return into itself") << 2;
    QTest::newRow("negative ttl") << 3;
    QTest::newRow("negative trim") << 4;
    QTest::newRow("circuit threshold 0") << 5;
    QTest::newRow("unhandled window 0") << 6;
}

void tst_EmbeddedStore::invalidArguments()
{
    QFETCH(int, which);
    auto opened = EmbeddedStore::open(m_dir.filePath(QStringLiteral("invalid-%1.db").arg(which)));
    QVERIFY(opened.ok());
    EmbeddedStore &store = *opened.value();
    const QString q = QStringLiteral("q");
    const auto code = [&]() -> std::optional<ErrorCode> {
        const auto err = [](const auto &result) -> std::optional<ErrorCode> {
            return result.ok() ? std::nullopt : std::optional<ErrorCode>(result.error().code);
        };
        switch (which) {
        case 0: return err(store.claim(q, QStringLiteral("p"), 0, std::chrono::milliseconds(0)));
        case 1: return err(store.claim(q, q, 1, std::chrono::milliseconds(0)));
        case 2: return err(store.returnAll(q, q));
        case 3: return err(store.setValue(q, "v", -1));
        case 4: return err(store.apply({Op::trim(q, -1)}));
        case 5: return err(store.circuitAcquire(QStringLiteral("c"), CircuitPolicy {0, 1000, 1000}, 0));
        default: return err(store.countUnhandled(q, 1, 0));
        }
    }();
    QCOMPARE(code, std::optional<ErrorCode>(ErrorCode::InvalidInput));
}

void tst_EmbeddedStore::newerSchemaRejected()
{
    const QString path = m_dir.filePath(QStringLiteral("newer.db"));
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);

    auto opened = EmbeddedStore::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Conflict);
    QVERIFY2(opened.error().message.contains(QStringLiteral("schema version 99")), qPrintable(opened.error().message));
}

void tst_EmbeddedStore::schemaOneStoreUpgrades()
{
    // A store written by a build with schema 1: two lists with their
    // list_meta rows, items of a third list without one, and a counter.
    const QString path = m_dir.filePath(QStringLiteral("schema1.db"));
    const QByteArray rows
        = "INSERT INTO list_items(key, seq, payload) VALUES ('q', 0, 'oldest'), ('q', 1, 'middle'), ('q', 2, "
          "'newest'), ('q:processing', 0, 'claimed'), ('orphan', 5, 'b'), ('orphan', 4, 'a');"
          "INSERT INTO list_meta VALUES ('q', 2, 0, 3), ('q:processing', 0, 0, 1);"
          "INSERT INTO counters VALUES ('accepted', 7, NULL);"
          "PRAGMA user_version = 1;";
    QCOMPARE(execOnFile(path, kSchemaOneTables + rows), SQLITE_OK);

    auto opened = EmbeddedStore::open(path);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    QueueStore &store = *opened.value();

    auto all = [&store](const QString &key) { return store.range(key, 0, -1).value(); };
    QCOMPARE(all(QStringLiteral("q")), (QList<QByteArray> {"newest", "middle", "oldest"}));
    QCOMPARE(all(QStringLiteral("q:processing")), QList<QByteArray> {"claimed"});
    QCOMPARE(all(QStringLiteral("orphan")), (QList<QByteArray> {"b", "a"}));
    QCOMPARE(store.length(QStringLiteral("orphan")).value(), 2);
    QCOMPARE(store.counter(QStringLiteral("accepted")).value(), 7);
    QCOMPARE(
        store.keys(QStringLiteral("q")).value(), (QStringList {QStringLiteral("q"), QStringLiteral("q:processing")}));

    // The upgraded lists take pushes and claims in the same order as before.
    QVERIFY(store.apply({Op::pushHead(QStringLiteral("q"), {"pushed"})}));
    auto claimed = store.claim(QStringLiteral("q"), QStringLiteral("q:processing"), 2, std::chrono::milliseconds(0));
    QVERIFY(claimed.ok());
    QCOMPARE(claimed.value(), (QList<QByteArray> {"oldest", "middle"}));
    QCOMPARE(all(QStringLiteral("q")), (QList<QByteArray> {"pushed", "newest"}));
    QCOMPARE(all(QStringLiteral("q:processing")), (QList<QByteArray> {"middle", "oldest", "claimed"}));
    opened.value().reset();

    QCOMPARE(intOnFile(path, "PRAGMA user_version"), EmbeddedDatabase::schemaVersion);
}

void tst_EmbeddedStore::schemaOneLengthsFollowItems()
{
    // A schema-1 store whose list_meta disagrees with list_items: 'short'
    // counts one item but contains two, 'ghost' counts three and contains none.
    const QString path = m_dir.filePath(QStringLiteral("schema1-drift.db"));
    const QByteArray rows
        = "INSERT INTO list_items(key, seq, payload) VALUES ('short', 0, CAST('oldest' AS BLOB)), ('short', 1, "
          "CAST('newest' AS BLOB));"
          "INSERT INTO list_meta VALUES ('ghost', 2, 0, 3), ('short', 0, 0, 1);"
          "PRAGMA user_version = 1;";
    QCOMPARE(execOnFile(path, kSchemaOneTables + rows), SQLITE_OK);

    auto opened = EmbeddedStore::open(path);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    QueueStore &store = *opened.value();

    auto all = [&store](const QString &key) { return store.range(key, 0, -1).value(); };
    QCOMPARE(store.length(QStringLiteral("short")).value(), 2);
    QCOMPARE(all(QStringLiteral("short")), (QList<QByteArray> {"newest", "oldest"}));
    QCOMPARE(store.length(QStringLiteral("ghost")).value(), 0);
    QCOMPARE(store.keys(QString()).value(), QStringList {QStringLiteral("short")});

    // Claiming and acknowledging both items empties the list, and a list
    // made afterwards contains only what was pushed to it.
    for (const QByteArray &expected : {QByteArray("oldest"), QByteArray("newest")}) {
        auto claimed = store.claim(QStringLiteral("short"), QStringLiteral("short:processing"), 1, {});
        QVERIFY(claimed.ok());
        QCOMPARE(claimed.value(), QList<QByteArray> {expected});
        QVERIFY(store.apply({Op::remove(QStringLiteral("short:processing"), expected)}));
    }
    QCOMPARE(store.length(QStringLiteral("short")).value(), 0);
    QCOMPARE(store.keys(QString()).value(), QStringList());
    QVERIFY(store.apply({Op::pushHead(QStringLiteral("fresh"), {"pushed"})}));
    QCOMPARE(all(QStringLiteral("fresh")), QList<QByteArray> {"pushed"});
}

void tst_EmbeddedStore::schemaOneTableDroppedOnOpen()
{
    // The upgrade renames the schema-1 item table to list_items_v1 and drops
    // it after the upgrade commits. A process killed between the two leaves
    // a schema-2 store with that table, which the next open drops.
    const QString path = m_dir.filePath(QStringLiteral("retired.db"));
    QVERIFY(EmbeddedStore::open(path).ok());

    QCOMPARE(execOnFile(path,
                 "CREATE TABLE list_items_v1(id INTEGER PRIMARY KEY, key TEXT NOT NULL, seq INTEGER NOT NULL, "
                 "payload BLOB NOT NULL);"
                 "INSERT INTO list_items_v1(key, seq, payload) VALUES ('q', 0, x'00')"),
        SQLITE_OK);

    auto reopened = EmbeddedStore::open(path);
    QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().toString()));
    reopened.value().reset();

    QCOMPARE(intOnFile(path, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('list_items_v1', 'list_meta')"), 0);
}

void tst_EmbeddedStore::lockReleasedOnClose()
{
    const QString path = m_dir.filePath(QStringLiteral("lock.db"));
    {
        auto first = EmbeddedStore::open(path);
        QVERIFY(first.ok());
        auto second = EmbeddedStore::open(path);
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(path), qPrintable(second.error().message));
    }
    auto again = EmbeddedStore::open(path);
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
}

void tst_EmbeddedStore::walAndSyncApplied_data()
{
    QTest::addColumn<int>("sync");
    QTest::addColumn<qint64>("pragmaValue");  // PRAGMA synchronous: 1 NORMAL, 2 FULL
    QTest::newRow("full") << int(EmbeddedSync::Full) << qint64(2);
    QTest::newRow("normal") << int(EmbeddedSync::Normal) << qint64(1);
}

void tst_EmbeddedStore::walAndSyncApplied()
{
    QFETCH(int, sync);
    QFETCH(qint64, pragmaValue);

    EmbeddedStoreOptions options;
    options.sync = EmbeddedSync(sync);
    auto db = EmbeddedDatabase::open(m_dir.filePath(QStringLiteral("pragma-%1.db").arg(sync)), options);
    QVERIFY(db.ok());

    EmbeddedStatement mode = db.value()->statement("PRAGMA journal_mode");
    QVERIFY(mode.next().valueOr(false));
    QCOMPARE(mode.text(0), QStringLiteral("wal"));
    EmbeddedStatement synchronous = db.value()->statement("PRAGMA synchronous");
    QVERIFY(synchronous.next().valueOr(false));
    QCOMPARE(synchronous.int64(0), pragmaValue);
}

void tst_EmbeddedStore::durabilityClassesSync_data()
{
    QTest::addColumn<int>("sync");
    QTest::addColumn<bool>("acceptSyncs");  // an Accept commit waits for fdatasync
    QTest::newRow("full") << int(EmbeddedSync::Full) << true;
    QTest::newRow("normal") << int(EmbeddedSync::Normal) << false;
}

// Counts the fdatasync calls of serial commits: with sync Full every Accept
// commit has its own, Move commits (claims, results, rate grants) have none.
// At most one more may come from the log's header when SQLite starts a new
// write-ahead log.
void tst_EmbeddedStore::durabilityClassesSync()
{
    QFETCH(int, sync);
    QFETCH(bool, acceptSyncs);
    constexpr int commits = 20;

    SyncCountingVfs vfs;
    EmbeddedStoreOptions options;
    options.sync = EmbeddedSync(sync);
    auto opened = EmbeddedStore::open(m_dir.filePath(QStringLiteral("classes-%1.db").arg(sync)), options);
    QVERIFY(opened.ok());
    EmbeddedStore &store = *opened.value();
    const QString queue = QStringLiteral("q");
    const QString processing = QStringLiteral("p");

    int before = SyncCountingVfs::syncs();
    for (int i = 0; i < commits; ++i)
        QVERIFY(store.apply({Op::pushHead(queue, {QByteArray::number(i)})}).ok());
    const int accepted = SyncCountingVfs::syncs() - before;
    if (acceptSyncs)
        QVERIFY2(accepted >= commits, qPrintable(QStringLiteral("%1 syncs").arg(accepted)));
    else
        QVERIFY2(accepted <= 1, qPrintable(QStringLiteral("%1 syncs").arg(accepted)));

    before = SyncCountingVfs::syncs();
    for (int i = 0; i < commits / 2; ++i) {
        auto claimed = store.claim(queue, processing, 1, std::chrono::milliseconds(0));
        QVERIFY(claimed.ok() && claimed.value().size() == 1);
        QVERIFY(store
                    .apply({Op::remove(processing, claimed.value().constFirst()), Op::increment(QStringLiteral("n"))},
                        Durability::Move)
                    .ok());
    }
    auto rated = store.claimRated(queue, processing, 5, RateWindow {QStringLiteral("rate"), 100, 1000, 1});
    QVERIFY(rated.ok());
    QCOMPARE(rated.value().items.size(), 5);
    QVERIFY(store.circuitRecord(QStringLiteral("c"), false, false, CircuitPolicy {}, 1, 0).ok());
    const int moved = SyncCountingVfs::syncs() - before;
    QVERIFY2(moved <= 1, qPrintable(QStringLiteral("%1 syncs").arg(moved)));
    QCOMPARE(store.counter(QStringLiteral("n")).value(), commits / 2);

    // The next Accept commit waits for the disk again, and its fdatasync
    // covers the Move commits before it.
    if (acceptSyncs) {
        before = SyncCountingVfs::syncs();
        QVERIFY(store.apply({Op::pushHead(queue, {"last"})}).ok());
        QVERIFY(SyncCountingVfs::syncs() - before >= 1);
    }
    opened.value().reset();
}

// The grants of one claim round are stored as one window member. A reopened
// store, which has no cached count, still counts each grant. The wait for
// several grants sums the oldest members.
void tst_EmbeddedStore::rateGrantsOfOneRoundCountAfterReopen()
{
    const QString path = m_dir.filePath(QStringLiteral("rate-rounds.db"));
    const QString queue = QStringLiteral("q");
    const QString processing = QStringLiteral("q:processing");
    const QString key = QStringLiteral("rate");
    const qint64 t = 50'000;
    {
        auto opened = EmbeddedStore::open(path);
        QVERIFY(opened.ok());
        QVERIFY(opened.value()->apply({Op::pushHead(queue, {"a", "b", "c", "d", "e", "f"})}).ok());
        auto first = opened.value()->claimRated(queue, processing, 3, RateWindow {key, 5, 1000, t});
        QVERIFY(first.ok());
        QCOMPARE(first.value().items.size(), 3);
        QCOMPARE(opened.value()->scheduledCount(key).value(), 1);  // one member for the three grants
    }

    auto reopened = EmbeddedStore::open(path);
    QVERIFY(reopened.ok());
    EmbeddedStore &store = *reopened.value();
    auto second = store.claimRated(queue, processing, 3, RateWindow {key, 5, 1000, t + 10});
    QVERIFY(second.ok());
    QCOMPARE(second.value().items, QList<QByteArray>({"d", "e"}));
    QCOMPARE(second.value().waitMs, 990);

    // Four grants are needed: only when the three of t and one of t + 10 have left.
    QCOMPARE(store.rateAcquireMany(key, 4, 5, 1000, t + 20).value(), 990);
    // Three are needed: the member of t contains them.
    QCOMPARE(store.rateAcquireMany(key, 3, 5, 1000, t + 20).value(), 980);
    // The window moved past t: its three grants are gone, the two of t + 10 remain.
    QCOMPARE(store.rateAcquireMany(key, 3, 5, 1000, t + 1000).value(), 0);
    QCOMPARE(store.rateAcquire(key, 5, 1000, t + 1000).value(), 10);
}

// A batch of removes from one list (delivery results) updates the length once
// and counts only the items that were there.
void tst_EmbeddedStore::removesOfOneBatchKeepLength()
{
    auto opened = EmbeddedStore::open(m_dir.filePath(QStringLiteral("remove-batch.db")));
    QVERIFY(opened.ok());
    EmbeddedStore &store = *opened.value();
    const QString list = QStringLiteral("processing");
    QVERIFY(store.apply({Op::pushHead(list, {"a", "b", "a", "c"})}).ok());

    QVERIFY(store
                .apply({Op::remove(list, "a"), Op::remove(list, "missing"), Op::remove(list, "c"),
                    Op::increment(QStringLiteral("n")), Op::remove(list, "b")})
                .ok());
    QCOMPARE(store.length(list).value(), 1);
    QCOMPARE(store.range(list, 0, -1).value(), QList<QByteArray>({"a"}));
    QCOMPARE(store.counter(QStringLiteral("n")).value(), 1);

    QVERIFY(store.apply({Op::remove(list, "a"), Op::remove(list, "a")}).ok());
    QCOMPARE(store.length(list).value(), 0);
    QVERIFY(store.apply({Op::pushHead(list, {"d"})}).ok());
    QCOMPARE(store.range(list, 0, -1).value(), QList<QByteArray>({"d"}));
}

QTEST_GUILESS_MAIN(tst_EmbeddedStore)
#include "tst_embedded_store.moc"
