// PostgresSqlStore behaviour that only PostgreSQL has: upgrading a MUTT
// v2.5 database in place, month partitions and the DEFAULT partition,
// concurrent migrate, password rotation, the connection cap, reconnect
// after a server restart and TLS. Runs on the server of MUTT_TEST_PG_* or on a
// private cluster (the restart and TLS cases always start their own).

#include "PgTestServer.h"
#include "TestCertificates.h"
#include "V25Schema.h"
#include "sql/PostgresDialect.h"
#include "sql/PostgresSqlStore.h"
#include "sql/SqlExec.h"

#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <memory>

using namespace mutt;
using namespace mutt::sql;

namespace {

const QDateTime kJanuary = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 123), QTimeZone::utc());

AuditContext audit()
{
    AuditContext context;
    context.changedBy = QStringLiteral("pg-test");
    context.reason = QStringLiteral("postgresql test");
    return context;
}

EventAuditRow auditRow(qint64 ruleId, const QString &correlationId, const QDateTime &at)
{
    EventAuditRow row;
    row.eventTimestamp = at;
    row.hostname = QStringLiteral("router1.prod.example.com");
    row.matchedRuleId = ruleId;
    row.handlingDecision = QStringLiteral("Ticket_only");
    row.forwardedToMoog = true;
    row.rawMessage = QStringLiteral(R"({"message":"ERROR"})");
    row.correlationId = correlationId;
    return row;
}

// The failure text of a Result or Status (QVERIFY2 evaluates its message
// even when the check passes).
template <typename R> QByteArray why(const R &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

AlertRule rule(const QString &matchString)
{
    AlertRule r;
    r.matchString = matchString;
    r.prodHandling = QStringLiteral("Page_and_ticket");
    r.devHandling = QStringLiteral("Ticket_only");
    r.teamAssignment = QStringLiteral("NetOps");
    return r;
}

// Starts `server` as a private cluster and creates an empty database on it.
Result<PostgresConfig> privateDatabase(pgtest::PgTestServer &server, bool tls)
{
    if (Status started = server.startPrivate(tls); !started)
        return started.error();
    return server.createDatabase();
}

}  // namespace

class TestPgStore final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void v25DatabaseKeepsItsRows();
    void v25DatabaseGainsNewColumnsAndPartitions();
    void migrateTwiceIsIdempotent();
    void concurrentMigrateAppliesEachStepOnce();
    void auditRowWithoutMonthPartitionGoesToDefault();
    void newMonthPartitionTakesRowsFromDefault();
    void ruleIdsContinueAfterImportedIds();
    void nextPasswordIsTriedAfterCurrent();
    void wrongPasswordsAreReportedWithoutThem();
    void connectionCapRejectsExtraThread();
    void readsReconnectAfterServerRestart();
    void tlsVerifiesServerWithCa();
    void tlsRequiredWithoutServerTlsFails();
    void dataExceptionsAreInvalidInput_data();
    void dataExceptionsAreInvalidInput();

private:
    std::unique_ptr<PostgresSqlStore> openStore(const PostgresConfig &config);
    Result<QVariant> scalar(const QString &sql) { return m_server.scalar(m_config.database, sql); }

    pgtest::PgTestServer m_server;
    PostgresConfig m_config;
};

void TestPgStore::initTestCase()
{
    auto started = m_server.start();
    QVERIFY2(started, why(started).constData());
}

void TestPgStore::init()
{
    auto database = m_server.createDatabase();
    QVERIFY2(database, why(database).constData());
    m_config = database.value();
}

void TestPgStore::cleanup()
{
    QVERIFY(m_server.dropDatabase(m_config.database));
}

std::unique_ptr<PostgresSqlStore> TestPgStore::openStore(const PostgresConfig &config)
{
    auto opened = PostgresSqlStore::open(config);
    if (!opened) {
        qWarning("PostgresSqlStore::open failed: %s", qPrintable(opened.error().toString()));
        return {};
    }
    return std::move(opened).value();
}

