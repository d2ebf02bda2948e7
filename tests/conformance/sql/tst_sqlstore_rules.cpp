// SqlStore conformance, part 1: schema, rules, development hosts and
// teams, each change with its config_audit_log row.

#include "SqlTestBackend.h"

#include "sql/AuditValues.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mutt;
using namespace mutt::sql;

class TestSqlStoreRules final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void migrateTwiceKeepsVersion();
    void createRuleWritesAuditRow();
    void updateRuleAuditsOnlyChangedFields();
    void updateWithoutChangesWritesNoAudit();
    void missingRuleIsNotFound();
    void invalidRuleIsRejected_data();
    void invalidRuleIsRejected();
    void invalidUpdateIsRejected();
    void validRuleVariantsAreAccepted_data();
    void validRuleVariantsAreAccepted();
    void longCorrelationIdIsRejected();
    void deleteRuleWithoutAuditRowsSucceeds();
    void deleteRuleWithAuditRowsConflicts();
    void devHostsAddDuplicateAndRemove();
    void teamsSetUpdateAndRemove();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqlStore> m_store;
};

void TestSqlStoreRules::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    SqlTestBackend backend = openTestSqlStore(m_dir->path());
    if (!backend.skipReason.isEmpty())
        QSKIP(qPrintable(backend.skipReason));
    QVERIFY2(backend.store, qPrintable(backend.error));
    m_store = std::move(backend.store);
}

void TestSqlStoreRules::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestSqlStoreRules::migrateTwiceKeepsVersion()
{
    auto first = m_store->schemaVersion();
    QVERIFY(first);
    QVERIFY(first.value() >= 1);

    QVERIFY(m_store->migrate());
    QVERIFY(m_store->migrate());
    auto again = m_store->schemaVersion();
    QVERIFY(again);
    QCOMPARE(again.value(), first.value());
    QVERIFY(m_store->ping());
    QCOMPARE(m_store->backendName(), testSqlBackendName());
}

