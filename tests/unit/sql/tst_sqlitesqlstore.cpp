// SqliteSqlStore specifics that the backend-neutral conformance suite
// cannot see: connection settings, per-thread connections and their
// cleanup, the migration record and the stored text formats.

#include "sql/EventAuditTable.h"
#include "sql/SqliteAuditInsert.h"
#include "sql/SqliteDialect.h"
#include "sql/SqliteSqlStore.h"

#include <QDir>
#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <memory>
#include <thread>
#include <vector>

using namespace mutt;
using namespace mutt::sql;

namespace {

// A plain QSQLITE connection to inspect the file the store wrote.
class RawConnection final {
public:
    explicit RawConnection(const QString &path) : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_open = db.open();
    }
    ~RawConnection() { QSqlDatabase::removeDatabase(m_name); }
    Q_DISABLE_COPY_MOVE(RawConnection)

    [[nodiscard]] bool isOpen() const { return m_open; }

    // First column of the first row, or an invalid QVariant.
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        return query.exec(sql);
    }

private:
    QString m_name;
    bool m_open = false;
};

AlertRule sampleRule()
{
    AlertRule rule;
    rule.matchString = QStringLiteral("ERROR");
    rule.prodHandling = QStringLiteral("Ticket_only");
    rule.devHandling = QStringLiteral("Ignore");
    rule.teamAssignment = QStringLiteral("NETO");
    return rule;
}

}  // namespace

class TestSqliteSqlStore final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void openCreatesFolderAndUsesWal();
    void connectionSettings();
    void openFailsForUnusablePath();
    void threadsGetOwnConnectionsClosedWhenTheyFinish();
    void adoptedThreadConnectionIsClosed();
    void storeDestroyedBeforeThreadFinishes();
    void migrationIsRecorded();
    void newerSchemaIsRejected();
    void unmigratedStoreReportsDriverError();
    void timestampsAreRfc3339Text();
    void timestampTextMatchesQtFormat_data();
    void timestampTextMatchesQtFormat();
    void auditRowsJoinTheDriverTransaction();
    void driverHandleRowsMatchQtSqlRows();
    void lockedAuditWriteIsTimeout();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestSqliteSqlStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("mutt.db"));
}

void TestSqliteSqlStore::openCreatesFolderAndUsesWal()
{
    const QString nested = m_dir->filePath(QStringLiteral("a/b/mutt.db"));

    auto store = SqliteSqlStore::open(nested);

    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    QCOMPARE(store.value()->backendName(), QStringLiteral("sqlite"));
    QCOMPARE(store.value()->path(), nested);
    QVERIFY(store.value()->migrate());
    RawConnection raw(nested);
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestSqliteSqlStore::connectionSettings()
{
    const SqliteDialect dialect(m_path);
    const QString name = QStringLiteral("settings-check");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(dialect.driverName(), name);
        QVERIFY(dialect.openConnection(db));
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA foreign_keys")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
        QVERIFY(query.exec(QStringLiteral("PRAGMA busy_timeout")) && query.next());
        QCOMPARE(query.value(0).toInt(), int(SqliteDialect::kBusyTimeout.count()));
        QVERIFY(query.exec(QStringLiteral("PRAGMA synchronous")) && query.next());
        QCOMPARE(query.value(0).toInt(), 2);  // FULL
    }
    QSqlDatabase::removeDatabase(name);
}

void TestSqliteSqlStore::openFailsForUnusablePath()
{
    auto underFile = SqliteSqlStore::open(QStringLiteral("/dev/null/mutt/mutt.db"));
    auto directory = SqliteSqlStore::open(m_dir->path());
    auto empty = SqliteSqlStore::open(QString());

    QVERIFY(!underFile);
    QCOMPARE(underFile.error().code, ErrorCode::Unavailable);
    QVERIFY(!directory);
    QCOMPARE(directory.error().code, ErrorCode::Unavailable);
    QVERIFY2(directory.error().message.contains(m_dir->path()), qPrintable(directory.error().message));
    QVERIFY(!empty);
    QCOMPARE(empty.error().code, ErrorCode::InvalidInput);
}

