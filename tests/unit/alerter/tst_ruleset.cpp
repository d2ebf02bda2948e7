#include "alerter/RuleSet.h"
#include "event/Event.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>
#include <vector>

using mutt::alerter::Environment;
using mutt::alerter::RuleSet;
using mutt::event::Event;
using mutt::sql::AlertRule;
using mutt::sql::RuleSnapshot;

namespace {

struct RuleSpec {
    qint64 id = 0;
    QString type = QStringLiteral("contains");
    std::optional<QString> match {};
    std::optional<QString> oid {};
    std::optional<int> severity {};
    int priority = 100;
    QString prod = QStringLiteral("Page_and_ticket");
    QString dev = QStringLiteral("Ignore");
    QString team = QStringLiteral("NETO");
};

AlertRule makeRule(const RuleSpec &spec)
{
    AlertRule rule;
    rule.id = spec.id;
    rule.matchType = spec.type;
    rule.matchString = spec.match;
    rule.trapOid = spec.oid;
    rule.syslogSeverity = spec.severity;
    rule.priority = spec.priority;
    rule.prodHandling = spec.prod;
    rule.devHandling = spec.dev;
    rule.teamAssignment = spec.team;
    return rule;
}

RuleSet ruleSet(const QList<RuleSpec> &specs, const QSet<QString> &devHosts = {})
{
    RuleSnapshot snapshot;
    for (const RuleSpec &spec : specs)
        snapshot.rules.append(makeRule(spec));
    snapshot.devHosts = devHosts;
    return RuleSet(snapshot);
}

// The MUTT v2.5 seed rules, dev hosts and teams.
RuleSnapshot seedSnapshot()
{
    RuleSnapshot snapshot;
    snapshot.rules = {
        makeRule({1, QStringLiteral("contains"), QStringLiteral("CRITICAL"), {}, {}, 10,
            QStringLiteral("Page_and_ticket"), QStringLiteral("Ticket_only"), QStringLiteral("NETO")}),
        makeRule({2, QStringLiteral("contains"), QStringLiteral("ERROR"), {}, {}, 20, QStringLiteral("Ticket_only"),
            QStringLiteral("Ignore"), QStringLiteral("NETO")}),
        makeRule({3, QStringLiteral("contains"), QStringLiteral("LINK-DOWN"), {}, {}, 5,
            QStringLiteral("Page_and_ticket"), QStringLiteral("Ticket_only"), QStringLiteral("NetOps")}),
        makeRule({4, QStringLiteral("contains"), QStringLiteral("DOT1X-FIRMWARE-RUNNING"), {}, {}, 50,
            QStringLiteral("Ticket_only"), QStringLiteral("Ignore"), QStringLiteral("Security")}),
        makeRule({5, QStringLiteral("oid_prefix"), {}, QStringLiteral(".1.3.6.1.4.1.9.9.41.2"), {}, 15,
            QStringLiteral("Page_and_ticket"), QStringLiteral("Ignore"), QStringLiteral("NetOps")}),
    };
    snapshot.devHosts = {QStringLiteral("dev-router1"), QStringLiteral("test-switch1"), QStringLiteral("qa-firewall1")};
    snapshot.teams = {{QStringLiteral("router1.prod.example.com"), QStringLiteral("NetOps")},
        {QStringLiteral("switch1.prod.example.com"), QStringLiteral("NetOps")},
        {QStringLiteral("firewall1.prod.example.com"), QStringLiteral("Security")},
        {QStringLiteral("server1.prod.example.com"), QStringLiteral("SysAdmin")}};
    return snapshot;
}

Event parsed(const QByteArray &json)
{
    auto result = Event::parse(json);
    if (!result.ok())
        qFatal("test event does not parse: %s", qPrintable(result.error().toString()));
    return std::move(result).value();
}

Event eventWith(const QJsonObject &object)
{
    return parsed(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Every element of a JSON array file, or every line of an NDJSON file.
std::vector<Event> sampleEvents(const QString &name)
{
    QFile file(QStringLiteral(MUTT_SHARED_DATA_DIR "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open sample %s", qPrintable(file.fileName()));
    const QByteArray data = file.readAll();

    std::vector<Event> events;
    if (name.endsWith(u".ndjson")) {
        for (const QByteArray &line : data.split('\n')) {
            if (!line.trimmed().isEmpty())
                events.push_back(parsed(line));
        }
        return events;
    }
    const QJsonArray array = QJsonDocument::fromJson(data).array();
    for (const auto &value : array)
        events.push_back(eventWith(value.toObject()));
    return events;
}

std::map<qint64, int> matchCounts(const RuleSet &rules, const std::vector<Event> &events)
{
    std::map<qint64, int> counts;  // rule id -> events; 0 = no match
    for (const Event &event : events) {
        const AlertRule *rule = rules.match(event);
        ++counts[rule ? rule->id : 0];
    }
    return counts;
}

std::optional<qint64> explainedWinner(const RuleSet &rules, const Event &event)
{
    for (const auto &verdict : rules.explain(event)) {
        if (verdict.winner)
            return verdict.ruleId;
    }
    return std::nullopt;
}

}  // namespace

class TestRuleSet final : public QObject {
    Q_OBJECT

private slots:
    void oidPrefix_data();
    void oidPrefix();
    void containsAnyCase_data();
    void containsAnyCase();
    void regexSearch_data();
    void regexSearch();
    void severityFilter_data();
    void severityFilter();
    void priorityOrder_data();
    void priorityOrder();
    void trapEvent_data();
    void trapEvent();
    void invalidRegexSkipped();
    void unpreparableRulesSkipped_data();
    void unpreparableRulesSkipped();
    void handling_data();
    void handling();
    void forwards_data();
    void forwards();
    void teams();
    void explainReasons();
    void seedRulesOnSamples_data();
    void seedRulesOnSamples();
    void networkDevices();
    void explainAgreesWithMatch_data();
    void explainAgreesWithMatch();
};

void TestRuleSet::oidPrefix_data()
{
    QTest::addColumn<QString>("ruleOid");
    QTest::addColumn<QString>("eventOid");
    QTest::addColumn<bool>("matches");

    QTest::newRow("dotted rule, deeper event") << ".1.3.6.1.4.1.9"
                                               << "1.3.6.1.4.1.9.9.41.2.0.1" << true;
    QTest::newRow("partial arc") << ".1.3.6.1.4.1.9"
                                 << "1.3.6.1.4.1.99" << false;
    QTest::newRow("partial arc deeper") << "1.3.6.1.4.1.9"
                                        << "1.3.6.1.4.1.99.1" << false;
    QTest::newRow("equal") << "1.3.6.1.4.1.9.9.41.2"
                           << "1.3.6.1.4.1.9.9.41.2" << true;
    QTest::newRow("dotted event") << "1.3.6.1.4.1.9.9.41.2"
                                  << ".1.3.6.1.4.1.9.9.41.2.0.1" << true;
    QTest::newRow("both dotted") << ".1.3.6.1.4.1.9.9.41.2"
                                 << ".1.3.6.1.4.1.9.9.41.2.0.1" << true;
    QTest::newRow("event shorter") << "1.3.6.1.4.1.9.9.41.2"
                                   << "1.3.6.1.4.1.9.9.41" << false;
    QTest::newRow("sibling") << "1.3.6.1.4.1.9.9.41.2"
                             << "1.3.6.1.4.1.9.9.41.1.2" << false;
    QTest::newRow("spaces trimmed") << " .1.3.6.1 "
                                    << "1.3.6.1.2.1" << true;
}

void TestRuleSet::oidPrefix()
{
    QFETCH(QString, ruleOid);
    QFETCH(QString, eventOid);
    QFETCH(bool, matches);

    const RuleSet rules = ruleSet({{.id = 5, .type = QStringLiteral("oid_prefix"), .oid = ruleOid}});
    const Event event
        = eventWith({{QStringLiteral("hostname"), QStringLiteral("h")}, {QStringLiteral("trap_oid"), eventOid}});

    const AlertRule *rule = rules.match(event);
    QCOMPARE(rule != nullptr, matches);
    QCOMPARE(explainedWinner(rules, event).has_value(), matches);
}

void TestRuleSet::containsAnyCase_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("matches");

    QTest::newRow("upper rule, lower message") << "ERROR"
                                               << "an error occurred" << true;
    QTest::newRow("lower rule, upper message") << "link-down"
                                               << "%LINK-DOWN: Gi0/1" << true;
    QTest::newRow("mixed") << "ErRoR"
                           << "ERROR" << true;
    QTest::newRow("absent") << "ERROR"
                            << "all good" << false;
    QTest::newRow("regex characters are literal") << "a.b(c)*"
                                                  << "xx A.B(C)* yy" << true;
    QTest::newRow("dot is not a wildcard") << "a.b"
                                           << "axb" << false;
    QTest::newRow("non-ASCII") << "Überhitzung"
                               << "WARN ÜBERHITZUNG sensor 3" << true;
    QTest::newRow("spaces are part of the pattern") << " down"
                                                    << "linkdown" << false;
    QTest::newRow("leading space matches") << " down"
                                           << "link down" << true;
}

void TestRuleSet::containsAnyCase()
{
    QFETCH(QString, pattern);
    QFETCH(QString, message);
    QFETCH(bool, matches);

    const RuleSet rules = ruleSet({{.id = 1, .match = pattern}});
    const Event event
        = eventWith({{QStringLiteral("hostname"), QStringLiteral("h")}, {QStringLiteral("message"), message}});

    QCOMPARE(rules.match(event) != nullptr, matches);
    QCOMPARE(explainedWinner(rules, event).has_value(), matches);
}

void TestRuleSet::regexSearch_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("matches");

    QTest::newRow("unanchored") << "link.*down"
                                << "%LINK-3-UPDOWN: Interface Gi0/1, Link is DOWN" << true;
    QTest::newRow("any case") << "^%bgp-\\d-adjchange"
                              << "%BGP-5-ADJCHANGE: neighbor 10.0.0.1 Down" << true;
    QTest::newRow("anchor respected") << "^down"
                                      << "link down" << false;
    QTest::newRow("alternation") << "(fan|psu) fail"
                                 << "PSU FAIL on slot 2" << true;
    QTest::newRow("no match") << "temp(erature)? \\d{3}"
                              << "temperature 42" << false;
}

void TestRuleSet::regexSearch()
{
    QFETCH(QString, pattern);
    QFETCH(QString, message);
    QFETCH(bool, matches);

    const RuleSet rules = ruleSet({{.id = 1, .type = QStringLiteral("regex"), .match = pattern}});
    const Event event
        = eventWith({{QStringLiteral("hostname"), QStringLiteral("h")}, {QStringLiteral("message"), message}});

    QCOMPARE(rules.match(event) != nullptr, matches);
    QCOMPARE(explainedWinner(rules, event).has_value(), matches);
}

void TestRuleSet::severityFilter_data()
{
    QTest::addColumn<int>("ruleSeverity");
    QTest::addColumn<QJsonValue>("eventSeverity");
    QTest::addColumn<bool>("matches");

    QTest::newRow("number equal") << 3 << QJsonValue(3) << true;
    QTest::newRow("number differs") << 3 << QJsonValue(4) << false;
    QTest::newRow("numeric string") << 3 << QJsonValue(QStringLiteral("3")) << true;
    QTest::newRow("name Error") << 3 << QJsonValue(QStringLiteral("Error")) << true;
    QTest::newRow("name err") << 3 << QJsonValue(QStringLiteral("err")) << true;
    QTest::newRow("name Warning") << 3 << QJsonValue(QStringLiteral("Warning")) << false;
    QTest::newRow("name Warning on 4") << 4 << QJsonValue(QStringLiteral("Warning")) << true;
    QTest::newRow("name Critical on 2") << 2 << QJsonValue(QStringLiteral("CRITICAL")) << true;
    QTest::newRow("absent") << 3 << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("unknown name") << 3 << QJsonValue(QStringLiteral("loud")) << false;
}

void TestRuleSet::severityFilter()
{
    QFETCH(int, ruleSeverity);
    QFETCH(QJsonValue, eventSeverity);
    QFETCH(bool, matches);

    const RuleSet rules = ruleSet({{.id = 1, .match = QStringLiteral("fail"), .severity = ruleSeverity}});
    QJsonObject object {
        {QStringLiteral("hostname"), QStringLiteral("h")}, {QStringLiteral("message"), QStringLiteral("link failed")}};
    if (!eventSeverity.isUndefined())
        object.insert(QStringLiteral("syslog_severity"), eventSeverity);
    const Event event = eventWith(object);

    QCOMPARE(rules.match(event) != nullptr, matches);
    QCOMPARE(explainedWinner(rules, event).has_value(), matches);
}

void TestRuleSet::priorityOrder_data()
{
    QTest::addColumn<QList<int>>("priorities");  // of rules with ids 7, 3, 9, all matching
    QTest::addColumn<qint64>("winner");

    QTest::newRow("tie broken by id") << QList<int> {10, 10, 10} << qint64(3);
    QTest::newRow("lower priority wins") << QList<int> {10, 20, 30} << qint64(7);
    QTest::newRow("lowest last") << QList<int> {50, 40, 5} << qint64(9);
    QTest::newRow("tie among best") << QList<int> {5, 40, 5} << qint64(7);
}

void TestRuleSet::priorityOrder()
{
    QFETCH(QList<int>, priorities);
    QFETCH(qint64, winner);

    const RuleSet rules = ruleSet({
        {.id = 7, .match = QStringLiteral("down"), .priority = priorities[0]},
        {.id = 3, .type = QStringLiteral("regex"), .match = QStringLiteral("d.wn"), .priority = priorities[1]},
        {.id = 9, .match = QStringLiteral("link"), .priority = priorities[2]},
    });
    const Event event = eventWith(
        {{QStringLiteral("hostname"), QStringLiteral("h")}, {QStringLiteral("message"), QStringLiteral("link down")}});

    const AlertRule *rule = rules.match(event);
    QVERIFY(rule);
    QCOMPARE(rule->id, winner);
    QCOMPARE(explainedWinner(rules, event), std::optional<qint64>(winner));
}

void TestRuleSet::trapEvent_data()
{
    QTest::addColumn<bool>("eventHasOid");
    QTest::addColumn<QString>("eventOid");
    QTest::addColumn<qint64>("winner");  // 0: no match

    // Rules: 1 contains "ERROR" that also carries a trap_oid (p1), 2 oid_prefix
    // 1.3.6.1.4.1.9 (p2), 3 contains "ERROR" without trap_oid (p3).
    QTest::newRow("trap under OID rule") << true << "1.3.6.1.4.1.9.9.41.2.0.1" << qint64(2);
    QTest::newRow("trap elsewhere falls to message rule") << true << "1.3.6.1.6.3.1.1.5.3" << qint64(3);
    QTest::newRow("no trap: message rules only") << false << "" << qint64(1);
}

void TestRuleSet::trapEvent()
{
    QFETCH(bool, eventHasOid);
    QFETCH(QString, eventOid);
    QFETCH(qint64, winner);

    const RuleSet rules = ruleSet({
        {.id = 1, .match = QStringLiteral("ERROR"), .oid = QStringLiteral("1.3.6.1.4.1.9.9.41.2"), .priority = 1},
        {.id = 2, .type = QStringLiteral("oid_prefix"), .oid = QStringLiteral(".1.3.6.1.4.1.9"), .priority = 2},
        {.id = 3, .match = QStringLiteral("ERROR"), .priority = 3},
    });
    QJsonObject object {{QStringLiteral("hostname"), QStringLiteral("h")},
        {QStringLiteral("message"), QStringLiteral("trap says ERROR")}};
    if (eventHasOid)
        object.insert(QStringLiteral("trap_oid"), eventOid);
    const Event event = eventWith(object);

    const AlertRule *rule = rules.match(event);
    QCOMPARE(rule ? rule->id : qint64(0), winner);
    QCOMPARE(explainedWinner(rules, event).value_or(0), winner);
}

void TestRuleSet::invalidRegexSkipped()
{
    const RuleSet rules = ruleSet({
        {.id = 1, .type = QStringLiteral("regex"), .match = QStringLiteral("(unclosed"), .priority = 1},
        {.id = 2, .type = QStringLiteral("regex"), .match = QStringLiteral("uncl.sed"), .priority = 2},
    });
    const Event event = eventWith({{QStringLiteral("hostname"), QStringLiteral("h")},
        {QStringLiteral("message"), QStringLiteral("(unclosed paren")}});

    QCOMPARE(rules.ruleCount(), 1);
    QCOMPARE(rules.skippedRules().size(), 1);
    QCOMPARE(rules.skippedRules().first().ruleId, 1);
    QVERIFY2(rules.skippedRules().first().error.contains(u"missing )"), qPrintable(rules.skippedRules().first().error));
    const AlertRule *rule = rules.match(event);
    QVERIFY(rule);
    QCOMPARE(rule->id, 2);
    QVERIFY(rules.explain(event).first().reason.startsWith(u"skipped at load"));
}

void TestRuleSet::unpreparableRulesSkipped_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("unknown type") << "exact"
                                  << "x"
                                  << ""
                                  << "is not contains, regex or oid_prefix";
    QTest::newRow("oid rule without oid") << "oid_prefix"
                                          << "x"
                                          << ""
                                          << "needs a trap_oid";
    QTest::newRow("oid rule with a lone dot") << "oid_prefix"
                                              << ""
                                              << "."
                                              << "needs a trap_oid";
    QTest::newRow("contains without match") << "contains"
                                            << "  "
                                            << "1.3.6"
                                            << "needs a match_string";
}

