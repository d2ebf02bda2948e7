// muttd with the ingestor, alerter and api roles as a real process: a rule
// created through the web UI API reaches the running alerter without SIGHUP
// and matches the next events.

#include "HttpCall.h"
#include "MuttdProcess.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

constexpr auto kWebuiKey = "live-api-test-key";

}  // namespace

class TestApiLive final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void newRuleMatchesWithinTwoSeconds();
    void importedRuleMatchesWithoutSighup();
    void servesBothPrefixes_data();
    void servesBothPrefixes();
    void valueLengthLimits_data();
    void valueLengthLimits();

private:
    [[nodiscard]] HeaderList keyHeader() const { return {{QByteArray("X-API-KEY"), QByteArray(kWebuiKey)}}; }
    [[nodiscard]] qint64 auditRowsFor(qint64 ruleId) const;
    // Posts events carrying `marker` every 200 ms for `ms`; returns how many got a 200.
    int postMarkedEvents(const QString &marker, int ms);

    QTemporaryDir m_dir;
    std::unique_ptr<MuttdProcess> m_muttd;
};

void TestApiLive::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_muttd = std::make_unique<MuttdProcess>(m_dir.path());
    m_muttd->setEnv(QStringLiteral("WEBUI_API_KEY"), QString::fromLatin1(kWebuiKey));
    m_muttd->setEnv(QStringLiteral("MUTT_EMBEDDED_SYNC"), QStringLiteral("normal"));
    QString output;
    QVERIFY2(m_muttd->importSeedRules(&output) == 0, qPrintable(output));
    QVERIFY(m_muttd->start(QStringLiteral("ingestor,alerter,api")));
    QVERIFY2(m_muttd->waitHealthy(), m_muttd->output().constData());
}

void TestApiLive::cleanupTestCase()
{
    if (m_muttd)
        m_muttd->terminate();
}

qint64 TestApiLive::auditRowsFor(qint64 ruleId) const
{
    const HttpReply reply
        = httpGet(m_muttd->apiBase() + QStringLiteral("/api/v2/audit-logs?rule_id=%1").arg(ruleId), keyHeader());
    return reply.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("total")).toInteger();
}

int TestApiLive::postMarkedEvents(const QString &marker, int ms)
{
    QElapsedTimer elapsed;
    elapsed.start();
    int sent = 0;
    while (elapsed.elapsed() < ms) {
        const QByteArray event
            = QJsonDocument(QJsonObject {{QStringLiteral("hostname"), QStringLiteral("core1.example.com")},
                                {QStringLiteral("message"), QStringLiteral("%1 seen %2").arg(marker).arg(sent)},
                                {QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}})
                  .toJson(QJsonDocument::Compact);
        if (m_muttd->postEvents(event, "application/json").status == 200)
            ++sent;
        QTest::qWait(200);
    }
    return sent;
}

void TestApiLive::newRuleMatchesWithinTwoSeconds()
{
    const QString marker = QStringLiteral("ZEBRA-%1").arg(QDateTime::currentMSecsSinceEpoch());
    const QJsonObject rule {{QStringLiteral("match_string"), marker}, {QStringLiteral("priority"), 1},
        {QStringLiteral("prod_handling"), QStringLiteral("Ticket_only")},
        {QStringLiteral("dev_handling"), QStringLiteral("Ignore")},
        {QStringLiteral("team_assignment"), QStringLiteral("NetOps")}};
    const HttpReply created
        = httpPost(m_muttd->apiBase() + QStringLiteral("/api/v1/rules"), QJsonDocument(rule).toJson(),
            {{QByteArray("X-API-KEY"), QByteArray(kWebuiKey)},
                {QByteArray("Content-Type"), QByteArray("application/json")}});
    QCOMPARE(created.status, 201);
    const qint64 ruleId = created.json().value(QStringLiteral("id")).toInteger();
    QVERIFY(ruleId > 0);

    // Events go in only during the first 2 s after the rule was created. The
    // periodic reload is 300 s away, so a match proves the change notice.
    QVERIFY(postMarkedEvents(marker, 2000) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(auditRowsFor(ruleId) > 0, 15'000);
}

// `muttd rules import` is another process and publishes no notice. The
// alerter detects the new config_audit_log rows of the import instead.
void TestApiLive::importedRuleMatchesWithoutSighup()
{
    // As an operator would: export the rules in force, add one, import the file.
    const QString path = m_dir.filePath(QStringLiteral("bundle-with-new-rule.json"));
    QString output;
    QCOMPARE(m_muttd->runCommand(
                 {QStringLiteral("rules"), QStringLiteral("export"), path, QStringLiteral("--data-dir"), m_dir.path()},
                 &output),
        0);
    QFile exported(path);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QJsonObject bundle = QJsonDocument::fromJson(exported.readAll()).object();
    exported.close();

    const QString marker = QStringLiteral("IMPORTED-%1").arg(QDateTime::currentMSecsSinceEpoch());
    constexpr qint64 ruleId = 900;
    QJsonArray rules = bundle.value(QStringLiteral("rules")).toArray();
    rules.append(QJsonObject {{QStringLiteral("id"), ruleId}, {QStringLiteral("match_string"), marker},
        {QStringLiteral("match_type"), QStringLiteral("contains")}, {QStringLiteral("priority"), 1},
        {QStringLiteral("prod_handling"), QStringLiteral("Ticket_only")},
        {QStringLiteral("dev_handling"), QStringLiteral("Ignore")},
        {QStringLiteral("team_assignment"), QStringLiteral("NetOps")}, {QStringLiteral("is_active"), true}});
    bundle.insert(QStringLiteral("rules"), rules);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(bundle).toJson());
    file.close();

    QVERIFY2(m_muttd->runCommand(
                 {QStringLiteral("rules"), QStringLiteral("import"), path, QStringLiteral("--data-dir"), m_dir.path()},
                 &output)
            == 0,
        qPrintable(output));

    // The alerter checks for changes every 2 s, so events go in for 4 s.
    QVERIFY(postMarkedEvents(marker, 4000) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(auditRowsFor(ruleId) > 0, 15'000);
}

void TestApiLive::servesBothPrefixes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("listKey");
    for (const QString &prefix : {QStringLiteral("/api/v1"), QStringLiteral("/api/v2")}) {
        QTest::addRow("%s rules", qPrintable(prefix))
            << prefix + QStringLiteral("/rules") << 200 << QStringLiteral("rules");
        QTest::addRow("%s teams", qPrintable(prefix))
            << prefix + QStringLiteral("/teams") << 200 << QStringLiteral("teams");
        QTest::addRow("%s dev-hosts", qPrintable(prefix))
            << prefix + QStringLiteral("/dev-hosts") << 200 << QStringLiteral("hosts");
        QTest::addRow("%s audit", qPrintable(prefix))
            << prefix + QStringLiteral("/audit") << 200 << QStringLiteral("logs");
        QTest::addRow("%s history", qPrintable(prefix))
            << prefix + QStringLiteral("/config/history") << 200 << QStringLiteral("history");
        QTest::addRow("%s slo", qPrintable(prefix)) << prefix + QStringLiteral("/slo") << 200 << QStringLiteral("slos");
    }
    QTest::newRow("status") << QStringLiteral("/api/v2/status") << 200 << QString();
    QTest::newRow("queues") << QStringLiteral("/api/v2/queues") << 200 << QStringLiteral("queues");
}

void TestApiLive::servesBothPrefixes()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, listKey);

    const HttpReply reply = httpGet(m_muttd->apiBase() + path, keyHeader());
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("X-API-Version"), QByteArray("2.5"));
    if (!listKey.isEmpty())
        QVERIFY2(reply.json().contains(listKey), reply.body.constData());
}