void TestSqliteSqlStore::threadsGetOwnConnectionsClosedWhenTheyFinish()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    SqliteSqlStore &store = *opened.value();
    QVERIFY(store.migrate());
    QCOMPARE(store.connectionCount(), 1);

    constexpr int kThreads = 3;
    QSemaphore used;
    QSemaphore release;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back(QThread::create([&] {
            const bool ok = bool(store.ping()) && bool(store.listRules());
            used.release();
            release.acquire();
            if (!ok)
                qWarning("store call failed in a worker thread");
        }));
        threads.back()->start();
    }
    QVERIFY(used.tryAcquire(kThreads, 30000));
    QCOMPARE(store.connectionCount(), 1 + kThreads);

    release.release(kThreads);
    for (const auto &thread : threads)
        QVERIFY(thread->wait(QDeadlineTimer(30000)));
    QTRY_COMPARE_WITH_TIMEOUT(store.connectionCount(), 1, 10000);
    QVERIFY(store.ping());
}

void TestSqliteSqlStore::adoptedThreadConnectionIsClosed()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    SqliteSqlStore &store = *opened.value();
    bool pinged = false;

    std::thread worker([&] { pinged = bool(store.ping()); });
    worker.join();

    QVERIFY(pinged);
    QTRY_COMPARE_WITH_TIMEOUT(store.connectionCount(), 1, 10000);
}

void TestSqliteSqlStore::storeDestroyedBeforeThreadFinishes()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    std::unique_ptr<SqliteSqlStore> store = std::move(opened).value();
    QSemaphore used;
    QSemaphore release;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        (void)store->ping();
        used.release();
        release.acquire();
    }));
    thread->start();
    QVERIFY(used.tryAcquire(1, 30000));

    store.reset();
    release.release();

    QVERIFY(thread->wait(QDeadlineTimer(30000)));
    QStringList leftovers;
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(QStringLiteral("mutt-sql-")))
            leftovers.append(name);
    }
    QCOMPARE(leftovers, QStringList());
}

void TestSqliteSqlStore::migrationIsRecorded()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    QCOMPARE(opened.value()->schemaVersion().value(), 0);
    QVERIFY(opened.value()->migrate());
    QVERIFY(opened.value()->migrate());

    RawConnection raw(m_path);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).toInt(), 1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT name FROM schema_migrations WHERE version = 1")).toString(),
        QStringLiteral("create_v25_tables"));
    QVERIFY(
        raw.scalar(QStringLiteral("SELECT applied_at FROM schema_migrations")).toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ("
                                       "'idx_alert_rules_match_type', 'idx_alert_rules_is_active', "
                                       "'idx_audit_log_timestamp', 'idx_audit_log_hostname', 'idx_audit_log_rule_id', "
                                       "'idx_audit_log_correlation_id', 'idx_config_audit_log_table_record', "
                                       "'idx_config_audit_log_changed_at', 'idx_config_audit_log_changed_by', "
                                       "'idx_config_audit_log_correlation_id')"))
                 .toInt(),
        10);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT \"on_delete\" FROM pragma_foreign_key_list('event_audit_log')")).toString(),
        QStringLiteral("RESTRICT"));
    QVERIFY2(!raw.exec(QStringLiteral("INSERT INTO alert_rules (match_type, prod_handling, dev_handling, "
                                      "team_assignment) VALUES ('contains', 'a', 'b', 'c')")),
        "chk_match_criteria did not reject a rule without match_string and trap_oid");
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM alert_rules")).toInt(), 0);
}

void TestSqliteSqlStore::newerSchemaIsRejected()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    QVERIFY(opened.value()->migrate());
    {
        RawConnection raw(m_path);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                                        "VALUES (99, 'from_the_future', '2030-01-01T00:00:00.000Z')")));
    }

    auto migrated = opened.value()->migrate();

    QVERIFY(!migrated);
    QCOMPARE(migrated.error().code, ErrorCode::Unavailable);
    QVERIFY2(
        migrated.error().message.contains(QStringLiteral("schema version 99")), qPrintable(migrated.error().message));
}

