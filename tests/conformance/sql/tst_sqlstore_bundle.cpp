// SqlStore conformance, part 3: the MUTT v2.5 seed, rule snapshots, and
// bundle import and export with their config_audit_log rows.

#include "SqlTestBackend.h"

#include "sql/AuditValues.h"
#include "sql/RuleBundleJson.h"
#include "sql/SeedBundle.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mutt;
using namespace mutt::sql;

class TestSqlStoreBundle final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void seedImportGivesSnapshotInPriorityOrder();
    void seedResourceMatchesFile();
    void importReplacesAndKeepsIds();
    void importNamesInvalidRuleIndex();
    void importRejectsDuplicateIds();
    void importListsEveryInvalidValue();
    void importOfReferencedRuleDeletionChangesNothing();
    void exportRoundTripsThroughJson();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqlStore> m_store;
};

void TestSqlStoreBundle::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    SqlTestBackend backend = openTestSqlStore(m_dir->path());
    if (!backend.skipReason.isEmpty())
        QSKIP(qPrintable(backend.skipReason));
    QVERIFY2(backend.store, qPrintable(backend.error));
    m_store = std::move(backend.store);
}

void TestSqlStoreBundle::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestSqlStoreBundle::seedImportGivesSnapshotInPriorityOrder()
{
    QVERIFY(importSeed(*m_store));

    auto snapshot = m_store->loadRuleSnapshot();
    QVERIFY(snapshot);
    QList<qint64> order;
    for (const AlertRule &rule : snapshot.value().rules)
        order.append(rule.id);
    QCOMPARE(order, (QList<qint64> {3, 1, 5, 2, 4}));
    QCOMPARE(snapshot.value().devHosts,
        (QSet<QString> {
            QStringLiteral("dev-router1"), QStringLiteral("test-switch1"), QStringLiteral("qa-firewall1")}));
    QCOMPARE(snapshot.value().teams.size(), 4);
    QCOMPARE(snapshot.value().teams.value(QStringLiteral("firewall1.prod.example.com")), QStringLiteral("Security"));
    QCOMPARE(snapshot.value().rules.at(2).trapOid, std::optional<QString>(QStringLiteral(".1.3.6.1.4.1.9.9.41.2")));

    QCOMPARE(auditRows(*m_store, kRulesTable).size(), 5);
    QCOMPARE(auditRows(*m_store, kDevHostsTable).size(), 3);
    QCOMPARE(auditRows(*m_store, kTeamsTable).size(), 4);

    AlertRule inactive = snapshot.value().rules.at(0);
    inactive.isActive = false;
    QVERIFY(m_store->updateRule(inactive, makeAudit()));
    QCOMPARE(m_store->loadRuleSnapshot().value().rules.size(), 4);
    QCOMPARE(m_store->listRules().value().size(), 5);
}

void TestSqlStoreBundle::seedResourceMatchesFile()
{
    auto fromFile = loadRuleBundleFile(seedBundlePath());
    auto fromResource = loadMuttV25Seed();
    QVERIFY(fromFile);
    QVERIFY2(fromResource, qPrintable(fromResource ? QString() : fromResource.error().toString()));
    QCOMPARE(ruleBundleToJson(fromResource.value()), ruleBundleToJson(fromFile.value()));
}

void TestSqlStoreBundle::importReplacesAndKeepsIds()
{
    QVERIFY(importSeed(*m_store));
    RuleBundle bundle;
    AlertRule changed = m_store->rule(2).value();
    changed.priority = 25;
    AlertRule withId = makeRule(QStringLiteral("OSPF"), 40);
    withId.id = 10;
    const AlertRule withoutId = makeRule(QStringLiteral("BGP"), 45);
    bundle.rules = {changed, withId, withoutId};
    bundle.devHosts = {QStringLiteral("dev-router1"), QStringLiteral("lab-router2")};
    bundle.teams = {{QStringLiteral("router1.prod.example.com"), QStringLiteral("Core")},
        {QStringLiteral("edge1.prod.example.com"), QStringLiteral("Edge")}};

    QVERIFY(m_store->importBundle(bundle, makeAudit(QStringLiteral("importer"), QStringLiteral("cid-import"))));

    const RuleBundle exported = m_store->exportBundle().value();
    QList<qint64> ids;
    for (const AlertRule &rule : exported.rules)
        ids.append(rule.id);
    QCOMPARE(ids, (QList<qint64> {2, 10, 11}));
    QCOMPARE(m_store->rule(2).value().priority, 25);
    QCOMPARE(m_store->rule(11).value().matchString, std::optional<QString>(QStringLiteral("BGP")));
    QCOMPARE(m_store->listDevHosts().value(),
        (QList<QString> {QStringLiteral("dev-router1"), QStringLiteral("lab-router2")}));
    QCOMPARE(m_store->listTeams().value(), bundle.teams);

    ConfigAuditQuery query;
    query.changedBy = QStringLiteral("importer");
    query.limit = 100;
    const auto page = m_store->queryConfigAudit(query).value();
    // rules: 4 deleted, 1 updated, 2 created; hosts: 2 deleted, 1 created;
    // teams: 3 deleted, 1 updated, 1 created.
    QCOMPARE(page.total, qint64(15));
    QCOMPARE(auditRows(*m_store, kRulesTable, 2).at(0).operation, QStringLiteral("UPDATE"));
    QCOMPARE(asJson(auditRows(*m_store, kRulesTable, 2).at(0).newValues), QByteArray(R"({"priority":25})"));
    QCOMPARE(auditRows(*m_store, kRulesTable, 1).at(0).operation, QStringLiteral("DELETE"));
    QCOMPARE(auditRows(*m_store, kRulesTable, 10).at(0).operation, QStringLiteral("CREATE"));
}

