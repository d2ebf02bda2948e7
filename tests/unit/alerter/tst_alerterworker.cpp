#include "alerter/AlerterWorker.h"
#include "alerter/RuleSet.h"
#include "config/Settings.h"
#include "core/Log.h"
#include "event/Event.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"
#include "sql/SeedBundle.h"
#include "sql/SqliteSqlStore.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <spdlog/sinks/ringbuffer_sink.h>

#include <algorithm>
#include <memory>

using mutt::alerter::AlerterWorker;
using mutt::queue::EmbeddedStore;
using mutt::queue::Op;
namespace keys = mutt::queue::keys;

namespace {

constexpr int kWaitMs = 20000;
const QString kPod = QStringLiteral("test-pod");

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject &value)
{
    return QJsonDocument(value).toJson(QJsonDocument::Compact);
}

QByteArray eventJson(const QString &hostname, const QString &message, const QString &correlationId = {})
{
    return compact({{QStringLiteral("hostname"), hostname}, {QStringLiteral("message"), message},
        {QStringLiteral("timestamp"), QStringLiteral("2025-01-15T14:30:22Z")}, {QStringLiteral("syslog_severity"), 3},
        {QStringLiteral("_correlation_id"),
            correlationId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : correlationId}});
}

// The demo syslog file as the ingestor queues it: each element with a
// correlation id and receive time.
QList<QByteArray> demoSyslogItems()
{
    QFile file(QStringLiteral(MUTT_SHARED_DATA_DIR "/reference-demo/demo_syslog_events.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    QList<QByteArray> items;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
    for (const auto &value : array) {
        QJsonObject event = value.toObject();
        event.insert(QStringLiteral("_correlation_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
        event.insert(QStringLiteral("_received_at"), QStringLiteral("2025-11-11T16:34:51.000Z"));
        items.append(compact(event));
    }
    return items;
}

// Holds the write lock of an SQLite file from a second connection, as another
// writer or a stuck transaction would.
class WriteLock final {
public:
    explicit WriteLock(const QString &path) : m_name(QStringLiteral("tst-lock-") + path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_locked = db.open() && QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"));
    }
    ~WriteLock() { release(); }
    WriteLock(const WriteLock &) = delete;
    WriteLock &operator=(const WriteLock &) = delete;

    [[nodiscard]] bool locked() const { return m_locked; }

    void release()
    {
        if (!QSqlDatabase::contains(m_name))
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name);
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
        m_locked = false;
    }

private:
    QString m_name;
    bool m_locked = false;
};

}  // namespace

class TestAlerterWorker final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void demoSyslog_data();
    void demoSyslog();
    void alertItemFields();
    void devHostSuppressed();
    void badInputToDlq_data();
    void badInputToDlq();
    void metaAlertOnce();
    void auditIdempotent();
    void correlationIdDerived();
    void sqlFailureRetriesThenDlq();
    void sqlFailureRecovers();
    void commitFailureReprocessed();
    void unhandledCountedOnce();
    void nextBatchClaimedWhileCommitting();
    void deferWhileAlertQueueDeep();
    void deferEndsWhenAlertQueueDrains();
    void backlogInGrowingClaims();
    void shedToDlq();
    void janitorRecoversOrphans();
    void stopReturnsClaimed();
    void strayItemsProcessed();
    void reloadPicksUpNewRule();
    void heartbeatWritten();

private:
    void startWorker();
    void push(const QList<QByteArray> &items, const QString &queue = {});
    qint64 length(const QString &key);
    qint64 counter(const QString &key);
    QList<QByteArray> items(const QString &key);
    double metric(const char *name, const char *label = nullptr, const char *value = nullptr) const;
    qint64 histogramCount(const char *name) const;
    bool drained();
    // Opens the queue store again with a 200 ms busy timeout, so that a
    // test's WriteLock makes store writes fail soon.
    bool reopenQueueWithShortBusyTimeout();
    void renameTable(const QString &from, const QString &to);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<EmbeddedStore> m_queue;
    std::unique_ptr<mutt::sql::SqliteSqlStore> m_sql;
    std::unique_ptr<mutt::metrics::MetricsRegistry> m_metrics;
    std::unique_ptr<AlerterWorker> m_worker;
    mutt::config::Settings m_settings;
};

void TestAlerterWorker::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());

    auto queue = EmbeddedStore::open(m_dir->filePath(QStringLiteral("queue.db")));
    QVERIFY2(queue.ok(), qPrintable(queue.ok() ? QString() : queue.error().toString()));
    m_queue = std::move(queue).value();

    auto sql = mutt::sql::SqliteSqlStore::open(m_dir->filePath(QStringLiteral("mutt.db")));
    QVERIFY2(sql.ok(), qPrintable(sql.ok() ? QString() : sql.error().toString()));
    m_sql = std::move(sql).value();
    QVERIFY(m_sql->migrate().ok());
    const auto seed = mutt::sql::loadMuttV25Seed();
    QVERIFY(seed.ok());
    QVERIFY(m_sql->importBundle(seed.value(), {}).ok());

    m_metrics = std::make_unique<mutt::metrics::MetricsRegistry>();
    m_settings = {};
    m_settings.brpoplpushTimeout = 1;
}

