// SqlStore conformance, part 2: event audit (idempotent batches, paging,
// filters), config audit queries and writes, and concurrent writers.

#include "SqlTestBackend.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

using namespace mutt;
using namespace mutt::sql;

namespace {

const QDateTime kBase = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 123), Qt::UTC);

EventAuditRow makeEvent(qint64 ruleId, const QString &correlationId, int secondsAfterBase = 0,
    const QString &hostname = QStringLiteral("router1.prod.example.com"))
{
    EventAuditRow row;
    row.eventTimestamp = kBase.addSecs(secondsAfterBase);
    row.hostname = hostname;
    row.matchedRuleId = ruleId;
    row.handlingDecision = QStringLiteral("Ticket_only");
    row.forwardedToMoog = true;
    row.rawMessage = QStringLiteral(R"({"message":"ERROR link down"})");
    row.correlationId = correlationId;
    return row;
}

ConfigAuditRow makeConfigRow(const QString &changedBy, const QString &operation, const QString &table, qint64 recordId,
    const QDateTime &changedAt)
{
    ConfigAuditRow row;
    row.changedAt = changedAt;
    row.changedBy = changedBy;
    row.operation = operation;
    row.tableName = table;
    row.recordId = recordId;
    row.oldValues = QJsonObject {{QStringLiteral("value"), 1}};
    row.newValues = QJsonObject {{QStringLiteral("value"), 2}};
    row.reason = QStringLiteral("test");
    return row;
}

}  // namespace

class TestSqlStoreAudit final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void eventAuditIsIdempotentAcrossCalls();
    void eventAuditIsIdempotentWithinBatch();
    void largeBatchSkipsDuplicatesAcrossChunks();
    void eventRowsWithoutCorrelationIdAreAllKept();
    void eventAuditRoundTripsFields();
    void eventAuditForUnknownRuleConflicts();
    void invalidEventRowIsRejected_data();
    void invalidEventRowIsRejected();
    void eventAuditPagesNewestFirst();
    void eventAuditFilters();
    void badPagingIsRejected_data();
    void badPagingIsRejected();
    void configAuditFilters();
    void configAuditRejectsUnknownOperation();
    void invalidConfigAuditRowIsRejected_data();
    void invalidConfigAuditRowIsRejected();
    void concurrentWritersEachUseTheirConnection();
    void latestConfigChangeFollowsChanges();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqlStore> m_store;
    qint64 m_ruleA = 0;
    qint64 m_ruleB = 0;
};

void TestSqlStoreAudit::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    SqlTestBackend backend = openTestSqlStore(m_dir->path());
    if (!backend.skipReason.isEmpty())
        QSKIP(qPrintable(backend.skipReason));
    QVERIFY2(backend.store, qPrintable(backend.error));
    m_store = std::move(backend.store);

    auto ruleA = m_store->createRule(makeRule(QStringLiteral("ERROR"), 20), makeAudit());
    auto ruleB = m_store->createRule(makeRule(QStringLiteral("CRITICAL"), 10), makeAudit());
    QVERIFY(ruleA);
    QVERIFY(ruleB);
    m_ruleA = ruleA.value();
    m_ruleB = ruleB.value();
}

void TestSqlStoreAudit::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestSqlStoreAudit::eventAuditIsIdempotentAcrossCalls()
{
    const QList<EventAuditRow> batch {makeEvent(m_ruleA, QStringLiteral("c-1")),
        makeEvent(m_ruleA, QStringLiteral("c-2")), makeEvent(m_ruleB, QStringLiteral("c-3"))};

    QVERIFY(m_store->writeEventAudit(batch));
    QVERIFY(m_store->writeEventAudit(batch));
    QVERIFY(m_store->writeEventAudit(
        {makeEvent(m_ruleA, QStringLiteral("c-2")), makeEvent(m_ruleA, QStringLiteral("c-4"))}));

    QCOMPARE(m_store->countEventAudit().value(), qint64(4));
}

