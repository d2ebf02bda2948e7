// RuleBundleJson: the bundle file format, its defaults, and parse errors
// that name the JSON path.

#include "sql/RuleBundleJson.h"

#include <QJsonDocument>
#include <QTest>

using namespace mutt;
using namespace mutt::sql;

namespace {

const QByteArray kValidRule = R"({"match_string":"ERROR","match_type":"contains","priority":20,)"
                              R"("prod_handling":"Ticket_only","dev_handling":"Ignore","team_assignment":"NETO"})";

QByteArray bundleWithRules(const QByteArray &rules)
{
    return R"({"rules":)" + rules + R"(,"dev_hosts":[],"teams":{}})";
}

}  // namespace

class TestRuleBundleJson final : public QObject {
    Q_OBJECT

private slots:
    void parseErrorNamesPath_data();
    void parseErrorNamesPath();
    void everyProblemIsListed();
    void longProblemListIsCut();
    void valueProblemsListedWithTypeProblems();
    void parsesSeedFile();
    void absentRuleKeysTakeDefaults();
    void partialObjectUpdatesBase();
    void ruleObjectHasColumnNames();
    void serialisedBundleParsesBack();
};

void TestRuleBundleJson::parseErrorNamesPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    const QByteArray valid3 = kValidRule + ',' + kValidRule + ',' + kValidRule;
    QTest::newRow("not JSON") << QByteArray("{") << "rule bundle is not valid JSON";
    QTest::newRow("JSON error line and column")
        << QByteArray("{\n  \"rules\": [],\n  \"dev_hosts\": [\"ü\" \"x\"]\n}")
        << "rule bundle is not valid JSON: missing value separator at line 3, column 22";
    QTest::newRow("top-level array") << QByteArray("[]") << "rule bundle must be a JSON object";
    QTest::newRow("rules missing") << QByteArray(R"({"dev_hosts":[],"teams":{}})")
                                   << "rules is missing; give an empty []";
    QTest::newRow("teams missing") << QByteArray(R"({"rules":[],"dev_hosts":[]})")
                                   << "teams is missing; give an empty {}";
    QTest::newRow("unknown key") << QByteArray(R"({"rules":[],"dev_hosts":[],"teams":{},"extra":1})")
                                 << "extra is not a bundle key";
    QTest::newRow("rules not array") << QByteArray(R"({"rules":{},"dev_hosts":[],"teams":{}})")
                                     << "rules must be an array of rule objects; got an object";
    QTest::newRow("rule not object") << bundleWithRules("[5]") << "rules[0] must be an object; got 5";
    QTest::newRow("priority text") << bundleWithRules("[" + valid3 + R"(,{"priority":"high"}])")
                                   << R"(rules[3].priority must be an integer; got "high")";
    QTest::newRow("priority fraction") << bundleWithRules(R"([{"priority":1.5}])")
                                       << "rules[0].priority must be an integer; got 1.5";
    QTest::newRow("priority too big") << bundleWithRules(R"([{"priority":3000000000}])")
                                      << "rules[0].priority must be between -2147483648 and 2147483647";
    QTest::newRow("id zero") << bundleWithRules(R"([{"id":0}])")
                             << "rules[0].id must be between 1 and 2147483647; got 0";
    QTest::newRow("match_string number") << bundleWithRules(R"([{"match_string":12}])")
                                         << "rules[0].match_string must be a string or null; got 12";
    QTest::newRow("match_type null") << bundleWithRules(R"([{"match_type":null}])")
                                     << "rules[0].match_type must be a string; got null";
    QTest::newRow("is_active text") << bundleWithRules(R"([{"is_active":"yes"}])")
                                    << R"(rules[0].is_active must be true or false; got "yes")";
    QTest::newRow("severity text") << bundleWithRules(R"([{"syslog_severity":"Error"}])")
                                   << R"(rules[0].syslog_severity must be an integer from 0 to 7 or null; got "Error")";
    QTest::newRow("unknown rule key") << bundleWithRules(R"([{"name":"x"}])") << "rules[0].name is not a rule field";
    QTest::newRow("match_string nul") << bundleWithRules(R"([{"match_string":"a\u0000b"}])")
                                      << "rules[0].match_string contains a NUL character";
    QTest::newRow("dev host surrogate") << QByteArray(R"({"rules":[],"dev_hosts":["a\ud800"],"teams":{}})")
                                        << "dev_hosts[0] contains a lone UTF-16 surrogate";
    QTest::newRow("team key nul") << QByteArray(R"({"rules":[],"dev_hosts":[],"teams":{"r\u0000":"NetOps"}})")
                                  << "teams key";
    QTest::newRow("dev host number") << QByteArray(R"({"rules":[],"dev_hosts":["a",7],"teams":{}})")
                                     << "dev_hosts[1] must be a string; got 7";
    QTest::newRow("teams array") << QByteArray(R"({"rules":[],"dev_hosts":[],"teams":[]})")
                                 << "teams must be an object of host name to team; got an array";
    QTest::newRow("team null") << QByteArray(R"({"rules":[],"dev_hosts":[],"teams":{"router1":null}})")
                               << R"(teams["router1"] must be a string; got null)";
}