void TestAlerterWorker::cleanup()
{
    m_worker.reset();
    m_sql.reset();
    m_queue.reset();
    m_metrics.reset();
    m_dir.reset();
}

void TestAlerterWorker::startWorker()
{
    m_worker = std::make_unique<AlerterWorker>(m_settings, *m_queue, *m_queue, *m_sql, *m_metrics, kPod);
    QVERIFY(m_worker->start().ok());
}

void TestAlerterWorker::push(const QList<QByteArray> &values, const QString &queue)
{
    QVERIFY(m_queue->apply({Op::pushHead(queue.isEmpty() ? m_settings.ingestQueue : queue, values)}).ok());
}

qint64 TestAlerterWorker::length(const QString &key)
{
    return m_queue->length(key).valueOr(-1);
}

qint64 TestAlerterWorker::counter(const QString &key)
{
    return m_queue->counter(key).valueOr(-1);
}

QList<QByteArray> TestAlerterWorker::items(const QString &key)
{
    return m_queue->range(key, 0, -1).valueOr({});
}

double TestAlerterWorker::metric(const char *name, const char *label, const char *value) const
{
    mutt::metrics::Labels labels;
    if (label)
        labels.append({QLatin1StringView(label), QLatin1StringView(value)});
    return m_metrics->valueOf(QLatin1StringView(name), labels);
}

qint64 TestAlerterWorker::histogramCount(const char *name) const
{
    const QByteArray prefix = QByteArray(name) + "_count ";
    for (const QByteArray &line : m_metrics->exposition().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toLongLong();
    }
    return 0;
}

// Reads the ingest queue before the processing lists. Items move in that
// order, so a claim between the two reads cannot make a busy worker look idle.
bool TestAlerterWorker::reopenQueueWithShortBusyTimeout()
{
    const QString queuePath = m_queue->path();
    m_queue.reset();
    mutt::queue::EmbeddedStoreOptions options;
    options.busyTimeout = std::chrono::milliseconds(200);
    auto reopened = EmbeddedStore::open(queuePath, options);
    if (!reopened.ok())
        return false;
    m_queue = std::move(reopened).value();
    return true;
}

bool TestAlerterWorker::drained()
{
    if (length(m_settings.ingestQueue) != 0)
        return false;
    for (const QString &list : m_worker->processingLists()) {
        if (length(list) != 0)
            return false;
    }
    return true;
}

// Breaks or repairs the SQL store from outside, as a DBA or a full disk would.
void TestAlerterWorker::renameTable(const QString &from, const QString &to)
{
    const QString name = QStringLiteral("tst-alerter-dba");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_sql->path());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY2(query.exec(QStringLiteral("ALTER TABLE %1 RENAME TO %2").arg(from, to)),
            qPrintable(query.lastError().text()));
    }
    QSqlDatabase::removeDatabase(name);
}

void TestAlerterWorker::demoSyslog_data()
{
    QTest::addColumn<int>("lanes");

    QTest::newRow("one lane") << 1;
    QTest::newRow("three lanes") << 3;
}