void TestSqliteSqlStore::unmigratedStoreReportsDriverError()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);

    auto rules = opened.value()->listRules();

    QVERIFY(!rules);
    QCOMPARE(rules.error().code, ErrorCode::Unavailable);
    // The driver's text goes to backendText, and the message stays a
    // sentence without it, fit for API clients.
    QVERIFY2(rules.error().backendText.contains(QStringLiteral("no such table: alert_rules")),
        qPrintable(rules.error().backendText));
    QVERIFY2(!rules.error().message.contains(QStringLiteral("alert_rules")), qPrintable(rules.error().message));
    QVERIFY2(rules.error().message.contains(QStringLiteral("SQLite")), qPrintable(rules.error().message));
}

void TestSqliteSqlStore::timestampsAreRfc3339Text()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    SqlStore &store = *opened.value();
    QVERIFY(store.migrate());
    auto ruleId = store.createRule(sampleRule(), AuditContext {});
    QVERIFY(ruleId);
    EventAuditRow row;
    row.eventTimestamp = QDateTime(QDate(2025, 1, 15), QTime(16, 30, 22, 123), QTimeZone(7200));
    row.hostname = QStringLiteral("router1");
    row.matchedRuleId = ruleId.value();
    row.handlingDecision = QStringLiteral("Ticket_only");
    QVERIFY(store.writeEventAudit({row}));

    RawConnection raw(m_path);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT event_timestamp FROM event_audit_log")).toString(),
        QStringLiteral("2025-01-15T14:30:22.123Z"));
    QVERIFY(raw.scalar(QStringLiteral("SELECT correlation_id FROM event_audit_log")).isNull());
    const QString changedAt = raw.scalar(QStringLiteral("SELECT changed_at FROM config_audit_log")).toString();
    QVERIFY2(QDateTime::fromString(changedAt, Qt::ISODateWithMs).isValid(), qPrintable(changedAt));
    QCOMPARE(changedAt.size(), 24);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT changed_by FROM config_audit_log")).toString(), QStringLiteral("system"));
}

void TestSqliteSqlStore::timestampTextMatchesQtFormat_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::newRow("utc") << QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 123), Qt::UTC);
    QTest::newRow("offset") << QDateTime(QDate(2025, 1, 1), QTime(0, 59, 59, 999), QTimeZone(3600));
    QTest::newRow("whole second") << QDateTime(QDate(2024, 2, 29), QTime(23, 0, 0, 0), Qt::UTC);
    QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0, 0, 7), Qt::UTC);
    QTest::newRow("year 999") << QDateTime(QDate(999, 12, 31), QTime(9, 8, 7, 60), Qt::UTC);
    QTest::newRow("year 9999") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    QTest::newRow("year 10000") << QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC);
    QTest::newRow("invalid") << QDateTime();
}

void TestSqliteSqlStore::timestampTextMatchesQtFormat()
{
    QFETCH(QDateTime, time);
    const QString expected = time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    QCOMPARE(QString::fromLatin1(SqliteDialect::timestampText(time)), expected);
    QCOMPARE(SqliteDialect::formatTimestamp(time), expected);
}

void TestSqliteSqlStore::auditRowsJoinTheDriverTransaction()
{
    {
        auto opened = SqliteSqlStore::open(m_path);
        QVERIFY(opened);
        QVERIFY(opened.value()->migrate());
    }
    const QString name = QStringLiteral("native");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        sqlite3 *handle = sqliteHandle(db);
        QVERIFY(handle != nullptr);

        EventAuditRow row;
        row.eventTimestamp = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 123), Qt::UTC);
        row.hostname = QStringLiteral("router1");
        row.handlingDecision = QStringLiteral("Log_only");
        row.rawMessage = QStringLiteral("{\"message\":\"caf\u00e9\"}");
        row.correlationId = QStringLiteral("c-1");
        const SqliteDialect dialect(m_path);

        // A rolled-back transaction takes the rows with it.
        QVERIFY(db.transaction());
        auto written = insertEventAuditRows(handle, dialect, {row, row});
        QVERIFY(written);
        QCOMPARE(written.value(), 1);  // the second copy has the same correlation id
        QVERIFY(db.rollback());
        QSqlQuery count(db);
        QVERIFY(count.exec(QStringLiteral("SELECT COUNT(*) FROM event_audit_log")) && count.next());
        QCOMPARE(count.value(0).toInt(), 0);

        // A committed one keeps them, with the UTF-8 text intact.
        QVERIFY(db.transaction());
        QVERIFY(insertEventAuditRows(handle, dialect, {row}));
        QVERIFY(db.commit());
        QSqlQuery stored(db);
        QVERIFY(stored.exec(QStringLiteral("SELECT raw_message, event_timestamp, matched_rule_id FROM event_audit_log"))
            && stored.next());
        QCOMPARE(stored.value(0).toString(), row.rawMessage);
        QCOMPARE(stored.value(1).toString(), QStringLiteral("2025-01-15T14:30:22.123Z"));

        // A failing row reports the driver's error in the store's form.
        EventAuditRow unknownRule = row;
        unknownRule.correlationId = QStringLiteral("c-2");
        unknownRule.matchedRuleId = 4242;
        QSqlQuery(db).exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        auto failed = insertEventAuditRows(handle, dialect, {unknownRule});
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, ErrorCode::Conflict);
        QVERIFY2(
            failed.error().backendText.contains(QStringLiteral("FOREIGN KEY")), qPrintable(failed.error().backendText));
    }
    QSqlDatabase::removeDatabase(name);
}