void TestRuleBundleJson::parseErrorNamesPath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);

    auto parsed = parseRuleBundleJson(json);

    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
    QVERIFY2(parsed.error().message.startsWith(message), qPrintable(parsed.error().message));
}

void TestRuleBundleJson::everyProblemIsListed()
{
    const QByteArray json = R"({"rules":[{"priority":"high","name":"x"},5,)" + kValidRule
        + R"(],"dev_hosts":["a",7],"teams":{"router1":null},"extra":1})";

    auto parsed = parseRuleBundleJson(json);

    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
    const QStringList lines = parsed.error().message.split(u'\n');
    QCOMPARE(lines.size(), 7);
    QCOMPARE(lines.at(0), QStringLiteral("6 problems:"));
    QCOMPARE(lines.at(1), QStringLiteral("  extra is not a bundle key; the keys are rules, dev_hosts and teams"));
    QVERIFY2(lines.at(2).startsWith(QStringLiteral("  rules[0].name is not a rule field")), qPrintable(lines.at(2)));
    QCOMPARE(lines.at(3), QStringLiteral(R"(  rules[0].priority must be an integer; got "high")"));
    QCOMPARE(lines.at(4), QStringLiteral("  rules[1] must be an object; got 5"));
    QCOMPARE(lines.at(5), QStringLiteral("  dev_hosts[1] must be a string; got 7"));
    QCOMPARE(lines.at(6), QStringLiteral(R"(  teams["router1"] must be a string; got null)"));
}