void TestAlerterWorker::demoSyslog()
{
    QFETCH(int, lanes);
    m_settings.alerterWorkers = lanes;
    m_settings.alerterBatchSize = 50;
    const QList<QByteArray> events = demoSyslogItems();
    push(events);

    startWorker();

    QCOMPARE(m_worker->processingLists().size(), lanes);
    if (lanes > 1) {
        // Lane names carry '#N', which no pod name may contain, so they never equal another pod's list.
        QCOMPARE(m_worker->processingLists().constLast(),
            m_settings.alerterProcessingPrefix + u':' + kPod + u'#' + QString::number(lanes));
    }
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(counter(keys::statUnhandled) + length(m_settings.alertQueue), qint64(330), kWaitMs);
    QCOMPARE(events.size(), 330);
    QCOMPARE(length(m_settings.alertQueue), qint64(30));
    QCOMPARE(counter(keys::statUnhandled), qint64(300));
    QCOMPARE(counter(keys::statSuppressed), qint64(0));
    QCOMPARE(counter(keys::statGenerated), qint64(0));
    QCOMPARE(length(m_settings.alerterDlq), qint64(0));
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(30));
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "handled"), 30.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "unhandled"), 300.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_alerts_forwarded_total"), 30.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_cache_rules_count"), 5.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_cache_dev_hosts_count"), 3.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_cache_teams_count"), 4.0, kWaitMs);
}

void TestAlerterWorker::alertItemFields()
{
    push({eventJson(QStringLiteral("core1.example.com"), QStringLiteral("%BGP-3-NOTIFICATION: Unspecified Error"),
        QStringLiteral("corr-1"))});

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);
    const QJsonObject alert = object(items(m_settings.alertQueue).first());
    QCOMPARE(alert.value(u"hostname").toString(), QStringLiteral("core1.example.com"));
    QCOMPARE(alert.value(u"team_assignment").toString(), QStringLiteral("NETO"));
    QCOMPARE(alert.value(u"severity").toString(), QStringLiteral("Major"));
    QCOMPARE(alert.value(u"message_body").toString(), QStringLiteral("%BGP-3-NOTIFICATION: Unspecified Error"));
    QCOMPARE(alert.value(u"_correlation_id").toString(), QStringLiteral("corr-1"));
    QCOMPARE(alert.value(u"rule_id").toInteger(), 2);
    QCOMPARE(alert.value(u"handling").toString(), QStringLiteral("Ticket_only"));
    QCOMPARE(alert.value(u"signature").toString(), QStringLiteral("core1.example.com::2"));
    QCOMPARE(alert.value(u"raw_json").toObject().value(u"_correlation_id").toString(), QStringLiteral("corr-1"));
    QVERIFY(!alert.contains(u"api_key"));
    const auto page = m_sql->queryEventAudit({});
    QVERIFY(page.ok());
    QCOMPARE(page.value().rows.size(), 1);
    QCOMPARE(page.value().rows.first().correlationId, QStringLiteral("corr-1"));
    QCOMPARE(page.value().rows.first().matchedRuleId, 2);
    QVERIFY(page.value().rows.first().forwardedToMoog);
}

void TestAlerterWorker::devHostSuppressed()
{
    push({eventJson(QStringLiteral("dev-router1"), QStringLiteral("ERROR: fan tray"))});

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(counter(keys::statSuppressed), qint64(1), kWaitMs);
    QVERIFY(drained());
    QCOMPARE(length(m_settings.alertQueue), qint64(0));
    const auto page = m_sql->queryEventAudit({});
    QVERIFY(page.ok());
    QCOMPARE(page.value().rows.size(), 1);
    QCOMPARE(page.value().rows.first().handlingDecision, QStringLiteral("Ignore"));
    QVERIFY(!page.value().rows.first().forwardedToMoog);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "handled"), 1.0, kWaitMs);
}