void TestSqlStoreRules::createRuleWritesAuditRow()
{
    AlertRule rule = makeRule(QStringLiteral("BGP-5-ADJCHANGE"), 30);
    rule.syslogSeverity = 5;
    auto id = m_store->createRule(rule, makeAudit(QStringLiteral("alice"), QStringLiteral("cid-create")));
    QVERIFY(id);
    QVERIFY(id.value() > 0);

    auto stored = m_store->rule(id.value());
    QVERIFY(stored);
    rule.id = id.value();
    QCOMPARE(asJson(stored.value()), asJson(rule));

    const QList<ConfigAuditRow> rows = auditRows(*m_store, kRulesTable, id.value());
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).operation, QStringLiteral("CREATE"));
    QCOMPARE(rows.at(0).changedBy, QStringLiteral("alice"));
    QCOMPARE(rows.at(0).correlationId, QStringLiteral("cid-create"));
    QCOMPARE(rows.at(0).reason, QStringLiteral("conformance test"));
    QVERIFY(!rows.at(0).oldValues);
    QCOMPARE(asJson(rows.at(0).newValues), asJson(rule));
    QVERIFY(rows.at(0).changedAt.isValid());
    QVERIFY(qAbs(rows.at(0).changedAt.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
}

void TestSqlStoreRules::updateRuleAuditsOnlyChangedFields()
{
    auto id = m_store->createRule(makeRule(QStringLiteral("LINK-DOWN"), 10), makeAudit());
    QVERIFY(id);
    AlertRule changed = m_store->rule(id.value()).value();
    changed.priority = 200;
    changed.prodHandling = QStringLiteral("Ticket_only");

    QVERIFY(m_store->updateRule(changed, makeAudit(QStringLiteral("bob"), QStringLiteral("cid-update"))));

    QCOMPARE(asJson(m_store->rule(id.value()).value()), asJson(changed));
    const QList<ConfigAuditRow> rows = auditRows(*m_store, kRulesTable, id.value());
    QCOMPARE(rows.size(), 2);
    const ConfigAuditRow &update = rows.at(0);  // newest first
    QCOMPARE(update.operation, QStringLiteral("UPDATE"));
    QCOMPARE(update.changedBy, QStringLiteral("bob"));
    QCOMPARE(asJson(update.oldValues), QByteArray(R"({"priority":10,"prod_handling":"Page_and_ticket"})"));
    QCOMPARE(asJson(update.newValues), QByteArray(R"({"priority":200,"prod_handling":"Ticket_only"})"));
}

void TestSqlStoreRules::updateWithoutChangesWritesNoAudit()
{
    auto id = m_store->createRule(makeRule(QStringLiteral("LINK-DOWN")), makeAudit());
    QVERIFY(id);

    QVERIFY(m_store->updateRule(m_store->rule(id.value()).value(), makeAudit()));

    QCOMPARE(auditRows(*m_store, kRulesTable, id.value()).size(), 1);
}

void TestSqlStoreRules::missingRuleIsNotFound()
{
    AlertRule ghost = makeRule(QStringLiteral("ghost"));
    ghost.id = 4242;

    auto read = m_store->rule(4242);
    auto updated = m_store->updateRule(ghost, makeAudit());
    auto deleted = m_store->deleteRule(4242, makeAudit());

    QVERIFY(!read);
    QCOMPARE(read.error().code, ErrorCode::NotFound);
    QVERIFY(!updated);
    QCOMPARE(updated.error().code, ErrorCode::NotFound);
    QVERIFY(!deleted);
    QCOMPARE(deleted.error().code, ErrorCode::NotFound);
    QVERIFY(deleted.error().message.contains(QStringLiteral("4242")));
    QCOMPARE(auditRows(*m_store, kRulesTable).size(), 0);
}

void TestSqlStoreRules::invalidRuleIsRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown match_type") << "match_type"
                                        << "foo"
                                        << R"(match_type must be one of contains, regex, oid_prefix; got "foo")";
    QTest::newRow("no criteria") << "match_string"
                                 << "<null>"
                                 << "match_string or trap_oid is required";
    QTest::newRow("regex does not compile") << "regex"
                                            << "(unclosed"
                                            << "missing ): (unclosed";
    QTest::newRow("severity 8") << "syslog_severity"
                                << "8"
                                << "syslog_severity must be null or an integer from 0 to 7; got 8";
    QTest::newRow("severity -1") << "syslog_severity"
                                 << "-1"
                                 << "got -1";
    QTest::newRow("empty prod_handling") << "prod_handling"
                                         << ""
                                         << "prod_handling is missing or empty";
    QTest::newRow("empty dev_handling") << "dev_handling"
                                        << " "
                                        << "dev_handling is missing or empty";
    QTest::newRow("empty team_assignment") << "team_assignment"
                                           << ""
                                           << "team_assignment is missing or empty";
    QTest::newRow("long team_assignment") << "team_assignment" << QString(101, QLatin1Char('t'))
                                          << "team_assignment must be at most 100 characters; got 101";
    QTest::newRow("long match_string") << "match_string" << QString(256, QLatin1Char('m'))
                                       << "match_string must be at most 255 characters; got 256";
    QTest::newRow("oid_prefix without trap_oid") << "match_type"
                                                 << "oid_prefix"
                                                 << "trap_oid is required when match_type is oid_prefix";
    QTest::newRow("trap_oid not dotted digits") << "trap_oid"
                                                << "1.3.six.1"
                                                << R"(trap_oid must be dotted digits)";
}

void TestSqlStoreRules::invalidRuleIsRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, message);
    AlertRule rule = makeRule(QStringLiteral("ERROR"));
    if (field == QStringLiteral("match_type"))
        rule.matchType = value;
    else if (field == QStringLiteral("match_string"))
        rule.matchString = value == QStringLiteral("<null>") ? std::nullopt : std::optional<QString>(value);
    else if (field == QStringLiteral("regex")) {
        rule.matchType = QStringLiteral("regex");
        rule.matchString = value;
    } else if (field == QStringLiteral("syslog_severity"))
        rule.syslogSeverity = value.toInt();
    else if (field == QStringLiteral("prod_handling"))
        rule.prodHandling = value;
    else if (field == QStringLiteral("dev_handling"))
        rule.devHandling = value;
    else if (field == QStringLiteral("team_assignment"))
        rule.teamAssignment = value;
    else if (field == QStringLiteral("trap_oid"))
        rule.trapOid = value;

    auto created = m_store->createRule(rule, makeAudit());

    QVERIFY(!created);
    QCOMPARE(created.error().code, ErrorCode::InvalidInput);
    QVERIFY2(created.error().message.contains(message), qPrintable(created.error().message));
    QCOMPARE(m_store->listRules().value().size(), 0);
    QCOMPARE(auditRows(*m_store, kRulesTable).size(), 0);
}