void TestApiLive::valueLengthLimits_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("limit");
    QTest::newRow("dev-host hostname") << QStringLiteral("/api/v2/dev-hosts") << QStringLiteral("hostname") << 255;
    QTest::newRow("team hostname") << QStringLiteral("/api/v2/teams") << QStringLiteral("hostname") << 255;
    QTest::newRow("team name") << QStringLiteral("/api/v2/teams") << QStringLiteral("team_assignment") << 100;
    QTest::newRow("rule match_string") << QStringLiteral("/api/v1/rules") << QStringLiteral("match_string") << 255;
    QTest::newRow("rule prod_handling") << QStringLiteral("/api/v1/rules") << QStringLiteral("prod_handling") << 100;
}

// The limits of the VARCHAR columns, counted in characters: a value of
// exactly the limit (in two-byte UTF-8 characters) is stored, one character
// more gets 400 with a sentence naming the field and the limit, and
// never the SQL or the database's own text. On PostgreSQL (production
// backends) this is where a too-long value would otherwise surface as a
// database error.
void TestApiLive::valueLengthLimits()
{
    QFETCH(QString, path);
    QFETCH(QString, field);
    QFETCH(int, limit);
    static int serial = 0;
    ++serial;

    const auto bodyWith = [&](int length) {
        // A distinct prefix per call, so that stored values do not collide.
        QString value = QStringLiteral("v%1-%2-").arg(serial).arg(length);
        value += QString(length - value.size(), QChar(0x00e9));  // é
        QJsonObject body;
        if (path.endsWith(QStringLiteral("/rules"))) {
            body = {{QStringLiteral("match_string"), QStringLiteral("LIMIT-%1-%2").arg(serial).arg(length)},
                {QStringLiteral("prod_handling"), QStringLiteral("Ticket_only")},
                {QStringLiteral("dev_handling"), QStringLiteral("Ignore")},
                {QStringLiteral("team_assignment"), QStringLiteral("NetOps")}};
        } else {
            body = {{QStringLiteral("hostname"), QStringLiteral("limit-%1-%2.example.com").arg(serial).arg(length)}};
            if (path.endsWith(QStringLiteral("/teams")))
                body.insert(QStringLiteral("team_assignment"), QStringLiteral("NetOps"));
        }
        body.insert(field, value);
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    };
    const HeaderList headers {
        {QByteArray("X-API-KEY"), QByteArray(kWebuiKey)}, {QByteArray("Content-Type"), QByteArray("application/json")}};

    const HttpReply fits = httpPost(m_muttd->apiBase() + path, bodyWith(limit), headers);
    QVERIFY2(fits.status == 201 || fits.status == 200, fits.body.constData());

    const HttpReply tooLong = httpPost(m_muttd->apiBase() + path, bodyWith(limit + 1), headers);
    QCOMPARE(tooLong.status, 400);
    QCOMPARE(tooLong.header("Content-Type"), QByteArray("application/json"));
    const QString message = tooLong.json().value(QStringLiteral("error")).toString();
    QVERIFY2(message.contains(field), qPrintable(message));
    QVERIFY2(message.contains(QString::number(limit)), qPrintable(message));
    for (const char *leak : {"INSERT", "VARCHAR", "character varying", "statement", "ERROR:"})
        QVERIFY2(!message.contains(QLatin1StringView(leak), Qt::CaseInsensitive), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestApiLive)
#include "tst_api_live.moc"