void TestAlerterWorker::badInputToDlq_data()
{
    QTest::addColumn<QByteArray>("item");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("status");

    const QByteArray ok = eventJson(QStringLiteral("h1"), QStringLiteral("ERROR x"), QStringLiteral("c1"));
    QJsonObject poison = object(ok);
    poison.insert(QStringLiteral("_retry_count"), 4);
    QJsonObject textCount = object(ok);
    textCount.insert(QStringLiteral("_retry_count"), QStringLiteral("two"));
    QJsonObject noHost = object(ok);
    noHost.remove(QStringLiteral("hostname"));
    QJsonObject blankMessage = object(ok);
    blankMessage.insert(QStringLiteral("message"), QStringLiteral("  "));
    QJsonObject noTimestamp = object(ok);
    noTimestamp.remove(QStringLiteral("timestamp"));
    QJsonObject badTimestamp = object(ok);
    badTimestamp.insert(QStringLiteral("timestamp"), QStringLiteral("yesterday"));

    QTest::newRow("not JSON") << QByteArray("{\"hostname\": ") << "invalid JSON: "
                              << "error";
    QTest::newRow("not an object") << QByteArray("[1,2]") << "invalid JSON: JSON must be an object"
                                   << "error";
    QTest::newRow("retry limit") << compact(poison) << "_retry_count 4 exceeds ALERTER_MAX_RETRIES 3"
                                 << "poison";
    QTest::newRow("retry count text") << compact(textCount) << "_retry_count two is not a non-negative integer"
                                      << "poison";
    QTest::newRow("no hostname") << compact(noHost) << "missing field hostname"
                                 << "error";
    QTest::newRow("blank message") << compact(blankMessage) << "missing field message"
                                   << "error";
    QTest::newRow("no timestamp") << compact(noTimestamp) << "missing field timestamp"
                                  << "error";
    QTest::newRow("bad timestamp") << compact(badTimestamp) << "invalid timestamp 'yesterday'"
                                   << "error";
}

void TestAlerterWorker::badInputToDlq()
{
    QFETCH(QByteArray, item);
    QFETCH(QString, reason);
    QFETCH(QString, status);
    push({item});

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alerterDlq), qint64(1), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    const QJsonObject entry = object(items(m_settings.alerterDlq).first());
    QVERIFY2(
        entry.value(u"_dlq_reason").toString().startsWith(reason), qPrintable(entry.value(u"_dlq_reason").toString()));
    QCOMPARE(entry.value(u"_dlq_source").toString(), QStringLiteral("alerter"));
    QVERIFY(mutt::event::parseTimestamp(entry.value(u"_dlq_at").toString()).has_value());
    if (reason.startsWith(u"invalid JSON"))
        QCOMPARE(entry.value(u"_dlq_raw").toString().toUtf8(), item);
    else
        QCOMPARE(entry.value(u"_correlation_id").toString(), QStringLiteral("c1"));
    QCOMPARE(length(m_settings.alertQueue), qint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(
        metric("mutt_alerter_events_processed_total", "status", status.toLatin1().constData()), 1.0, kWaitMs);
}

void TestAlerterWorker::metaAlertOnce()
{
    QVERIFY(m_queue->setConfig(QStringLiteral("unhandled_threshold"), QStringLiteral("3")).ok());
    const QString host = QStringLiteral("server1.prod.example.com");
    QList<QByteArray> events;
    for (int i = 0; i < 5; ++i)
        events.append(eventJson(host, QStringLiteral("disk /var at 91%")));
    push(events);

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(counter(keys::statUnhandled), qint64(5), kWaitMs);
    QCOMPARE(length(m_settings.alertQueue), qint64(1));
    QCOMPARE(counter(keys::statGenerated), qint64(1));
    const QJsonObject meta = object(items(m_settings.alertQueue).first());
    QCOMPARE(meta.value(u"hostname").toString(), QStringLiteral("MUTT_Alerter"));
    QCOMPARE(meta.value(u"signature").toString(), QStringLiteral("MUTT_Alerter::") + host);
    QCOMPARE(meta.value(u"team_assignment").toString(), QStringLiteral("SysAdmin"));
    QVERIFY2(meta.value(u"message_body")
                 .toString()
                 .startsWith(u"[MUTT] Detected 3 unhandled messages from '"
                             u"server1.prod.example.com'"),
        qPrintable(meta.value(u"message_body").toString()));
    QVERIFY(meta.value(u"message_body").toString().endsWith(u"Sample message: disk /var at 91%"));
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_unhandled_meta_alerts_total"), 1.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_alerts_forwarded_total"), 1.0, kWaitMs);
}