void TestPgStore::v25DatabaseKeepsItsRows()
{
    QVERIFY(m_server.exec(m_config.database, v25SchemaStatements()));
    auto store = openStore(m_config);
    QVERIFY(store);
    auto migrated = store->migrate();
    QVERIFY2(migrated, why(migrated).constData());

    auto rules = store->listRules();
    QVERIFY(rules);
    QCOMPARE(rules.value().size(), 5);
    QCOMPARE(store->rule(5).value().trapOid.value_or(QString()), QStringLiteral(".1.3.6.1.4.1.9.9.41.2"));
    QCOMPARE(store->listDevHosts().value().size(), 3);
    QCOMPARE(store->listTeams().value().value(QStringLiteral("server1.prod.example.com")), QStringLiteral("SysAdmin"));

    auto events = store->queryEventAudit({});
    QVERIFY(events);
    QCOMPARE(events.value().total, qint64(1));
    QCOMPARE(
        events.value().rows.at(0).eventTimestamp, QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22), QTimeZone::utc()));
    QCOMPARE(events.value().rows.at(0).correlationId, QString());

    ConfigAuditQuery configQuery;
    configQuery.tableName = QStringLiteral("alert_rules");
    auto changes = store->queryConfigAudit(configQuery);
    QVERIFY(changes);
    QCOMPARE(changes.value().total, qint64(4));
}

void TestPgStore::v25DatabaseGainsNewColumnsAndPartitions()
{
    QVERIFY(m_server.exec(m_config.database, v25SchemaStatements()));
    auto store = openStore(m_config);
    QVERIFY(store);
    QVERIFY(store->migrate());

    // The v2.5 partition is kept, the default one added, and the next new
    // rule id follows the v2.5 rows.
    QCOMPARE(
        scalar(QStringLiteral("SELECT to_regclass('event_audit_log_2025_01') IS NOT NULL")).value().toBool(), true);
    QCOMPARE(
        scalar(QStringLiteral("SELECT to_regclass('event_audit_log_default') IS NOT NULL")).value().toBool(), true);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = "
                                   "'event_audit_log' AND column_name = 'correlation_id'"))
                 .value()
                 .toInt(),
        1);
    QCOMPARE(store->createRule(rule(QStringLiteral("NEW")), audit()).value(), qint64(6));

    QVERIFY(store->writeEventAudit({auditRow(1, QStringLiteral("c-1"), kJanuary)}));
    QCOMPARE(store->countEventAudit().value(), qint64(2));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_audit_log_2025_01")).value().toInt(), 2);
}

void TestPgStore::migrateTwiceIsIdempotent()
{
    auto store = openStore(m_config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    QVERIFY(store->migrate());

    QCOMPARE(store->schemaVersion().value(), 3);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).value().toInt(), 3);
}

