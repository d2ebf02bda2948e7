// RuleValidation and the audit value helpers: messages name the field (and
// the bundle path) and the fix; host record ids are stable.

#include "sql/AuditValues.h"
#include "sql/RuleValidation.h"

#include <QJsonDocument>
#include <QTest>

using namespace mutt;
using namespace mutt::sql;

namespace {

AlertRule validRule()
{
    AlertRule rule;
    rule.matchString = QStringLiteral("ERROR");
    rule.prodHandling = QStringLiteral("Ticket_only");
    rule.devHandling = QStringLiteral("Ignore");
    rule.teamAssignment = QStringLiteral("NETO");
    return rule;
}

}  // namespace

class TestRuleValidation final : public QObject {
    Q_OBJECT

private slots:
    void validRulePasses();
    void zeroArcPasses();
    void messageCarriesPathAndFix_data();
    void messageCarriesPathAndFix();
    void regexErrorQuotesRe2();
    void lengthsCountCharacters();
    void hostnames_data();
    void hostnames();
    void hostRecordIdIsStable();
    void changedFieldsOmitUnchangedOnes();
    void forwardingHandlingNoWarning_data();
    void forwardingHandlingNoWarning();
    void handlingTypoWarns();
    void handlingGuess_data();
    void handlingGuess();
};

void TestRuleValidation::validRulePasses()
{
    QVERIFY(validateRule(validRule()));
}

void TestRuleValidation::zeroArcPasses()
{
    AlertRule rule = validRule();
    rule.trapOid = QStringLiteral(".1.3.0.6.10");

    QVERIFY(validateRule(rule));
}

void TestRuleValidation::messageCarriesPathAndFix_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("match_type") << "match_type"
                                << "foo"
                                << R"(rules[2].match_type must be one of contains, regex, oid_prefix; got "foo")";
    QTest::newRow("blank match_string") << "match_string"
                                        << "  "
                                        << "rules[2].match_string must not be blank; give the text or leave it null";
    QTest::newRow("no criteria") << "match_string"
                                 << "<null>"
                                 << "rules[2].match_string or trap_oid is required; give the text to match or the "
                                    "trap OID prefix";
    QTest::newRow("trap_oid letters") << "trap_oid"
                                      << ".1.3.x"
                                      << "rules[2].trap_oid must be dotted digits";
    QTest::newRow("trap_oid double dot") << "trap_oid"
                                         << "1..3"
                                         << "rules[2].trap_oid must be dotted digits";
    QTest::newRow("trap_oid trailing dot") << "trap_oid"
                                           << "1.3."
                                           << "rules[2].trap_oid must be dotted digits";
    QTest::newRow("trap_oid leading zero arc") << "trap_oid"
                                               << "1.03.6"
                                               << "rules[2].trap_oid must not have an arc with a leading zero";
    QTest::newRow("trap_oid leading zero first arc") << "trap_oid"
                                                     << ".01.3"
                                                     << "rules[2].trap_oid must not have an arc with a leading zero";
    QTest::newRow("regex without match_string") << "regex-oid"
                                                << ".1.3.6"
                                                << "rules[2].match_string is required when match_type is regex";
    QTest::newRow("severity") << "syslog_severity"
                              << "8"
                              << "rules[2].syslog_severity must be null or an integer from 0 to 7; got 8";
    QTest::newRow("prod_handling")
        << "prod_handling"
        << ""
        << "rules[2].prod_handling is missing or empty; give a value such as Page_and_ticket";
    QTest::newRow("team_assignment") << "team_assignment"
                                     << ""
                                     << "rules[2].team_assignment is missing or empty; give the team that owns the "
                                        "alerts, such as NETO";
    QTest::newRow("dev_handling long") << "dev_handling" << QString(101, QLatin1Char('d'))
                                       << "rules[2].dev_handling must be at most 100 characters; got 101";
}

void TestRuleValidation::messageCarriesPathAndFix()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, message);
    AlertRule rule = validRule();
    if (field == QStringLiteral("match_type")) {
        rule.matchType = value;
    } else if (field == QStringLiteral("match_string")) {
        rule.matchString = value == QStringLiteral("<null>") ? std::nullopt : std::optional<QString>(value);
    } else if (field == QStringLiteral("trap_oid")) {
        rule.trapOid = value;
    } else if (field == QStringLiteral("regex-oid")) {
        rule.matchType = QStringLiteral("regex");
        rule.matchString.reset();
        rule.trapOid = value;
    } else if (field == QStringLiteral("syslog_severity")) {
        rule.syslogSeverity = value.toInt();
    } else if (field == QStringLiteral("prod_handling")) {
        rule.prodHandling = value;
    } else if (field == QStringLiteral("team_assignment")) {
        rule.teamAssignment = value;
    } else {
        rule.devHandling = value;
    }

    auto checked = validateRule(rule, QStringLiteral("rules[2]."));

    QVERIFY(!checked);
    QCOMPARE(checked.error().code, ErrorCode::InvalidInput);
    QVERIFY2(checked.error().message.startsWith(message), qPrintable(checked.error().message));
}

void TestRuleValidation::regexErrorQuotesRe2()
{
    AlertRule rule = validRule();
    rule.matchType = QStringLiteral("regex");
    rule.matchString = QStringLiteral("[a-");

    auto checked = validateRule(rule);

    QVERIFY(!checked);
    QVERIFY2(checked.error().message.startsWith(QStringLiteral("match_string is not a valid RE2 regular expression: "
                                                               "missing ]: [a-")),
        qPrintable(checked.error().message));
}