namespace {

// Every column of every event_audit_log row with its storage class and its
// bytes in hex, so two files compare equal only when they store the same values.
QStringList storedAuditRows(const QString &connection)
{
    QSqlQuery query(QSqlDatabase::database(connection, false));
    QStringList rows;
    if (!query.exec(QStringLiteral(
            "SELECT id, typeof(event_timestamp), hex(event_timestamp), typeof(hostname), hex(hostname), "
            "matched_rule_id, hex(handling_decision), forwarded_to_moog, typeof(raw_message), hex(raw_message), "
            "typeof(correlation_id), hex(correlation_id) FROM event_audit_log ORDER BY id")))
        return {QStringLiteral("query failed: %1").arg(query.lastError().text())};
    while (query.next()) {
        QStringList columns;
        for (int i = 0; i < 12; ++i)
            columns.append(query.value(i).toString());
        rows.append(columns.join(u'|'));
    }
    return rows;
}

}  // namespace

void TestSqliteSqlStore::driverHandleRowsMatchQtSqlRows()
{
    // The rows the QtSql statements of the previous release wrote and the
    // rows the driver-handle insert writes must be the same bytes, for the
    // same batches, including duplicates and text QtSql binds as UTF-16.
    // NOTE: Text with a lone UTF-16 surrogate is stored differently, because
    // QtSql hands it to SQLite's UTF-16 conversion and this insert stores
    // the output of QString::toUtf8.
    EventAuditRow base;
    base.eventTimestamp = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 123), Qt::UTC);
    base.hostname = QStringLiteral("router1");
    base.matchedRuleId = 1;
    base.handlingDecision = QStringLiteral("Ticket_only");
    base.forwardedToMoog = true;
    base.rawMessage = QStringLiteral("{\"message\":\"link down\"}");

    QList<EventAuditRow> first;
    QList<EventAuditRow> second;
    const auto add = [&base](QList<EventAuditRow> &batch, const QString &correlation, auto change) {
        EventAuditRow row = base;
        row.correlationId = correlation;
        change(row);
        batch.append(row);
    };
    add(first, QStringLiteral("c-1"), [](EventAuditRow &) {});
    add(first, QStringLiteral("c-1"), [](EventAuditRow &row) { row.hostname = QStringLiteral("duplicate"); });
    add(first, QStringLiteral("c-utf8"), [](EventAuditRow &row) {
        row.hostname = QStringLiteral("r\u00e9seau-\u6771\u4eac");
        row.rawMessage = QStringLiteral("{\"m\":\"caf\u00e9 \U0001F525 \U00010348\"}");
    });
    add(first, QStringLiteral("c-nul"), [](EventAuditRow &row) {
        row.rawMessage = QStringLiteral("before");
        row.rawMessage.append(QChar(0)).append(QStringLiteral("after"));
    });
    add(first, QStringLiteral("c-empty-raw"), [](EventAuditRow &row) { row.rawMessage.clear(); });
    add(first, QString(), [](EventAuditRow &) {});
    add(first, QString(), [](EventAuditRow &) {});
    add(first, QStringLiteral("c-large"),
        [](EventAuditRow &row) { row.rawMessage = QString(4 * 1024 * 1024, QLatin1Char('a')); });
    add(second, QStringLiteral("c-1"), [](EventAuditRow &row) { row.hostname = QStringLiteral("next batch"); });
    add(second, QStringLiteral("c-year-1"),
        [](EventAuditRow &row) { row.eventTimestamp = QDateTime(QDate(1, 1, 1), QTime(0, 0, 0, 1), Qt::UTC); });
    add(second, QStringLiteral("c-year-9999"), [](EventAuditRow &row) {
        row.eventTimestamp = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    });
    add(second, QStringLiteral("c-offset"), [](EventAuditRow &row) {
        row.eventTimestamp = QDateTime(QDate(2025, 1, 1), QTime(1, 30), QTimeZone(5 * 3600 + 1800));
    });
    add(second, QStringLiteral("c-negative-offset"), [](EventAuditRow &row) {
        row.eventTimestamp = QDateTime(QDate(9999, 12, 31), QTime(22, 0), QTimeZone(-3 * 3600));
    });

    const SqliteDialect dialect(m_path);
    QList<QStringList> stored;
    for (const bool driverHandle : {false, true}) {
        const QString path = m_dir->filePath(driverHandle ? QStringLiteral("handle.db") : QStringLiteral("qtsql.db"));
        {
            auto opened = SqliteSqlStore::open(path);
            QVERIFY(opened);
            QVERIFY(opened.value()->migrate());
            QCOMPARE(opened.value()->createRule(sampleRule(), AuditContext {}).value(), 1);
        }
        const QString name = driverHandle ? QStringLiteral("handle") : QStringLiteral("qtsql");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA foreign_keys = ON"));
            for (const QList<EventAuditRow> &batch : {first, second}) {
                QVERIFY(db.transaction());
                auto written = driverHandle ? insertEventAuditRows(sqliteHandle(db), dialect, batch)
                                            : EventAuditTable::insertInChunks(db, dialect, batch, 10);
                QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
                QCOMPARE(written.value(), batch.size() - 1);  // one duplicate correlation id per batch
                QVERIFY(db.commit());
            }
            stored.append(storedAuditRows(name));
        }
        QSqlDatabase::removeDatabase(name);
    }

    QCOMPARE(stored.at(0).size(), first.size() + second.size() - 2);
    for (qsizetype i = 0; i < stored.at(0).size(); ++i)
        QCOMPARE(stored.at(1).at(i).left(400), stored.at(0).at(i).left(400));
    QCOMPARE(stored.at(1), stored.at(0));
}