void TestPgStore::concurrentMigrateAppliesEachStepOnce()
{
    auto first = openStore(m_config);
    auto second = openStore(m_config);
    QVERIFY(first);
    QVERIFY(second);

    Status firstResult;
    Status secondResult;
    std::unique_ptr<QThread> a(QThread::create([&] { firstResult = first->migrate(); }));
    std::unique_ptr<QThread> b(QThread::create([&] { secondResult = second->migrate(); }));
    a->start();
    b->start();
    QVERIFY(a->wait(30'000));
    QVERIFY(b->wait(30'000));

    QVERIFY2(firstResult, why(firstResult).constData());
    QVERIFY2(secondResult, why(secondResult).constData());
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).value().toInt(), 3);
}

void TestPgStore::auditRowWithoutMonthPartitionGoesToDefault()
{
    auto store = openStore(m_config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    const qint64 ruleId = store->createRule(rule(QStringLiteral("ERROR")), audit()).value();

    const QDateTime farAhead(QDate(2099, 1, 10), QTime(8, 0), QTimeZone::utc());
    QVERIFY(store->writeEventAudit({auditRow(ruleId, QStringLiteral("far"), farAhead)}));
    QVERIFY(store->writeEventAudit({auditRow(ruleId, QStringLiteral("far"), farAhead)}));

    QCOMPARE(store->countEventAudit().value(), qint64(1));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_audit_log_default")).value().toInt(), 1);
}

void TestPgStore::newMonthPartitionTakesRowsFromDefault()
{
    auto store = openStore(m_config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    const qint64 ruleId = store->createRule(rule(QStringLiteral("ERROR")), audit()).value();
    const QDateTime farAhead(QDate(2099, 1, 10), QTime(8, 0), QTimeZone::utc());
    QVERIFY(store->writeEventAudit({auditRow(ruleId, QStringLiteral("far-1"), farAhead),
        auditRow(ruleId, QStringLiteral("far-2"), farAhead.addDays(40))}));

    auto created = store->ensureMonthPartition(QDate(2099, 1, 20));
    QVERIFY2(created, why(created).constData());

    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_audit_log_2099_01")).value().toInt(), 1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_audit_log_default")).value().toInt(), 1);
    // The idempotency key still applies after the move.
    QVERIFY(store->writeEventAudit({auditRow(ruleId, QStringLiteral("far-1"), farAhead)}));
    QCOMPARE(store->countEventAudit().value(), qint64(2));
    QVERIFY(store->ensureMonthPartition(QDate(2099, 1, 1)));
}

void TestPgStore::ruleIdsContinueAfterImportedIds()
{
    auto store = openStore(m_config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    RuleBundle bundle;
    AlertRule imported = rule(QStringLiteral("IMPORTED"));
    imported.id = 40;
    bundle.rules = {imported};
    QVERIFY(store->importBundle(bundle, audit()));

    QCOMPARE(store->createRule(rule(QStringLiteral("NEXT")), audit()).value(), qint64(41));
}

void TestPgStore::nextPasswordIsTriedAfterCurrent()
{
    // Roles are cluster-wide: the name follows the database so test
    // processes sharing a server do not collide.
    const QString role = QStringLiteral("r_") + m_config.database;
    QVERIFY(m_server.exec(m_config.database,
        {QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'next-secret-42'").arg(role),
            QStringLiteral("GRANT ALL ON DATABASE %1 TO %2").arg(m_config.database, role),
            QStringLiteral("GRANT ALL ON SCHEMA public TO %1").arg(role),
            // so a CREATEROLE (not superuser) test role may drop it again
            QStringLiteral("GRANT %1 TO CURRENT_USER").arg(role)}));
    PostgresConfig config = m_config;
    config.user = role;
    int calls = 0;
    config.passwords = [&calls] {
        ++calls;
        return QStringList {QStringLiteral("current-secret-41"), QStringLiteral("next-secret-42")};
    };

    auto store = openStore(config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    QVERIFY(calls >= 1);
    store.reset();
    QVERIFY(m_server.exec(
        m_config.database, {QStringLiteral("DROP OWNED BY %1").arg(role), QStringLiteral("DROP ROLE %1").arg(role)}));
}

void TestPgStore::wrongPasswordsAreReportedWithoutThem()
{
    if (!m_server.isPrivate() && m_server.password().isEmpty())
        QSKIP("the shared test server does not check passwords");
    PostgresConfig config = m_config;
    config.passwords = [] { return QStringList {QStringLiteral("wrong-one-123"), QStringLiteral("wrong-two-456")}; };

    auto opened = PostgresSqlStore::open(config);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY(opened.error().message.contains(QStringLiteral("tried 2 password(s)")));
    QVERIFY(!opened.error().message.contains(QStringLiteral("wrong-one-123")));
    QVERIFY(!opened.error().message.contains(QStringLiteral("wrong-two-456")));
}

void TestPgStore::connectionCapRejectsExtraThread()
{
    PostgresConfig config = m_config;
    config.poolMinConnections = 1;
    config.poolMaxConnections = 1;
    auto store = openStore(config);
    QVERIFY(store);
    QVERIFY(store->ping());

    Status other;
    std::unique_ptr<QThread> thread(QThread::create([&] { other = store->ping(); }));
    thread->start();
    QVERIFY(thread->wait(30'000));

    QVERIFY(!other);
    QCOMPARE(other.error().code, ErrorCode::Unavailable);
    QVERIFY(other.error().message.contains(QStringLiteral("DB_POOL_MAX_CONN")));
    QCOMPARE(store->connectionCount(), 1);
}

void TestPgStore::readsReconnectAfterServerRestart()
{
    // Its own cluster: the shared one may be a server other tests use.
    pgtest::PgTestServer server;
    auto database = privateDatabase(server, false);
    QVERIFY2(database, why(database).constData());
    auto store = openStore(database.value());
    QVERIFY(store);
    QVERIFY(store->migrate());
    QVERIFY(store->createRule(rule(QStringLiteral("BEFORE")), audit()));

    QVERIFY(server.stopServer());
    auto whileDown = store->listRules();
    QVERIFY(!whileDown);
    QCOMPARE(whileDown.error().code, ErrorCode::Unavailable);
    auto writeWhileDown = store->createRule(rule(QStringLiteral("DOWN")), audit());
    QVERIFY(!writeWhileDown);
    QCOMPARE(writeWhileDown.error().code, ErrorCode::Unavailable);
    QVERIFY(server.startServer());

    auto after = store->listRules();
    QVERIFY2(after, why(after).constData());
    QCOMPARE(after.value().size(), 1);
    QVERIFY(store->createRule(rule(QStringLiteral("AFTER")), audit()));
}

// Checks DB_TLS_ENABLED with DB_TLS_CA_CERT_PATH (sslmode=verify-ca) on a
// cluster with ssl=on. The right CA connects over TLS, another CA fails with
// Unavailable, and TLS without a CA file (sslmode=require) connects.
void TestPgStore::tlsVerifiesServerWithCa()
{
    pgtest::PgTestServer server;
    auto database = privateDatabase(server, true);
    QVERIFY2(database, why(database).constData());

    PostgresConfig config = database.value();
    config.tlsEnabled = true;
    config.tlsCaCertPath = server.caCertPath();
    config.applicationName = QStringLiteral("mutt-tls-test");
    auto store = openStore(config);
    QVERIFY(store);
    QVERIFY(store->migrate());
    const QString tlsSessions = QStringLiteral("SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) "
                                               "WHERE application_name = 'mutt-tls-test' AND ssl");
    auto encrypted = server.scalar(config.database, tlsSessions);
    QVERIFY2(encrypted, why(encrypted).constData());
    QVERIFY(encrypted.value().toInt() >= 1);
    store.reset();

    QTemporaryDir otherDir;
    test::TestCertificates other;
    QCOMPARE(other.make(otherDir.path()), QString());
    config.tlsCaCertPath = other.caCert;
    auto untrusted = PostgresSqlStore::open(config);
    QVERIFY(!untrusted);
    QCOMPARE(untrusted.error().code, ErrorCode::Unavailable);
    QVERIFY2(untrusted.error().message.contains(QStringLiteral("DB_TLS_CA_CERT_PATH")),
        qPrintable(untrusted.error().message));

    config.tlsCaCertPath.clear();
    auto required = openStore(config);
    QVERIFY(required);
    QVERIFY(required->ping());
}

// DB_TLS_ENABLED (sslmode=require) against a server without ssl names the
// setting that resolves it.
void TestPgStore::tlsRequiredWithoutServerTlsFails()
{
    pgtest::PgTestServer server;
    auto database = privateDatabase(server, false);
    QVERIFY2(database, why(database).constData());
    PostgresConfig config = database.value();
    config.tlsEnabled = true;

    auto opened = PostgresSqlStore::open(config);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY2(
        opened.error().message.contains(QStringLiteral("DB_TLS_ENABLED=false")), qPrintable(opened.error().message));
}

void TestPgStore::dataExceptionsAreInvalidInput_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("sqlState");
    QTest::newRow("string too long") << QStringLiteral("INSERT INTO limits (name) VALUES (?)")
                                     << QVariant(QStringLiteral("abcdefgh")) << QStringLiteral("22001");
    QTest::newRow("invalid text representation")
        << QStringLiteral("INSERT INTO limits (amount) VALUES (CAST(? AS INTEGER))") << QVariant(QStringLiteral("12x"))
        << QStringLiteral("22P02");
    QTest::newRow("integer out of range") << QStringLiteral("INSERT INTO limits (amount) VALUES (?)")
                                          << QVariant(qint64(1) << 40) << QStringLiteral("22003");
}

// PostgreSQL refuses these values with SQLSTATE class 22; the error is
// InvalidInput (HTTP 400 in the api role) with a sentence that quotes
// neither the statement nor the server, which stay in backendText.
void TestPgStore::dataExceptionsAreInvalidInput()
{
    QFETCH(QString, sql);
    QFETCH(QVariant, value);
    QFETCH(QString, sqlState);
    QVERIFY(
        m_server.exec(m_config.database, {QStringLiteral("CREATE TABLE limits (name VARCHAR(5), amount INTEGER)")}));

    const QString connection = QStringLiteral("pgstore-data-exception");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        const PostgresDialect dialect(m_config);
        const Status opened = dialect.openConnection(db);
        QVERIFY2(opened, why(opened).constData());

        const Result<QSqlQuery> ran = runSql(db, dialect, sql, {value});
        QVERIFY(!ran);
        const Error &error = ran.error();
        QCOMPARE(error.code, ErrorCode::InvalidInput);
        QVERIFY2(!error.message.contains(QStringLiteral("limits")), qPrintable(error.message));
        QVERIFY2(!error.message.contains(QStringLiteral("INSERT")), qPrintable(error.message));
        QVERIFY2(!error.message.contains(QStringLiteral("ERROR")), qPrintable(error.message));
        QVERIFY2(error.backendText.contains(sqlState), qPrintable(error.backendText));
        QVERIFY2(error.backendText.contains(QStringLiteral("INSERT INTO limits")), qPrintable(error.backendText));
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
}

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pgstore.moc"