void TestAlerterWorker::auditIdempotent()
{
    const QByteArray event = eventJson(QStringLiteral("h1"), QStringLiteral("ERROR twice"), QStringLiteral("same"));
    push({event});
    startWorker();
    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);

    push({event});

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(2), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(1));
}

void TestAlerterWorker::correlationIdDerived()
{
    QJsonObject event = object(eventJson(QStringLiteral("h1"), QStringLiteral("ERROR without id")));
    event.remove(QStringLiteral("_correlation_id"));
    push({compact(event), compact(event)});

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(2), kWaitMs);
    const QList<QByteArray> alerts = items(m_settings.alertQueue);
    const QString first = object(alerts[0]).value(u"_correlation_id").toString();
    QVERIFY(!QUuid::fromString(first).isNull());
    QCOMPARE(object(alerts[1]).value(u"_correlation_id").toString(), first);
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(1));
}

void TestAlerterWorker::sqlFailureRetriesThenDlq()
{
    m_settings.alerterMaxRetries = 1;
    renameTable(QStringLiteral("event_audit_log"), QStringLiteral("event_audit_log_offline"));
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR needs audit"), QStringLiteral("c-audit")),
        eventJson(QStringLiteral("h1"), QStringLiteral("nothing to see"))});

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alerterDlq), qint64(1), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    const QJsonObject entry = object(items(m_settings.alerterDlq).first());
    QVERIFY2(entry.value(u"_dlq_reason").toString().startsWith(u"audit write failed after 2 attempts: "),
        qPrintable(entry.value(u"_dlq_reason").toString()));
    QCOMPARE(entry.value(u"_correlation_id").toString(), QStringLiteral("c-audit"));
    QCOMPARE(entry.value(u"_retry_count").toInt(), 1);
    QCOMPARE(counter(keys::statUnhandled), qint64(1));
    QCOMPARE(length(m_settings.alertQueue), qint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "error"), 1.0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "poison"), 1.0, kWaitMs);
}

void TestAlerterWorker::sqlFailureRecovers()
{
    renameTable(QStringLiteral("event_audit_log"), QStringLiteral("event_audit_log_offline"));
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR during outage"), QStringLiteral("c-out"))});
    startWorker();
    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "error") >= 1.0, kWaitMs);

    renameTable(QStringLiteral("event_audit_log_offline"), QStringLiteral("event_audit_log"));

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(1));
    QCOMPARE(length(m_settings.alerterDlq), qint64(0));
    const QJsonObject alert = object(items(m_settings.alertQueue).first());
    QVERIFY(alert.value(u"raw_json").toObject().value(u"_retry_count").toInt() >= 1);
}

void TestAlerterWorker::commitFailureReprocessed()
{
    const QString queuePath = m_queue->path();
    QVERIFY(reopenQueueWithShortBusyTimeout());
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR commit fails"), QStringLiteral("c-commit"))});

    // The SQL lock holds the audit write while the batch is claimed. The
    // queue lock then makes the commit after the audit write fail.
    WriteLock sqlLock(m_sql->path());
    QVERIFY(sqlLock.locked());
    startWorker();
    const QString processing = m_worker->processingLists().first();
    QTRY_COMPARE_WITH_TIMEOUT(length(processing), qint64(1), kWaitMs);
    WriteLock queueLock(queuePath);
    QVERIFY(queueLock.locked());
    sqlLock.release();

    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_commit_failures_total") >= 1.0, kWaitMs);
    QCOMPARE(histogramCount("mutt_db_write_latency_ms"), qint64(1));
    queueLock.release();

    // The second audit write comes from processing the processing list again.
    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);
    QCOMPARE(histogramCount("mutt_db_write_latency_ms"), qint64(2));
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(1));
    QCOMPARE(length(m_settings.alerterDlq), qint64(0));
    QCOMPARE(
        object(items(m_settings.alertQueue).first()).value(u"_correlation_id").toString(), QStringLiteral("c-commit"));
}