void TestRuleValidation::lengthsCountCharacters()
{
    // U+1F600 is two UTF-16 code units but one character, as in VARCHAR(n).
    const QString emoji = QString::fromUcs4(U"\U0001F600");
    AlertRule rule = validRule();
    rule.teamAssignment = emoji.repeated(100);

    QCOMPARE(characterCount(emoji.repeated(3)), 3);
    QVERIFY(validateRule(rule));
    rule.teamAssignment += emoji;
    QVERIFY(!validateRule(rule));
}

void TestRuleValidation::hostnames_data()
{
    QTest::addColumn<QString>("hostname");
    QTest::addColumn<bool>("valid");

    QTest::newRow("name") << "router1.prod.example.com" << true;
    QTest::newRow("address") << "10.0.0.1" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("blank") << "   " << false;
    QTest::newRow("padded") << " router1" << false;
    QTest::newRow("255 characters") << QString(255, QLatin1Char('h')) << true;
    QTest::newRow("256 characters") << QString(256, QLatin1Char('h')) << false;
}

void TestRuleValidation::hostnames()
{
    QFETCH(QString, hostname);
    QFETCH(bool, valid);

    auto checked = validateHostname(hostname, QStringLiteral("dev_hosts[0]"));

    QCOMPARE(bool(checked), valid);
    if (!valid)
        QVERIFY(checked.error().message.startsWith(QStringLiteral("dev_hosts[0] ")));
}

void TestRuleValidation::hostRecordIdIsStable()
{
    // First 4 bytes of SHA-1, big-endian, masked to 31 bits (computed with
    // Python's hashlib).
    QCOMPARE(hostRecordId(QStringLiteral("dev-router1")), qint64(610322385));
    QCOMPARE(hostRecordId(QStringLiteral("router1.prod.example.com")), qint64(1384196734));
}

void TestRuleValidation::changedFieldsOmitUnchangedOnes()
{
    AlertRule before = validRule();
    before.id = 3;
    AlertRule after = before;
    after.isActive = false;
    after.syslogSeverity = 2;

    const auto [oldValues, newValues] = changedRuleFields(before, after);

    QCOMPARE(QJsonDocument(oldValues).toJson(QJsonDocument::Compact),
        QByteArray(R"({"is_active":true,"syslog_severity":null})"));
    QCOMPARE(QJsonDocument(newValues).toJson(QJsonDocument::Compact),
        QByteArray(R"({"is_active":false,"syslog_severity":2})"));
}

void TestRuleValidation::forwardingHandlingNoWarning_data()
{
    QTest::addColumn<QString>("handling");

    for (const char *value : {"Page_and_ticket", "Page_only", "Ticket_only", "page_only", "Ignore", "IGNORE",
             "Email_only", "Log_only", "Suppress", "page_and_ticket ", " Page_only", "Ticket_only\t", "ignore "})
        QTest::newRow(value) << QString::fromLatin1(value);
    QTest::newRow("no-break space") << QStringLiteral("Page_only\u00a0");
}

void TestRuleValidation::forwardingHandlingNoWarning()
{
    QFETCH(QString, handling);
    AlertRule rule = validRule();
    rule.prodHandling = handling;
    rule.devHandling = handling;

    QCOMPARE(handlingWarnings(rule), QStringList());
}

void TestRuleValidation::handlingTypoWarns()
{
    AlertRule rule = validRule();
    rule.prodHandling = QStringLiteral("Page");
    rule.devHandling = QStringLiteral("Tciket_only");

    const QStringList warnings = handlingWarnings(rule, QStringLiteral("rules[4]."));

    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings.at(0).startsWith(QStringLiteral(R"(rules[4].prod_handling "Page" does not forward)")),
        qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(0).contains(QStringLiteral("Page_and_ticket, Page_only and Ticket_only")),
        qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(1).startsWith(QStringLiteral(R"(rules[4].dev_handling "Tciket_only" does not forward)")),
        qPrintable(warnings.at(1)));
    QVERIFY2(warnings.at(1).contains(QStringLiteral("did you mean Ticket_only?")), qPrintable(warnings.at(1)));
}

void TestRuleValidation::handlingGuess_data()
{
    QTest::addColumn<QString>("handling");
    QTest::addColumn<QString>("guess");  // the warning's ending; empty: no guess

    // Edit distance, whatever the case, as the alerter compares without case.
    QTest::newRow("typo") << QStringLiteral("Page_And_Tickt") << QStringLiteral("; did you mean Page_and_ticket?");
    // Surrounding spaces are ignored, as the alerter does.
    QTest::newRow("spaces and dash") << QStringLiteral(" PAGE-ONLY ") << QStringLiteral("; did you mean Page_only?");
    // A short value that starts known values gets all of them.
    QTest::newRow("start of two") << QStringLiteral("Page")
                                  << QStringLiteral("; did you mean Page_and_ticket or Page_only?");
    QTest::newRow("start of one") << QStringLiteral("ticket") << QStringLiteral("; did you mean Ticket_only?");
    QTest::newRow("far from all") << QStringLiteral("Forward_everything") << QString();
}

void TestRuleValidation::handlingGuess()
{
    QFETCH(QString, handling);
    QFETCH(QString, guess);
    AlertRule rule = validRule();
    rule.prodHandling = handling;

    const QStringList warnings = handlingWarnings(rule);

    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.at(0).contains(QStringLiteral("\"%1\"").arg(handling)), qPrintable(warnings.at(0)));
    if (guess.isEmpty())
        QVERIFY2(!warnings.at(0).contains(QStringLiteral("did you mean")), qPrintable(warnings.at(0)));
    else
        QVERIFY2(warnings.at(0).endsWith(guess), qPrintable(warnings.at(0)));
}

QTEST_GUILESS_MAIN(TestRuleValidation)
#include "tst_rulevalidation.moc"