void TestSqlStoreBundle::importNamesInvalidRuleIndex()
{
    QVERIFY(importSeed(*m_store));
    RuleBundle bundle;
    AlertRule bad = makeRule(QStringLiteral("x"));
    bad.syslogSeverity = 8;
    bundle.rules = {makeRule(QStringLiteral("ok")), bad};

    auto imported = m_store->importBundle(bundle, makeAudit());

    QVERIFY(!imported);
    QCOMPARE(imported.error().code, ErrorCode::InvalidInput);
    QVERIFY2(imported.error().message.startsWith(QStringLiteral("rules[1].syslog_severity")),
        qPrintable(imported.error().message));
    QCOMPARE(m_store->listRules().value().size(), 5);
    QCOMPARE(m_store->listDevHosts().value().size(), 3);
}

void TestSqlStoreBundle::importRejectsDuplicateIds()
{
    RuleBundle bundle;
    AlertRule first = makeRule(QStringLiteral("a"));
    first.id = 7;
    AlertRule second = makeRule(QStringLiteral("b"));
    second.id = 7;
    bundle.rules = {first, second};

    auto imported = m_store->importBundle(bundle, makeAudit());

    QVERIFY(!imported);
    QCOMPARE(imported.error().code, ErrorCode::InvalidInput);
    QVERIFY2(imported.error().message.startsWith(QStringLiteral("rules[1].id 7 repeats rules[0].id")),
        qPrintable(imported.error().message));
}

void TestSqlStoreBundle::importListsEveryInvalidValue()
{
    QVERIFY(importSeed(*m_store));
    RuleBundle bundle;
    AlertRule badSeverity = makeRule(QStringLiteral("x"));
    badSeverity.syslogSeverity = 8;
    AlertRule repeatedId = makeRule(QStringLiteral("y"));
    repeatedId.id = 3;
    AlertRule firstId = makeRule(QStringLiteral("z"));
    firstId.id = 3;
    bundle.rules = {badSeverity, firstId, repeatedId};
    bundle.devHosts = {QStringLiteral("dev-1"), QStringLiteral("dev-1")};

    auto imported = m_store->importBundle(bundle, makeAudit());

    QVERIFY(!imported);
    QCOMPARE(imported.error().code, ErrorCode::InvalidInput);
    const QStringList lines = imported.error().message.split(u'\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0), QStringLiteral("3 problems:"));
    QVERIFY2(lines.at(1).startsWith(QStringLiteral("  rules[0].syslog_severity")), qPrintable(lines.at(1)));
    QVERIFY2(lines.at(2).startsWith(QStringLiteral("  rules[2].id 3 repeats rules[1].id")), qPrintable(lines.at(2)));
    QVERIFY2(lines.at(3).startsWith(QStringLiteral(R"(  dev_hosts[1] "dev-1" repeats dev_hosts[0])")),
        qPrintable(lines.at(3)));
    QCOMPARE(m_store->listRules().value().size(), 5);
}

void TestSqlStoreBundle::importOfReferencedRuleDeletionChangesNothing()
{
    QVERIFY(importSeed(*m_store));
    EventAuditRow row;
    row.eventTimestamp = QDateTime::currentDateTimeUtc();
    row.hostname = QStringLiteral("router1");
    row.matchedRuleId = 2;
    row.handlingDecision = QStringLiteral("Ticket_only");
    QVERIFY(m_store->writeEventAudit({row}));
    const qint64 auditBefore = m_store->queryConfigAudit({}).value().total;
    RuleBundle bundle;
    bundle.rules = {makeRule(QStringLiteral("replacement"))};

    auto imported = m_store->importBundle(bundle, makeAudit());

    QVERIFY(!imported);
    QCOMPARE(imported.error().code, ErrorCode::Conflict);
    QVERIFY2(imported.error().message.contains(QStringLiteral("rule id=2")), qPrintable(imported.error().message));
    QCOMPARE(m_store->listRules().value().size(), 5);
    QCOMPARE(m_store->listDevHosts().value().size(), 3);
    QCOMPARE(m_store->queryConfigAudit({}).value().total, auditBefore);
}

void TestSqlStoreBundle::exportRoundTripsThroughJson()
{
    QVERIFY(importSeed(*m_store));
    auto exported = m_store->exportBundle();
    QVERIFY(exported);
    const QByteArray json = ruleBundleToJson(exported.value());

    auto parsed = parseRuleBundleJson(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
    QCOMPARE(ruleBundleToJson(parsed.value()), json);
    const qint64 auditBefore = m_store->queryConfigAudit({}).value().total;

    QVERIFY(m_store->importBundle(parsed.value(), makeAudit()));

    QCOMPARE(ruleBundleToJson(m_store->exportBundle().value()), json);
    QCOMPARE(m_store->queryConfigAudit({}).value().total, auditBefore);
    QCOMPARE(json, ruleBundleToJson(loadRuleBundleFile(seedBundlePath()).value()));
}

QTEST_GUILESS_MAIN(TestSqlStoreBundle)
#include "tst_sqlstore_bundle.moc"