void TestSqliteSqlStore::lockedAuditWriteIsTimeout()
{
    auto opened = SqliteSqlStore::open(m_path);
    QVERIFY(opened);
    SqliteSqlStore &store = *opened.value();
    QVERIFY(store.migrate());
    QCOMPARE(store.createRule(sampleRule(), AuditContext {}).value(), 1);

    EventAuditRow row;
    row.eventTimestamp = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22), Qt::UTC);
    row.hostname = QStringLiteral("router1");
    row.matchedRuleId = 1;
    row.handlingDecision = QStringLiteral("Ticket_only");
    row.correlationId = QStringLiteral("c-locked");

    // A deferred transaction takes the write lock at the insert's first
    // step, so the driver-handle insert itself meets the other writer.
    const SqliteDialect dialect(m_path);
    const QString name = QStringLiteral("deferred");
    {
        RawConnection holder(m_path);
        QVERIFY(holder.exec(QStringLiteral("BEGIN IMMEDIATE")));

        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=50"));
        QVERIFY(db.open());
        QVERIFY(db.transaction());
        auto blocked = insertEventAuditRows(sqliteHandle(db), dialect, {row});
        QVERIFY(!blocked);
        QCOMPARE(blocked.error().code, ErrorCode::Timeout);
        QVERIFY(db.rollback());

        QVERIFY(holder.exec(QStringLiteral("ROLLBACK")));
        QVERIFY(store.writeEventAudit({row}));
        QCOMPARE(holder.scalar(QStringLiteral("SELECT COUNT(*) FROM event_audit_log")).toInt(), 1);
    }
    QSqlDatabase::removeDatabase(name);
}

QTEST_GUILESS_MAIN(TestSqliteSqlStore)
#include "tst_sqlitesqlstore.moc"