void TestSqlStoreRules::invalidUpdateIsRejected()
{
    auto id = m_store->createRule(makeRule(QStringLiteral("ERROR")), makeAudit());
    QVERIFY(id);
    AlertRule rule = m_store->rule(id.value()).value();
    rule.syslogSeverity = 9;

    auto updated = m_store->updateRule(rule, makeAudit());

    QVERIFY(!updated);
    QCOMPARE(updated.error().code, ErrorCode::InvalidInput);
    QVERIFY(!m_store->rule(id.value()).value().syslogSeverity);
    QCOMPARE(auditRows(*m_store, kRulesTable).size(), 1);
}

void TestSqlStoreRules::validRuleVariantsAreAccepted_data()
{
    QTest::addColumn<QString>("matchType");
    QTest::addColumn<QString>("matchString");
    QTest::addColumn<QString>("trapOid");
    QTest::addColumn<int>("severity");  // -1: null
    QTest::addColumn<int>("priority");

    QTest::newRow("regex") << "regex"
                           << R"(%LINK-\d+-UPDOWN)"
                           << "" << -1 << 5;
    QTest::newRow("oid_prefix with leading dot") << "oid_prefix"
                                                 << ""
                                                 << ".1.3.6.1.4.1.9" << -1 << 1;
    QTest::newRow("oid_prefix without leading dot") << "oid_prefix"
                                                    << ""
                                                    << "1.3.6.1.6.3.1.1.5.3" << -1 << 1;
    QTest::newRow("severity 0, negative priority") << "contains"
                                                   << "panic"
                                                   << "" << 0 << -50;
    QTest::newRow("severity 7, large priority") << "contains"
                                                << "debug"
                                                << "" << 7 << 2000000000;
    QTest::newRow("contains with trap_oid too") << "contains"
                                                << "coldStart"
                                                << ".1.3.6.1.6.3.1.1.5.1" << -1 << 100;
}

void TestSqlStoreRules::validRuleVariantsAreAccepted()
{
    QFETCH(QString, matchType);
    QFETCH(QString, matchString);
    QFETCH(QString, trapOid);
    QFETCH(int, severity);
    QFETCH(int, priority);
    AlertRule rule = makeRule(matchString, priority);
    rule.matchType = matchType;
    rule.matchString = matchString.isEmpty() ? std::nullopt : std::optional<QString>(matchString);
    rule.trapOid = trapOid.isEmpty() ? std::nullopt : std::optional<QString>(trapOid);
    rule.syslogSeverity = severity < 0 ? std::nullopt : std::optional<int>(severity);

    auto id = m_store->createRule(rule, makeAudit());

    QVERIFY2(id, qPrintable(id ? QString() : id.error().toString()));
    rule.id = id.value();
    QCOMPARE(asJson(m_store->rule(id.value()).value()), asJson(rule));
}

void TestSqlStoreRules::longCorrelationIdIsRejected()
{
    auto created = m_store->createRule(
        makeRule(QStringLiteral("ERROR")), makeAudit(QStringLiteral("tester"), QString(37, QLatin1Char('c'))));

    QVERIFY(!created);
    QCOMPARE(created.error().code, ErrorCode::InvalidInput);
    QVERIFY(created.error().message.startsWith(QStringLiteral("correlation_id")));
}

void TestSqlStoreRules::deleteRuleWithoutAuditRowsSucceeds()
{
    const AlertRule rule = makeRule(QStringLiteral("DOT1X"));
    auto id = m_store->createRule(rule, makeAudit());
    QVERIFY(id);

    QVERIFY(m_store->deleteRule(id.value(), makeAudit(QStringLiteral("carol"), QStringLiteral("cid-delete"))));

    QCOMPARE(m_store->rule(id.value()).error().code, ErrorCode::NotFound);
    const QList<ConfigAuditRow> rows = auditRows(*m_store, kRulesTable, id.value());
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).operation, QStringLiteral("DELETE"));
    QCOMPARE(rows.at(0).changedBy, QStringLiteral("carol"));
    AlertRule deleted = rule;
    deleted.id = id.value();
    QCOMPARE(asJson(rows.at(0).oldValues), asJson(deleted));
    QVERIFY(!rows.at(0).newValues);
}

