// The whole pipeline as a user runs it: muttd with every role on the embedded
// stores (or Redis + PostgreSQL in the production pass), the MUTT v2.5 seed rules, the mock Moogsoft receiver, and the
// shared sample files sent over HTTP as a single object per request, JSON
// arrays and NDJSON.

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"
#include "SampleData.h"

#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

class TestPipeline final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void acceptsDemoSyslogArray();
    void acceptsDemoTrapsArray();
    void acceptsSingleObjects();
    void acceptsNetworkNdjson();
    void rejectsBadRequests();
    void processesEveryEvent();
    void forwardsMatchedAlerts();
    void writesAuditRows();
    void servesValidMetrics();
    void shutsDownCleanly();

private:
    [[nodiscard]] qint64 conservation(const char *field) const;
    [[nodiscard]] QSqlDatabase openAuditDatabase() const;

    QTemporaryDir m_dir;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_muttd;
    SampleSet m_samples;
};

void TestPipeline::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_samples = loadSamples();
    QVERIFY2(!m_samples.demoSyslogArray.isEmpty(), "sample data not found; MUTT_SHARED_DATA_DIR is wrong");
    QVERIFY2(m_moog.start(), "mutt-mock-moog did not start");

    m_muttd = std::make_unique<MuttdProcess>(m_dir.path());
    m_muttd->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    m_muttd->setEnv(QStringLiteral("MUTT_EMBEDDED_SYNC"), QStringLiteral("normal"));

    QString output;
    const int imported = m_muttd->importSeedRules(&output);
    QVERIFY2(imported == 0, qPrintable(output));

    QVERIFY(m_muttd->start());
    QVERIFY2(m_muttd->waitHealthy(), m_muttd->output().constData());
    QVERIFY2(!m_muttd->ingestKey().isEmpty(), "muttd did not write a generated ingest key");
}

void TestPipeline::cleanupTestCase()
{
    if (m_muttd)
        m_muttd->terminate();
    m_moog.stop();
}

qint64 TestPipeline::conservation(const char *field) const
{
    return qint64(
        m_muttd->status().value(QStringLiteral("conservation")).toObject().value(QLatin1StringView(field)).toDouble());
}

// Opens the database muttd writes its audit rows to: the SQLite file, or in
// the production pass (MUTT_BACKEND=redis) its PostgreSQL database via QPSQL.
QSqlDatabase TestPipeline::openAuditDatabase() const
{
    if (!productionTestBackends()) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("audit-check"));
        db.setDatabaseName(m_dir.filePath(QStringLiteral("mutt.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        return db;
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("audit-check"));
    db.setHostName(m_muttd->envValue(QStringLiteral("DB_HOST")));
    db.setPort(m_muttd->envValue(QStringLiteral("DB_PORT")).toInt());
    db.setDatabaseName(m_muttd->envValue(QStringLiteral("DB_NAME")));
    db.setUserName(m_muttd->envValue(QStringLiteral("DB_USER")));
    db.setPassword(m_muttd->envValue(QStringLiteral("DB_PASS_CURRENT")));
    return db;
}

void TestPipeline::acceptsDemoSyslogArray()
{
    const HttpReply reply = m_muttd->postEvents(m_samples.demoSyslogArray, "application/json");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("status")).toString(), QStringLiteral("queued"));
    QCOMPARE(reply.json().value(QStringLiteral("accepted")).toInt(), SeedExpectation::demoSyslog);
}

void TestPipeline::acceptsDemoTrapsArray()
{
    const HttpReply reply = m_muttd->postEvents(m_samples.demoTrapsArray, "application/json");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("accepted")).toInt(), SeedExpectation::demoTraps);
}

void TestPipeline::acceptsSingleObjects()
{
    QCOMPARE(m_samples.testEvents.size(), SeedExpectation::testEvents);
    int accepted = 0;
    for (const QByteArray &event : std::as_const(m_samples.testEvents)) {
        const HttpReply reply = m_muttd->postEvents(event, "application/json");
        QCOMPARE(reply.status, 200);
        accepted += reply.json().value(QStringLiteral("accepted")).toInt();
    }
    QCOMPARE(accepted, SeedExpectation::testEvents);
}

void TestPipeline::acceptsNetworkNdjson()
{
    const HttpReply reply = m_muttd->postEvents(m_samples.networkNdjson, "application/x-ndjson");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QStringLiteral("accepted")).toInt(), SeedExpectation::networkDevices);
}

void TestPipeline::rejectsBadRequests()
{
    const HttpReply badJson = m_muttd->postEvents("{\"hostname\": ", "application/json");
    QCOMPARE(badJson.status, 400);
    QVERIFY(!badJson.json().value(QStringLiteral("message")).toString().isEmpty());

    const HttpReply noKey
        = httpPost(m_muttd->ingestUrl(), "{}", {{QByteArray("Content-Type"), QByteArray("application/json")}});
    QCOMPARE(noKey.status, 401);

    const HttpReply missingField
        = m_muttd->postEvents(R"({"timestamp":"2025-01-15T14:30:22Z","message":"no host"})", "application/json");
    QCOMPARE(missingField.status, 400);
    QVERIFY(missingField.json().value(QStringLiteral("message")).toString().contains(QStringLiteral("hostname")));
}