void TestRuleBundleJson::valueProblemsListedWithTypeProblems()
{
    const QByteArray rules = "[" + QByteArray(R"({"priority":"high","match_string":"x","prod_handling":""},)")
        + R"({"match_string":"a(","match_type":"regex","prod_handling":"Page_only","dev_handling":"Ignore",)"
          R"("team_assignment":"NETO"},)"
        + R"({"id":5,"match_string":"A","prod_handling":"Page_only","dev_handling":"Ignore","team_assignment":"N"},)"
        + R"({"id":5,"match_string":"B","prod_handling":"Page_only","dev_handling":"Ignore","team_assignment":"N"},)"
        + R"({"match_string":"C","dev_handling":"Ignore","team_assignment":"N"}])";
    const QByteArray json = R"({"rules":)" + rules + R"(,"dev_hosts":["a",7],"teams":{}})";

    auto parsed = parseRuleBundleJson(json);

    QVERIFY(!parsed);
    const QStringList lines = parsed.error().message.split(u'\n');
    QCOMPARE(lines.first(), QStringLiteral("5 problems:"));
    QCOMPARE(lines.at(1), QStringLiteral(R"(  rules[0].priority must be an integer; got "high")"));
    QCOMPARE(lines.at(2), QStringLiteral("  dev_hosts[1] must be a string; got 7"));
    QVERIFY2(lines.at(3).startsWith(QStringLiteral("  rules[1].match_string is not a valid RE2 regular expression")),
        qPrintable(lines.at(3)));
    QVERIFY2(lines.at(4).startsWith(QStringLiteral("  rules[3].id 5 repeats rules[2].id")), qPrintable(lines.at(4)));
    QVERIFY2(lines.at(5).startsWith(QStringLiteral("  rules[4].prod_handling is missing or empty")),
        qPrintable(lines.at(5)));
}

void TestRuleBundleJson::longProblemListIsCut()
{
    QByteArray rules = "[";
    for (int i = 0; i < 25; ++i)
        rules += QByteArray(i == 0 ? "" : ",") + R"({"priority":"high"})";
    rules += "]";

    auto parsed = parseRuleBundleJson(bundleWithRules(rules));

    QVERIFY(!parsed);
    const QStringList lines = parsed.error().message.split(u'\n');
    QCOMPARE(lines.first(), QStringLiteral("25 problems:"));
    QCOMPARE(lines.size(), 1 + 20 + 1);
    QVERIFY2(lines.at(20).startsWith(QStringLiteral("  rules[19].priority")), qPrintable(lines.at(20)));
    QCOMPARE(lines.last(), QStringLiteral("  and 5 more"));
}

void TestRuleBundleJson::parsesSeedFile()
{
    QFile file(QStringLiteral(MUTT_SOURCE_DIR "/resources/seed/mutt_v25_seed.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));

    auto parsed = parseRuleBundleJson(file.readAll());

    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    const RuleBundle &bundle = parsed.value();
    QCOMPARE(bundle.rules.size(), 5);
    QCOMPARE(bundle.devHosts,
        (QList<QString> {
            QStringLiteral("dev-router1"), QStringLiteral("test-switch1"), QStringLiteral("qa-firewall1")}));
    QCOMPARE(bundle.teams.size(), 4);
    QCOMPARE(bundle.teams.value(QStringLiteral("server1.prod.example.com")), QStringLiteral("SysAdmin"));
    const AlertRule &trapRule = bundle.rules.at(4);
    QCOMPARE(trapRule.id, qint64(5));
    QVERIFY(!trapRule.matchString);
    QCOMPARE(trapRule.trapOid, std::optional<QString>(QStringLiteral(".1.3.6.1.4.1.9.9.41.2")));
    QCOMPARE(trapRule.matchType, QStringLiteral("oid_prefix"));
    QCOMPARE(trapRule.priority, 15);
    QCOMPARE(trapRule.devHandling, QStringLiteral("Ignore"));
}

void TestRuleBundleJson::absentRuleKeysTakeDefaults()
{
    auto parsed = parseRuleBundleJson(bundleWithRules(R"([{"match_string":"ERROR","prod_handling":"Ticket_only",)"
                                                      R"("dev_handling":"Ignore","team_assignment":"NETO"}])"));

    QVERIFY(parsed);
    const AlertRule &rule = parsed.value().rules.at(0);
    QCOMPARE(rule.id, qint64(0));
    QCOMPARE(rule.matchType, QStringLiteral("contains"));
    QCOMPARE(rule.priority, 100);
    QCOMPARE(rule.isActive, true);
    QVERIFY(!rule.trapOid);
    QVERIFY(!rule.syslogSeverity);
}

void TestRuleBundleJson::partialObjectUpdatesBase()
{
    AlertRule base;
    base.id = 9;
    base.matchString = QStringLiteral("LINK-DOWN");
    base.prodHandling = QStringLiteral("Page_and_ticket");
    base.devHandling = QStringLiteral("Ticket_only");
    base.teamAssignment = QStringLiteral("NetOps");

    auto updated = alertRuleFromJson(
        QJsonObject {{QStringLiteral("priority"), 3}, {QStringLiteral("match_string"), QJsonValue()}},
        QStringLiteral("body"), base);

    QVERIFY(updated);
    QCOMPARE(updated.value().id, qint64(9));
    QCOMPARE(updated.value().priority, 3);
    QVERIFY(!updated.value().matchString);
    QCOMPARE(updated.value().teamAssignment, QStringLiteral("NetOps"));
}

void TestRuleBundleJson::ruleObjectHasColumnNames()
{
    AlertRule rule;
    rule.id = 4;
    rule.matchString = QStringLiteral("DOT1X-FIRMWARE-RUNNING");
    rule.syslogSeverity = 6;
    rule.priority = 50;
    rule.prodHandling = QStringLiteral("Ticket_only");
    rule.devHandling = QStringLiteral("Ignore");
    rule.teamAssignment = QStringLiteral("Security");
    rule.isActive = false;

    const QByteArray json = QJsonDocument(alertRuleToJson(rule)).toJson(QJsonDocument::Compact);

    QCOMPARE(json,
        QByteArray(R"({"dev_handling":"Ignore","id":4,"is_active":false,"match_string":"DOT1X-FIRMWARE-RUNNING",)"
                   R"("match_type":"contains","priority":50,"prod_handling":"Ticket_only","syslog_severity":6,)"
                   R"("team_assignment":"Security","trap_oid":null})"));
}

void TestRuleBundleJson::serialisedBundleParsesBack()
{
    RuleBundle bundle;
    AlertRule rule;
    rule.id = 12;
    rule.trapOid = QStringLiteral("1.3.6.1.6.3.1.1.5.3");
    rule.matchType = QStringLiteral("oid_prefix");
    rule.priority = -4;
    rule.prodHandling = QStringLiteral("Page_only");
    rule.devHandling = QStringLiteral("Ignore");
    rule.teamAssignment = QStringLiteral("Übertragung");
    bundle.rules = {rule};
    bundle.devHosts = {QStringLiteral("z-host"), QStringLiteral("a-host")};
    bundle.teams = {{QStringLiteral("h1"), QStringLiteral("T1")}};

    const QByteArray json = ruleBundleToJson(bundle);
    auto parsed = parseRuleBundleJson(json);

    QVERIFY(parsed);
    QCOMPARE(ruleBundleToJson(parsed.value()), json);
    QCOMPARE(parsed.value().devHosts, (QList<QString> {QStringLiteral("a-host"), QStringLiteral("z-host")}));
    QCOMPARE(parsed.value().rules.at(0).teamAssignment, QStringLiteral("Übertragung"));
}

QTEST_GUILESS_MAIN(TestRuleBundleJson)
#include "tst_rulebundlejson.moc"