void TestSqlStoreAudit::eventAuditIsIdempotentWithinBatch()
{
    QVERIFY(m_store->writeEventAudit({makeEvent(m_ruleA, QStringLiteral("dup")),
        makeEvent(m_ruleB, QStringLiteral("dup")), makeEvent(m_ruleA, QStringLiteral("other"))}));

    QCOMPARE(m_store->countEventAudit().value(), qint64(2));
    EventAuditQuery query;
    query.ruleId = m_ruleB;
    QCOMPARE(m_store->queryEventAudit(query).value().total, qint64(0));
}

// 250 rows span three INSERT statements of up to 100 rows each.
void TestSqlStoreAudit::largeBatchSkipsDuplicatesAcrossChunks()
{
    QVERIFY(m_store->writeEventAudit({makeEvent(m_ruleA, QStringLiteral("big-7"))}));

    QList<EventAuditRow> batch;
    for (int i = 0; i < 250; ++i)
        batch.append(makeEvent(m_ruleA, QStringLiteral("big-%1").arg(i)));
    batch[5] = makeEvent(m_ruleB, QStringLiteral("big-2"));  // repeats row 2, in the same statement
    batch[120] = makeEvent(m_ruleB, QStringLiteral("big-3"));  // repeats row 3, in a later statement
    batch[240] = makeEvent(m_ruleB, QStringLiteral("big-130"));  // repeats row 130, in a later statement
    batch[241] = makeEvent(m_ruleA, QString());  // no correlation id: never a duplicate
    QVERIFY(m_store->writeEventAudit(batch));

    // 250 rows, minus the three repeats and "big-7", which was already stored.
    QCOMPARE(m_store->countEventAudit().value(), qint64(1 + 250 - 4));
    EventAuditQuery query;
    query.ruleId = m_ruleB;
    QCOMPARE(m_store->queryEventAudit(query).value().total, qint64(0));

    QVERIFY(m_store->writeEventAudit(batch));
    QCOMPARE(m_store->countEventAudit().value(), qint64(1 + 250 - 4 + 1));
}

void TestSqlStoreAudit::eventRowsWithoutCorrelationIdAreAllKept()
{
    QVERIFY(m_store->writeEventAudit({makeEvent(m_ruleA, QString()), makeEvent(m_ruleA, QString())}));
    QVERIFY(m_store->writeEventAudit({makeEvent(m_ruleA, QString())}));

    QCOMPARE(m_store->countEventAudit().value(), qint64(3));
}

void TestSqlStoreAudit::eventAuditRoundTripsFields()
{
    EventAuditRow row = makeEvent(m_ruleB, QStringLiteral("round-trip"));
    row.eventTimestamp = QDateTime(QDate(2025, 11, 3), QTime(9, 15, 0, 456), QTimeZone(7200));
    row.forwardedToMoog = false;
    row.handlingDecision = QStringLiteral("Ignore");
    QVERIFY(m_store->writeEventAudit({row}));

    auto page = m_store->queryEventAudit({});
    QVERIFY(page);
    QCOMPARE(page.value().rows.size(), 1);
    const EventAuditRow &stored = page.value().rows.at(0);
    QVERIFY(stored.id > 0);
    QCOMPARE(stored.eventTimestamp, row.eventTimestamp);
    QCOMPARE(stored.eventTimestamp.timeSpec(), Qt::UTC);
    QCOMPARE(stored.eventTimestamp.time(), QTime(7, 15, 0, 456));
    QCOMPARE(stored.hostname, row.hostname);
    QCOMPARE(stored.matchedRuleId, m_ruleB);
    QCOMPARE(stored.handlingDecision, QStringLiteral("Ignore"));
    QCOMPARE(stored.forwardedToMoog, false);
    QCOMPARE(stored.rawMessage, row.rawMessage);
    QCOMPARE(stored.correlationId, QStringLiteral("round-trip"));
}

void TestSqlStoreAudit::eventAuditForUnknownRuleConflicts()
{
    auto written
        = m_store->writeEventAudit({makeEvent(m_ruleA, QStringLiteral("ok")), makeEvent(9999, QStringLiteral("bad"))});

    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::Conflict);
    QVERIFY2(written.error().message.contains(QStringLiteral("9999")), qPrintable(written.error().message));
    QCOMPARE(m_store->countEventAudit().value(), qint64(0));
}