void TestPipeline::processesEveryEvent()
{
    QTRY_VERIFY_WITH_TIMEOUT(
        conservation("in_flight") == 0 && conservation("accepted") == SeedExpectation::accepted, 120'000);

    const QJsonObject c = m_muttd->status().value(QStringLiteral("conservation")).toObject();
    QCOMPARE(qint64(c.value(QStringLiteral("accepted")).toDouble()), qint64(SeedExpectation::accepted));
    QCOMPARE(qint64(c.value(QStringLiteral("forwarded")).toDouble()), qint64(SeedExpectation::forwarded));
    QCOMPARE(qint64(c.value(QStringLiteral("unhandled")).toDouble()), qint64(SeedExpectation::unhandled));
    QCOMPARE(qint64(c.value(QStringLiteral("suppressed")).toDouble()), 0);
    QCOMPARE(qint64(c.value(QStringLiteral("in_dlq")).toDouble()), 0);
    QCOMPARE(qint64(c.value(QStringLiteral("generated")).toDouble()), 0);
    QCOMPARE(qint64(c.value(QStringLiteral("difference")).toDouble()), 0);
    QVERIFY(c.value(QStringLiteral("balanced")).toBool());
}

void TestPipeline::forwardsMatchedAlerts()
{
    const QJsonArray requests = m_moog.requests();
    QCOMPARE(requests.size(), SeedExpectation::forwarded);

    int ruleTwo = 0;
    int ruleFive = 0;
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        const QJsonObject body
            = request.contains(QStringLiteral("body")) ? request.value(QStringLiteral("body")).toObject() : request;
        QCOMPARE(body.value(QStringLiteral("manager")).toString(), QStringLiteral("MUTT"));
        QVERIFY(!body.value(QStringLiteral("external_id")).toString().isEmpty());
        const QString signature = body.value(QStringLiteral("signature")).toString();
        ruleTwo += signature.endsWith(QStringLiteral("::2")) ? 1 : 0;
        ruleFive += signature.endsWith(QStringLiteral("::5")) ? 1 : 0;
    }
    QCOMPARE(ruleTwo, SeedExpectation::forwarded - SeedExpectation::demoTrapsForwarded);
    QCOMPARE(ruleFive, SeedExpectation::demoTrapsForwarded);
}

void TestPipeline::writesAuditRows()
{
    QSqlDatabase db = openAuditDatabase();
    QVERIFY2(db.open(), qPrintable(db.lastError().text()));
    {
        QSqlQuery total(QStringLiteral("SELECT COUNT(*) FROM event_audit_log"), db);
        QVERIFY(total.next());
        QCOMPARE(total.value(0).toInt(), SeedExpectation::forwarded);

        QSqlQuery perRule(
            QStringLiteral("SELECT matched_rule_id, COUNT(*) FROM event_audit_log GROUP BY matched_rule_id "
                           "ORDER BY matched_rule_id"),
            db);
        QVERIFY(perRule.next());
        QCOMPARE(perRule.value(0).toInt(), 2);
        QCOMPARE(perRule.value(1).toInt(), SeedExpectation::forwarded - SeedExpectation::demoTrapsForwarded);
        QVERIFY(perRule.next());
        QCOMPARE(perRule.value(0).toInt(), 5);
        QCOMPARE(perRule.value(1).toInt(), SeedExpectation::demoTrapsForwarded);

        QSqlQuery forwarded(QStringLiteral("SELECT COUNT(*) FROM event_audit_log WHERE forwarded_to_moog"), db);
        QVERIFY(forwarded.next());
        QCOMPARE(forwarded.value(0).toInt(), SeedExpectation::forwarded);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("audit-check"));
}

void TestPipeline::servesValidMetrics()
{
    const QStringList ports {QStringLiteral("SERVER_PORT_INGESTOR"), QStringLiteral("METRICS_PORT_ALERTER"),
        QStringLiteral("METRICS_PORT_MOOG"), QStringLiteral("METRICS_PORT_REMEDIATION")};
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    for (const QString &variable : ports) {
        const HttpReply reply = httpGet(QStringLiteral("http://127.0.0.1:%1/metrics").arg(m_muttd->port(variable)));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.body.contains("mutt_"));
        if (promtool.isEmpty())
            continue;

        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForStarted());
        check.write(reply.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30'000));

        // Some MUTT v2.5 metric names break promtool's naming lint (a gauge
        // ending in _count, a unit abbreviated as _ms). Dashboards and alert
        // rules use those names, so those findings are expected; any other
        // finding fails.
        static const QStringList v25Names {QStringLiteral("mutt_alerter_cache_rules_count "),
            QStringLiteral("mutt_alerter_cache_dev_hosts_count "), QStringLiteral("mutt_alerter_cache_teams_count "),
            QStringLiteral("mutt_db_write_latency_ms ")};
        const QStringList findings = QString::fromUtf8(check.readAll()).split(u'\n', Qt::SkipEmptyParts);
        for (const QString &finding : findings) {
            const bool v25Name = std::any_of(v25Names.cbegin(), v25Names.cend(),
                [&finding](const QString &name) { return finding.startsWith(name); });
            QVERIFY2(v25Name, qPrintable(variable + QStringLiteral(": ") + finding));
        }
    }
    if (promtool.isEmpty())
        QSKIP("promtool not installed; metrics served but not validated");
}

void TestPipeline::shutsDownCleanly()
{
    const QString ingestKey = m_muttd->ingestKey();
    const QString webuiKey = m_muttd->webuiKey();
    QCOMPARE(m_muttd->terminate(), 0);

    const QByteArray output = m_muttd->output();
    // muttd prints a generated ingest key once at startup so the operator can use it; nowhere else.
    QVERIFY2(output.count(ingestKey.toUtf8()) <= 1, "the ingest key appears in the log beyond the startup notice");
    QVERIFY2(!output.contains(webuiKey.toUtf8()), "the webui key appears in the log");
    QVERIFY2(!output.contains("itest-moog-token"), "the Moogsoft API key appears in the log");
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