// The unhandled counter moves before the batch commits, so a batch processed
// again after a failed commit must reuse the counts it took the first time.
void TestAlerterWorker::unhandledCountedOnce()
{
    const QString queuePath = m_queue->path();
    QVERIFY(reopenQueueWithShortBusyTimeout());
    const QString unhandledKeys = m_settings.unhandledPrefix + QStringLiteral(":h1:");
    const auto unhandledCount = [&]() {
        qint64 total = 0;
        for (const auto &[key, value] : m_queue->counters(unhandledKeys).valueOr({}))
            total += key.endsWith(u":triggered") ? 0 : value;
        return total;
    };
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR needs audit"), QStringLiteral("c-audit")),
        eventJson(QStringLiteral("h1"), QStringLiteral("nothing matches this"), QStringLiteral("c-unhandled"))});

    // The SQL lock stops the batch after its unhandled count. The queue lock
    // then makes its commit fail.
    WriteLock sqlLock(m_sql->path());
    QVERIFY(sqlLock.locked());
    startWorker();
    QTRY_COMPARE_WITH_TIMEOUT(unhandledCount(), qint64(1), kWaitMs);
    WriteLock queueLock(queuePath);
    QVERIFY(queueLock.locked());
    sqlLock.release();
    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_commit_failures_total") >= 1.0, kWaitMs);
    queueLock.release();

    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(counter(keys::statUnhandled), qint64(1), kWaitMs);
    QCOMPARE(unhandledCount(), qint64(1));
    QCOMPARE(length(m_settings.alertQueue), qint64(1));
    QCOMPARE(metric("mutt_alerter_events_processed_total", "status", "unhandled"), 1.0);
}

// The lane claims and plans its next batch while the previous one commits.
// When that commit fails, the batch planned meanwhile is not committed
// either: the lane processes its whole list again, and every event ends in
// the alert queue and the audit log exactly once.
void TestAlerterWorker::nextBatchClaimedWhileCommitting()
{
    const QString queuePath = m_queue->path();
    QVERIFY(reopenQueueWithShortBusyTimeout());
    m_settings.alerterBatchSize = 5;
    QList<QByteArray> events;
    for (int i = 0; i < 15; ++i)
        events.append(eventJson(QStringLiteral("h1"), QStringLiteral("ERROR pipelined %1").arg(i)));
    push(events);

    // The SQL lock holds the first batch's audit write. Meanwhile the lane
    // claims the other ten events (the claim doubles after a full one).
    WriteLock sqlLock(m_sql->path());
    QVERIFY(sqlLock.locked());
    startWorker();
    const QString processing = m_worker->processingLists().first();
    QTRY_COMPARE_WITH_TIMEOUT(length(processing), qint64(15), kWaitMs);
    QCOMPARE(length(m_settings.ingestQueue), qint64(0));

    // The queue lock makes the first batch's apply fail.
    WriteLock queueLock(queuePath);
    QVERIFY(queueLock.locked());
    sqlLock.release();
    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_commit_failures_total") >= 1.0, kWaitMs);
    queueLock.release();

    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "handled"), 15.0, kWaitMs);
    QCOMPARE(length(m_settings.alertQueue), qint64(15));
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(15));
    QCOMPARE(length(m_settings.alerterDlq), qint64(0));
    QSet<QString> messages;
    for (const QByteArray &alert : items(m_settings.alertQueue))
        messages.insert(object(alert).value(u"message_body").toString());
    QCOMPARE(messages.size(), 15);
}

void TestAlerterWorker::deferWhileAlertQueueDeep()
{
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_queue_shed_threshold"), QStringLiteral("2")).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_shed_mode"), QStringLiteral("defer")).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_defer_sleep_ms"), QStringLiteral("50")).ok());
    push({"a1", "a2", "a3"}, m_settings.alertQueue);
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR held back"))});
    startWorker();

    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_shed_events_total", "mode", "defer") >= 3.0, kWaitMs);
    QCOMPARE(length(m_settings.ingestQueue), qint64(1));
    QCOMPARE(length(m_settings.alertQueue), qint64(3));

    QVERIFY(m_queue->apply({Op::remove(m_settings.alertQueue, "a1"), Op::remove(m_settings.alertQueue, "a2")}).ok());

    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QCOMPARE(length(m_settings.alertQueue), qint64(2));
}