void TestSqlStoreAudit::invalidEventRowIsRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    QTest::newRow("no timestamp") << "event_timestamp"
                                  << "rows[1].event_timestamp must be a valid date";
    QTest::newRow("empty hostname") << "hostname"
                                    << "rows[1].hostname is required";
    QTest::newRow("rule id 0") << "matched_rule_id"
                               << "rows[1].matched_rule_id must be the positive id";
    QTest::newRow("empty decision") << "handling_decision"
                                    << "rows[1].handling_decision must be 1 to 100 characters";
}

void TestSqlStoreAudit::invalidEventRowIsRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, message);
    EventAuditRow bad = makeEvent(m_ruleA, QStringLiteral("bad"));
    if (field == QStringLiteral("event_timestamp"))
        bad.eventTimestamp = QDateTime();
    else if (field == QStringLiteral("hostname"))
        bad.hostname.clear();
    else if (field == QStringLiteral("matched_rule_id"))
        bad.matchedRuleId = 0;
    else
        bad.handlingDecision.clear();

    auto written = m_store->writeEventAudit({makeEvent(m_ruleA, QStringLiteral("good")), bad});

    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::InvalidInput);
    QVERIFY2(written.error().message.startsWith(message), qPrintable(written.error().message));
    QCOMPARE(m_store->countEventAudit().value(), qint64(0));
}

void TestSqlStoreAudit::eventAuditPagesNewestFirst()
{
    QList<EventAuditRow> rows;
    for (int i = 0; i < 25; ++i)
        rows.append(makeEvent(m_ruleA, QStringLiteral("p-%1").arg(i), i * 60));
    QVERIFY(m_store->writeEventAudit(rows));

    EventAuditQuery query;
    query.limit = 10;
    auto first = m_store->queryEventAudit(query);
    query.page = 3;
    auto third = m_store->queryEventAudit(query);
    query.page = 4;
    auto beyond = m_store->queryEventAudit(query);

    QVERIFY(first);
    QCOMPARE(first.value().total, qint64(25));
    QCOMPARE(first.value().page, 1);
    QCOMPARE(first.value().limit, 10);
    QCOMPARE(first.value().rows.size(), 10);
    QCOMPARE(first.value().rows.at(0).correlationId, QStringLiteral("p-24"));
    QCOMPARE(first.value().rows.at(9).correlationId, QStringLiteral("p-15"));
    QVERIFY(third);
    QCOMPARE(third.value().rows.size(), 5);
    QCOMPARE(third.value().rows.at(4).correlationId, QStringLiteral("p-0"));
    QVERIFY(beyond);
    QCOMPARE(beyond.value().rows.size(), 0);
    QCOMPARE(beyond.value().total, qint64(25));
}

void TestSqlStoreAudit::eventAuditFilters()
{
    const QString edge = QStringLiteral("edge1.prod.example.com");
    QVERIFY(m_store->writeEventAudit(
        {makeEvent(m_ruleA, QStringLiteral("f-0"), 0), makeEvent(m_ruleA, QStringLiteral("f-1"), 60, edge),
            makeEvent(m_ruleB, QStringLiteral("f-2"), 120, edge), makeEvent(m_ruleB, QStringLiteral("f-3"), 180)}));

    EventAuditQuery byHost;
    byHost.hostname = edge;
    EventAuditQuery byRule;
    byRule.ruleId = m_ruleB;
    EventAuditQuery byTime;  // inclusive on both ends
    byTime.start = kBase.addSecs(60);
    byTime.end = kBase.addSecs(120);
    EventAuditQuery combined = byTime;
    combined.ruleId = m_ruleA;

    QCOMPARE(m_store->queryEventAudit(byHost).value().total, qint64(2));
    QCOMPARE(m_store->queryEventAudit(byRule).value().total, qint64(2));
    const auto timed = m_store->queryEventAudit(byTime).value();
    QCOMPARE(timed.total, qint64(2));
    QCOMPARE(timed.rows.at(0).correlationId, QStringLiteral("f-2"));
    QCOMPARE(timed.rows.at(1).correlationId, QStringLiteral("f-1"));
    QCOMPARE(m_store->queryEventAudit(combined).value().rows.size(), 1);
}