void TestRuleSet::unpreparableRulesSkipped()
{
    QFETCH(QString, type);
    QFETCH(QString, match);
    QFETCH(QString, oid);
    QFETCH(QString, errorPart);

    RuleSpec spec {.id = 4, .type = type, .match = match};
    if (!oid.isEmpty())
        spec.oid = oid;
    const RuleSet rules = ruleSet({spec});

    QCOMPARE(rules.ruleCount(), 0);
    QCOMPARE(rules.skippedRules().size(), 1);
    QVERIFY2(rules.skippedRules().first().error.contains(errorPart), qPrintable(rules.skippedRules().first().error));
}

void TestRuleSet::handling_data()
{
    QTest::addColumn<QString>("hostname");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("environment");
    QTest::addColumn<QString>("handling");
    QTest::addColumn<bool>("forward");

    QTest::newRow("prod error") << "core1"
                                << "ERROR x" << int(Environment::Prod) << "Ticket_only" << true;
    QTest::newRow("dev error ignored") << "dev-router1"
                                       << "ERROR x" << int(Environment::Dev) << "Ignore" << false;
    QTest::newRow("dev critical") << "qa-firewall1"
                                  << "CRITICAL x" << int(Environment::Dev) << "Ticket_only" << true;
    QTest::newRow("dev host is exact") << "DEV-ROUTER1"
                                       << "ERROR x" << int(Environment::Prod) << "Ticket_only" << true;
}