// A defer pause ends once the forwarder has drained the alert queue to the
// shed threshold, not only after alerter_defer_sleep_ms (10 minutes here).
void TestAlerterWorker::deferEndsWhenAlertQueueDrains()
{
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_queue_shed_threshold"), QStringLiteral("2")).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_shed_mode"), QStringLiteral("defer")).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_defer_sleep_ms"), QStringLiteral("600000")).ok());
    push({"a1", "a2", "a3"}, m_settings.alertQueue);
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR held back"))});
    startWorker();

    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_shed_events_total", "mode", "defer") >= 1.0, kWaitMs);
    QCOMPARE(length(m_settings.ingestQueue), qint64(1));

    QVERIFY(m_queue->apply({Op::remove(m_settings.alertQueue, "a1")}).ok());

    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QCOMPARE(length(m_settings.alertQueue), qint64(3));
}

// A backlog is claimed in growing batches of 10, 20, 40 and then 80 items
// (eight times ALERTER_BATCH_SIZE), with one audit write each, and every
// event is accounted for exactly once.
void TestAlerterWorker::backlogInGrowingClaims()
{
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_queue_shed_threshold"), QStringLiteral("100000")).ok());
    m_settings.alerterBatchSize = 10;
    QList<QByteArray> events;
    for (int i = 0; i < 600; ++i)
        events.append(eventJson(QStringLiteral("h1"), QStringLiteral("ERROR backlog %1").arg(i)));
    push(events);

    startWorker();

    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_events_processed_total", "status", "handled"), 600.0, kWaitMs);
    QCOMPARE(length(m_settings.alertQueue), qint64(600));
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(600));
    QCOMPARE(length(m_settings.alerterDlq), qint64(0));
    // 10 + 20 + 40 + 6 x 80 + the last 50.
    QCOMPARE(histogramCount("mutt_db_write_latency_ms"), qint64(10));
    // The oldest event was claimed first and is deepest in the alert queue.
    QCOMPARE(object(items(m_settings.alertQueue).last()).value(u"message_body").toString(),
        QStringLiteral("ERROR backlog 0"));
}

void TestAlerterWorker::shedToDlq()
{
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_queue_shed_threshold"), QStringLiteral("0")).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("alerter_shed_mode"), QStringLiteral("dlq")).ok());
    push({"deep"}, m_settings.alertQueue);
    QList<QByteArray> events;
    for (int i = 0; i < 4; ++i)
        events.append(eventJson(QStringLiteral("h1"), QStringLiteral("ERROR %1").arg(i)));
    push(events);

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alerterDlq), qint64(4), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
    for (const QByteArray &item : items(m_settings.alerterDlq))
        QCOMPARE(
            object(item).value(u"_dlq_reason").toString(), QStringLiteral("shed: alert queue depth 1 > threshold 0"));
    QTRY_COMPARE_WITH_TIMEOUT(metric("mutt_alerter_shed_events_total", "mode", "dlq"), 4.0, kWaitMs);
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(0));
}

void TestAlerterWorker::janitorRecoversOrphans()
{
    const QString orphan = m_settings.alerterProcessingPrefix + QStringLiteral(":crashed-pod");
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR orphan 1")),
             eventJson(QStringLiteral("h1"), QStringLiteral("ERROR orphan 2"))},
        orphan);

    startWorker();

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(2), kWaitMs);
    QCOMPARE(length(orphan), qint64(0));
    QTRY_VERIFY_WITH_TIMEOUT(drained(), kWaitMs);
}

void TestAlerterWorker::stopReturnsClaimed()
{
    // Without rules the worker claims nothing, so the processing list holds
    // only what the test puts there.
    renameTable(QStringLiteral("alert_rules"), QStringLiteral("alert_rules_offline"));
    const QString processing = m_settings.alerterProcessingPrefix + u':' + kPod;
    push({"left-from-earlier-run"}, processing);
    startWorker();
    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.ingestQueue), qint64(1), kWaitMs);  // returned at start
    QVERIFY(!m_worker->rules());
    QTRY_VERIFY_WITH_TIMEOUT(metric("mutt_alerter_cache_reload_failures_total") >= 1.0, kWaitMs);

    push({"claimed-1", "claimed-2"}, processing);
    m_worker->stop();

    QCOMPARE(length(processing), qint64(0));
    QCOMPARE(length(m_settings.ingestQueue), qint64(3));
    QVERIFY(!m_queue->value(m_worker->heartbeatKeys().first()).valueOr(QByteArray("x")).has_value());
    QVERIFY(!m_worker->isRunning());
}