void TestSqlStoreAudit::badPagingIsRejected_data()
{
    QTest::addColumn<int>("page");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QString>("message");

    QTest::newRow("page 0") << 0 << 50 << "page must be 1 or more; got 0";
    QTest::newRow("limit 0") << 1 << 0 << "limit must be between 1 and 1000; got 0";
    QTest::newRow("limit 1001") << 1 << 1001 << "limit must be between 1 and 1000; got 1001";
}

void TestSqlStoreAudit::badPagingIsRejected()
{
    QFETCH(int, page);
    QFETCH(int, limit);
    QFETCH(QString, message);
    EventAuditQuery events;
    events.page = page;
    events.limit = limit;
    ConfigAuditQuery configs;
    configs.page = page;
    configs.limit = limit;

    auto eventPage = m_store->queryEventAudit(events);
    auto configPage = m_store->queryConfigAudit(configs);

    QVERIFY(!eventPage);
    QCOMPARE(eventPage.error().code, ErrorCode::InvalidInput);
    QCOMPARE(eventPage.error().message, message);
    QVERIFY(!configPage);
    QCOMPARE(configPage.error().code, ErrorCode::InvalidInput);
}

void TestSqlStoreAudit::configAuditFilters()
{
    const QDateTime day = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);
    QVERIFY(m_store->writeConfigAudit(makeConfigRow(
        QStringLiteral("webui_session_user_alice"), QStringLiteral("UPDATE"), QStringLiteral("alert_rules"), 1, day)));
    QVERIFY(m_store->writeConfigAudit(makeConfigRow(QStringLiteral("automation_service"), QStringLiteral("UPDATE"),
        QStringLiteral("dynamic_config"), 77, day.addSecs(60))));
    QVERIFY(m_store->writeConfigAudit(makeConfigRow(QStringLiteral("admin_api_key"), QStringLiteral("DELETE"),
        QStringLiteral("alert_rules"), 99, day.addSecs(120))));

    ConfigAuditQuery byUser;
    byUser.changedBy = QStringLiteral("ALICE");
    ConfigAuditQuery byOperation;
    byOperation.operation = QStringLiteral("update");
    byOperation.start = day;
    ConfigAuditQuery byTable;
    byTable.tableName = QStringLiteral("alert_rules");
    byTable.start = day;
    byTable.end = day.addSecs(3600);  // leaves out the CREATE rows of init(), stamped now
    ConfigAuditQuery byRecord;
    byRecord.recordId = 77;
    ConfigAuditQuery byWindow;
    byWindow.start = day.addSecs(60);
    byWindow.end = day.addSecs(120);
    ConfigAuditQuery wildcard;
    wildcard.changedBy = QStringLiteral("_");

    const auto users = m_store->queryConfigAudit(byUser).value();
    QCOMPARE(users.total, qint64(1));
    QCOMPARE(users.rows.at(0).changedBy, QStringLiteral("webui_session_user_alice"));
    QCOMPARE(m_store->queryConfigAudit(byOperation).value().total, qint64(2));
    const auto tables = m_store->queryConfigAudit(byTable).value();
    QCOMPARE(tables.total, qint64(2));
    QCOMPARE(tables.rows.at(0).recordId, qint64(99));
    QVERIFY(!tables.rows.at(0).newValues);
    QCOMPARE(tables.rows.at(1).changedAt, day);
    QCOMPARE(m_store->queryConfigAudit(byRecord).value().rows.at(0).tableName, QStringLiteral("dynamic_config"));
    QCOMPARE(m_store->queryConfigAudit(byWindow).value().total, qint64(2));
    QCOMPARE(m_store->queryConfigAudit(wildcard).value().total, qint64(3));
}

void TestSqlStoreAudit::configAuditRejectsUnknownOperation()
{
    ConfigAuditQuery query;
    query.operation = QStringLiteral("MERGE");

    auto page = m_store->queryConfigAudit(query);

    QVERIFY(!page);
    QCOMPARE(page.error().code, ErrorCode::InvalidInput);
    QVERIFY(page.error().message.startsWith(QStringLiteral("operation must be one of CREATE, UPDATE, DELETE")));
}