void TestRuleSet::handling()
{
    QFETCH(QString, hostname);
    QFETCH(QString, message);
    QFETCH(int, environment);
    QFETCH(QString, handling);
    QFETCH(bool, forward);

    const RuleSet rules(seedSnapshot());
    const Event event = eventWith({{QStringLiteral("hostname"), hostname}, {QStringLiteral("message"), message}});

    const auto decision = rules.decide(event);
    QVERIFY(decision.has_value());
    QCOMPARE(int(decision->environment), environment);
    QCOMPARE(decision->handling, handling);
    QCOMPARE(decision->forward, forward);
}

void TestRuleSet::forwards_data()
{
    QTest::addColumn<QString>("handling");
    QTest::addColumn<bool>("forward");

    QTest::newRow("Page_and_ticket") << "Page_and_ticket" << true;
    QTest::newRow("page_only") << "page_only" << true;
    QTest::newRow("TICKET_ONLY") << "TICKET_ONLY" << true;
    QTest::newRow("surrounding spaces") << " Page_only " << true;
    QTest::newRow("Ignore") << "Ignore" << false;
    QTest::newRow("Email_only") << "Email_only" << false;
    QTest::newRow("empty") << "" << false;
}

void TestRuleSet::forwards()
{
    QFETCH(QString, handling);
    QFETCH(bool, forward);

    QCOMPARE(RuleSet::forwards(handling), forward);
}