void TestSqlStoreRules::deleteRuleWithAuditRowsConflicts()
{
    auto id = m_store->createRule(makeRule(QStringLiteral("ERROR")), makeAudit());
    QVERIFY(id);
    EventAuditRow row;
    row.eventTimestamp = QDateTime::currentDateTimeUtc();
    row.hostname = QStringLiteral("router1");
    row.matchedRuleId = id.value();
    row.handlingDecision = QStringLiteral("Ticket_only");
    row.correlationId = QStringLiteral("event-1");
    QVERIFY(m_store->writeEventAudit({row}));

    auto deleted = m_store->deleteRule(id.value(), makeAudit());

    QVERIFY(!deleted);
    QCOMPARE(deleted.error().code, ErrorCode::Conflict);
    QVERIFY2(deleted.error().message.contains(QStringLiteral("deactivate")), qPrintable(deleted.error().message));
    QVERIFY(m_store->rule(id.value()));
    QCOMPARE(auditRows(*m_store, kRulesTable, id.value()).size(), 1);
}

void TestSqlStoreRules::devHostsAddDuplicateAndRemove()
{
    const QString host = QStringLiteral("lab-switch9");
    QVERIFY(m_store->addDevHost(host, makeAudit()));
    QVERIFY(m_store->addDevHost(QStringLiteral("a-lab-router"), makeAudit()));

    auto duplicate = m_store->addDevHost(host, makeAudit());
    auto missing = m_store->removeDevHost(QStringLiteral("no-such-host"), makeAudit());
    auto blank = m_store->addDevHost(QStringLiteral("  "), makeAudit());

    QCOMPARE(m_store->listDevHosts().value(), (QList<QString> {QStringLiteral("a-lab-router"), host}));
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(!blank);
    QCOMPARE(blank.error().code, ErrorCode::InvalidInput);

    QVERIFY(m_store->removeDevHost(host, makeAudit()));
    QCOMPARE(m_store->listDevHosts().value(), QList<QString> {QStringLiteral("a-lab-router")});
    const QList<ConfigAuditRow> rows = auditRows(*m_store, kDevHostsTable, hostRecordId(host));
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).operation, QStringLiteral("DELETE"));
    QCOMPARE(asJson(rows.at(0).oldValues), QByteArray(R"({"hostname":"lab-switch9"})"));
    QCOMPARE(rows.at(1).operation, QStringLiteral("CREATE"));
    QCOMPARE(asJson(rows.at(1).newValues), QByteArray(R"({"hostname":"lab-switch9"})"));
}

void TestSqlStoreRules::teamsSetUpdateAndRemove()
{
    const QString host = QStringLiteral("core1.prod.example.com");
    QVERIFY(m_store->setTeam(host, QStringLiteral("NetOps"), makeAudit()));
    QVERIFY(m_store->setTeam(host, QStringLiteral("Security"), makeAudit()));
    QVERIFY(m_store->setTeam(host, QStringLiteral("Security"), makeAudit()));
    QCOMPARE(m_store->listTeams().value().value(host), QStringLiteral("Security"));

    auto blank = m_store->setTeam(host, QString(), makeAudit());
    QVERIFY(!blank);
    QCOMPARE(blank.error().code, ErrorCode::InvalidInput);

    QVERIFY(m_store->removeTeam(host, makeAudit()));
    auto missing = m_store->removeTeam(host, makeAudit());
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(m_store->listTeams().value().isEmpty());

    const QList<ConfigAuditRow> rows = auditRows(*m_store, kTeamsTable, hostRecordId(host));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).operation, QStringLiteral("DELETE"));
    QCOMPARE(rows.at(1).operation, QStringLiteral("UPDATE"));
    QCOMPARE(rows.at(2).operation, QStringLiteral("CREATE"));
    QCOMPARE(asJson(rows.at(1).oldValues),
        QByteArray(R"({"hostname":"core1.prod.example.com","team_assignment":"NetOps"})"));
    QCOMPARE(asJson(rows.at(1).newValues),
        QByteArray(R"({"hostname":"core1.prod.example.com","team_assignment":"Security"})"));
}

QTEST_GUILESS_MAIN(TestSqlStoreRules)
#include "tst_sqlstore_rules.moc"