void TestSqlStoreAudit::invalidConfigAuditRowIsRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    QTest::newRow("operation") << "operation"
                               << "operation must be one of CREATE, UPDATE, DELETE";
    QTest::newRow("record id") << "record_id"
                               << "record_id must be a positive integer; got 0";
    QTest::newRow("changed by") << "changed_by"
                                << "changed_by is required";
    QTest::newRow("table name") << "table_name"
                                << "table_name must be 1 to 50 characters";
    QTest::newRow("update without old") << "old_values"
                                        << "an UPDATE audit row needs old_values and new_values";
}

void TestSqlStoreAudit::invalidConfigAuditRowIsRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, message);
    ConfigAuditRow row = makeConfigRow(QStringLiteral("admin"), QStringLiteral("UPDATE"),
        QStringLiteral("dynamic_config"), 5, QDateTime::currentDateTimeUtc());
    if (field == QStringLiteral("operation"))
        row.operation = QStringLiteral("update");
    else if (field == QStringLiteral("record_id"))
        row.recordId = 0;
    else if (field == QStringLiteral("changed_by"))
        row.changedBy.clear();
    else if (field == QStringLiteral("table_name"))
        row.tableName = QString(51, QLatin1Char('t'));
    else
        row.oldValues.reset();
    const qint64 before = m_store->queryConfigAudit({}).value().total;

    auto written = m_store->writeConfigAudit(row);

    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::InvalidInput);
    QVERIFY2(written.error().message.startsWith(message), qPrintable(written.error().message));
    QCOMPARE(m_store->queryConfigAudit({}).value().total, before);
}

void TestSqlStoreAudit::concurrentWritersEachUseTheirConnection()
{
    constexpr int kThreads = 4;
    constexpr int kRounds = 10;
    constexpr int kBatch = 5;
    std::atomic<int> failures {0};
    QStringList errors;
    std::mutex errorsMutex;

    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            const auto fail = [&](const QString &text) {
                ++failures;
                std::lock_guard lock(errorsMutex);
                errors.append(text);
            };
            for (int round = 0; round < kRounds; ++round) {
                auto id = m_store->createRule(makeRule(QStringLiteral("t%1-r%2").arg(t).arg(round), t * 100 + round),
                    makeAudit(QStringLiteral("writer-%1").arg(t), QString()));
                if (!id) {
                    fail(id.error().toString());
                    continue;
                }
                QList<EventAuditRow> batch;
                for (int i = 0; i < kBatch; ++i)
                    batch.append(makeEvent(id.value(), QStringLiteral("t%1-r%2-e%3").arg(t).arg(round).arg(i), i));
                batch.append(makeEvent(m_ruleA, QStringLiteral("shared-%1").arg(round)));  // every thread writes it
                if (auto written = m_store->writeEventAudit(batch); !written)
                    fail(written.error().toString());
                if (auto read = m_store->listRules(); !read)
                    fail(read.error().toString());
            }
        }));
    }
    for (const auto &thread : threads)
        thread->start();
    for (const auto &thread : threads)
        QVERIFY(thread->wait(QDeadlineTimer(50000)));

    QVERIFY2(failures.load() == 0, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(m_store->listRules().value().size(), 2 + kThreads * kRounds);
    QCOMPARE(m_store->countEventAudit().value(), qint64(kThreads * kRounds * kBatch + kRounds));
    ConfigAuditQuery creates;
    creates.changedBy = QStringLiteral("writer-");
    QCOMPARE(m_store->queryConfigAudit(creates).value().total, qint64(kThreads * kRounds));
}

void TestSqlStoreAudit::latestConfigChangeFollowsChanges()
{
    // init() created two rules, each with an audit row.
    const auto before = m_store->latestConfigChange();
    QVERIFY(before);
    QVERIFY(before.value() > 0);

    QVERIFY(m_store->writeEventAudit({makeEvent(m_ruleA, QStringLiteral("not-a-config-change"))}));
    QCOMPARE(m_store->latestConfigChange().value(), before.value());

    QVERIFY(m_store->createRule(makeRule(QStringLiteral("WARNING"), 30), makeAudit()));
    const auto after = m_store->latestConfigChange();
    QVERIFY(after);
    QVERIFY(after.value() > before.value());
}

QTEST_GUILESS_MAIN(TestSqlStoreAudit)
#include "tst_sqlstore_audit.moc"