void TestRuleSet::teams()
{
    const RuleSet rules(seedSnapshot());

    QCOMPARE(rules.teamFor(QStringLiteral("firewall1.prod.example.com")), QStringLiteral("Security"));
    QCOMPARE(rules.teamFor(QStringLiteral("unknown.example.com")), QString());
    QCOMPARE(rules.ruleCount(), 5);
    QCOMPARE(rules.devHostCount(), 3);
    QCOMPARE(rules.teamCount(), 4);
}

void TestRuleSet::explainReasons()
{
    const RuleSet rules(seedSnapshot());
    const Event event = eventWith({{QStringLiteral("hostname"), QStringLiteral("h")},
        {QStringLiteral("message"), QStringLiteral("CRITICAL error on LINK-DOWN")}});

    const auto verdicts = rules.explain(event);
    QCOMPARE(verdicts.size(), 5);
    QCOMPARE(verdicts[0].ruleId, 3);  // priority 5
    QVERIFY(verdicts[0].winner);
    QVERIFY(verdicts[0].considered);
    QVERIFY(verdicts[0].reason.contains(u"'LINK-DOWN'"));
    QCOMPARE(verdicts[1].ruleId, 1);
    QVERIFY(!verdicts[1].considered);
    QVERIFY(verdicts[1].matched);
    QVERIFY(verdicts[1].reason.startsWith(u"not reached: rule 3 matched first"));
    QCOMPARE(verdicts[2].ruleId, 5);
    QVERIFY(!verdicts[2].matched);
    QVERIFY(verdicts[2].reason.contains(u"no trap_oid"));
}