// An item that appears in a lane's processing list between batches (a store
// that lost an acknowledged removal, or kept a claim whose reply was lost) is
// processed by that lane, not left there for good.
void TestAlerterWorker::strayItemsProcessed()
{
    auto lines = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
    const auto logger = mutt::log::get("alerter");
    logger->sinks().push_back(lines);
    const auto logged = [&lines](const std::string &text) {
        const auto all = lines->last_formatted();
        return std::any_of(
            all.begin(), all.end(), [&text](const std::string &line) { return line.find(text) != std::string::npos; });
    };

    startWorker();
    QTRY_VERIFY_WITH_TIMEOUT(m_worker->rules() != nullptr, kWaitMs);
    const QString processing = m_worker->processingLists().first();
    push({eventJson(QStringLiteral("h1"), QStringLiteral("ERROR stray item"), QStringLiteral("c-stray"))}, processing);

    QTRY_COMPARE_WITH_TIMEOUT(length(processing), qint64(0), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);
    QCOMPARE(
        object(items(m_settings.alertQueue).first()).value(u"_correlation_id").toString(), QStringLiteral("c-stray"));
    QCOMPARE(m_sql->countEventAudit().valueOr(-1), qint64(1));
    QCOMPARE(length(m_settings.ingestQueue), qint64(0));
    // No commit failed, so the log must not say that one did.
    QVERIFY(logged("processing items that no batch owns"));
    QVERIFY(!logged("failed commit"));
    logger->sinks().pop_back();
}

void TestAlerterWorker::reloadPicksUpNewRule()
{
    startWorker();
    QTRY_VERIFY_WITH_TIMEOUT(m_worker->rules() != nullptr, kWaitMs);
    push({eventJson(QStringLiteral("h1"), QStringLiteral("widget meltdown"))});
    QTRY_COMPARE_WITH_TIMEOUT(counter(keys::statUnhandled), qint64(1), kWaitMs);

    mutt::sql::AlertRule rule;
    rule.matchString = QStringLiteral("meltdown");
    rule.priority = 1;
    rule.prodHandling = QStringLiteral("Page_only");
    rule.devHandling = QStringLiteral("Ignore");
    rule.teamAssignment = QStringLiteral("Widgets");
    const auto id = m_sql->createRule(rule, {});
    QVERIFY(id.ok());
    m_worker->reloadRules();
    QTRY_COMPARE_WITH_TIMEOUT(m_worker->rules()->ruleCount(), qsizetype(6), kWaitMs);
    push({eventJson(QStringLiteral("h1"), QStringLiteral("widget meltdown"))});

    QTRY_COMPARE_WITH_TIMEOUT(length(m_settings.alertQueue), qint64(1), kWaitMs);
    const QJsonObject alert = object(items(m_settings.alertQueue).first());
    QCOMPARE(alert.value(u"rule_id").toInteger(), id.value());
    QCOMPARE(alert.value(u"team_assignment").toString(), QStringLiteral("Widgets"));

    // A change published on the config channel reloads too.
    rule.matchString = QStringLiteral("overheat");
    QVERIFY(m_sql->createRule(rule, {}).ok());
    QVERIFY(m_queue->setConfig(QStringLiteral("rules"), QString::number(QDateTime::currentMSecsSinceEpoch())).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_worker->rules()->ruleCount(), qsizetype(7), kWaitMs);
}

void TestAlerterWorker::heartbeatWritten()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    startWorker();

    const auto value = m_queue->value(m_worker->heartbeatKeys().first());
    QVERIFY(value.ok());
    QVERIFY(value.value().has_value());
    QVERIFY(value.value()->toLongLong() >= before);
    QCOMPARE(m_worker->heartbeatKeys().first(), m_settings.alerterHeartbeatPrefix + u':' + kPod);
}

QTEST_GUILESS_MAIN(TestAlerterWorker)
#include "tst_alerterworker.moc"