void TestRuleSet::seedRulesOnSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("total");
    QTest::addColumn<qint64>("ruleId");
    QTest::addColumn<int>("matches");

    QTest::newRow("demo syslog") << "reference-demo/demo_syslog_events.json" << 330 << qint64(2) << 30;
    QTest::newRow("test syslog") << "reference-demo/test_data_syslog_events.json" << 66 << qint64(2) << 6;
    QTest::newRow("demo traps") << "reference-demo/demo_snmp_traps.json" << 100 << qint64(5) << 5;
}

void TestRuleSet::seedRulesOnSamples()
{
    QFETCH(QString, file);
    QFETCH(int, total);
    QFETCH(qint64, ruleId);
    QFETCH(int, matches);

    const RuleSet rules(seedSnapshot());
    const std::vector<Event> events = sampleEvents(file);
    auto counts = matchCounts(rules, events);

    QCOMPARE(qsizetype(events.size()), qsizetype(total));
    QCOMPARE(counts[ruleId], matches);
    QCOMPARE(counts[0], total - matches);
}

void TestRuleSet::networkDevices()
{
    const RuleSet rules(seedSnapshot());
    const std::vector<Event> events = sampleEvents(QStringLiteral("network-devices.ndjson"));
    auto counts = matchCounts(rules, events);

    QString summary;
    for (const auto &[id, count] : counts)
        summary += QStringLiteral(" rule%1=%2").arg(id).arg(count);
    qInfo("network-devices.ndjson with the seed rules (rule0 = no match):%s", qPrintable(summary));
    QCOMPARE(events.size(), size_t(133));
    QCOMPARE(counts[2], 8);
    QCOMPARE(counts[0], 125);
}

void TestRuleSet::explainAgreesWithMatch_data()
{
    QTest::addColumn<QString>("file");

    QTest::newRow("demo syslog") << "reference-demo/demo_syslog_events.json";
    QTest::newRow("test syslog") << "reference-demo/test_data_syslog_events.json";
    QTest::newRow("demo traps") << "reference-demo/demo_snmp_traps.json";
    QTest::newRow("network devices") << "network-devices.ndjson";
}

void TestRuleSet::explainAgreesWithMatch()
{
    QFETCH(QString, file);

    // A mix that exercises every path: seed rules plus regexes, severity
    // filters, equal priorities and OID rules at several depths.
    RuleSnapshot snapshot = seedSnapshot();
    const QList<RuleSpec> extra {
        {.id = 10, .type = QStringLiteral("regex"), .match = QStringLiteral("%[a-z_]+-[0-3]-"), .priority = 20},
        {.id = 11, .type = QStringLiteral("regex"), .match = QStringLiteral("state (to )?down"), .priority = 8},
        {.id = 12, .match = QStringLiteral("fail"), .severity = 2, .priority = 1},
        {.id = 13, .match = QStringLiteral("bgp"), .severity = 5, .priority = 20},
        {.id = 14, .type = QStringLiteral("oid_prefix"), .oid = QStringLiteral("1.3.6.1.6.3.1.1.5"), .priority = 20},
        {.id = 15, .type = QStringLiteral("oid_prefix"), .oid = QStringLiteral("1.3.6.1.4.1"), .priority = 90},
        {.id = 16, .match = QStringLiteral("interface"), .oid = QStringLiteral("1.3.6.1.4.1.9"), .priority = 3},
    };
    for (const RuleSpec &spec : extra)
        snapshot.rules.append(makeRule(spec));
    const RuleSet rules(snapshot);

    for (const Event &event : sampleEvents(file)) {
        const AlertRule *rule = rules.match(event);
        const std::optional<qint64> fast = rule ? std::optional<qint64>(rule->id) : std::nullopt;
        QCOMPARE(fast, explainedWinner(rules, event));
    }
}

QTEST_GUILESS_MAIN(TestRuleSet)
#include "tst_ruleset.moc"
