#include "sql/QtSqlStore.h"

#include "core/Log.h"
#include "sql/AuditValues.h"
#include "sql/BundleImporter.h"
#include "sql/ConfigAuditTable.h"
#include "sql/EventAuditTable.h"
#include "sql/HostTables.h"
#include "sql/RuleBundleJson.h"
#include "sql/RuleTable.h"
#include "sql/RuleValidation.h"
#include "sql/SqlExec.h"
#include "sql/SqlMigrator.h"
#include "sql/SqlTransaction.h"

#include <QSqlDatabase>
#include <QSqlQuery>

namespace mutt::sql {
namespace {

Error ruleNotFound(qint64 id)
{
    return makeError(ErrorCode::NotFound, QStringLiteral("rule id=%1 does not exist").arg(id));
}

// Validation that every mutation shares: the rule (when there is one) and
// who is making the change.
Status validateChange(const AuditContext &audit, const AlertRule *rule = nullptr)
{
    if (rule) {
        if (auto ok = validateRule(*rule); !ok)
            return ok;
    }
    return validateAuditContext(audit);
}

}  // namespace

QtSqlStore::QtSqlStore(std::unique_ptr<SqlDialect> dialect)
    : m_dialect(std::move(dialect))
    , m_connections(m_dialect->driverName(), QStringLiteral("mutt-sql-") + m_dialect->name(),
          [dialect = m_dialect.get()](QSqlDatabase &db) { return dialect->openConnection(db); })
{
}

QtSqlStore::~QtSqlStore() = default;

template <typename R, typename Work> R QtSqlStore::attemptTransaction(bool write, Work &work, bool *began)
{
    *began = false;
    auto db = m_connections.database();
    if (!db)
        return db.error();

    SqlTransaction transaction(db.value(), *m_dialect);
    if (auto begun = write ? transaction.beginWrite() : transaction.beginRead(); !begun)
        return begun.error();
    *began = true;

    R result = work(db.value());
    if (!result)
        return result;
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return result;
}

template <typename R, typename Work> R QtSqlStore::inTransaction(bool write, Work &&work)
{
    bool began = false;
    R result = attemptTransaction<R>(write, work, &began);
    if (result || result.error().code != ErrorCode::Unavailable || !dropConnectionIfLost())
        return result;
    if (write && began) {
        log::get("sql")->warn("sql write failed on a lost connection backend={}; the write may or may not have "
                              "been applied and is reported as unavailable so the caller retries it",
            m_dialect->name());
        return result;
    }

    log::get("sql")->info("sql connection lost backend={}; retrying the {} on a new connection", m_dialect->name(),
        write ? "write" : "read");
    return attemptTransaction<R>(write, work, &began);
}

bool QtSqlStore::dropConnectionIfLost()
{
    {
        auto db = m_connections.database();
        if (!db)
            return true;
        QSqlQuery probe(db.value());
        if (db.value().isOpen() && probe.exec(QStringLiteral("SELECT 1")) && probe.next())
            return false;
    }
    m_connections.closeCurrentThread();
    return true;
}

QString QtSqlStore::backendName() const
{
    return m_dialect->name();
}

Status QtSqlStore::ping()
{
    return inTransaction<Status>(false, [this](QSqlDatabase &db) -> Status {
        auto query = runSql(db, *m_dialect, QStringLiteral("SELECT 1"));
        if (!query)
            return query.error();
        return {};
    });
}

Status QtSqlStore::migrate()
{
    auto db = m_connections.database();
    if (!db)
        return db.error();
    return SqlMigrator(*m_dialect).migrate(db.value());
}

Result<int> QtSqlStore::schemaVersion()
{
    auto db = m_connections.database();
    if (!db)
        return db.error();
    return SqlMigrator(*m_dialect).currentVersion(db.value());
}

Result<RuleSnapshot> QtSqlStore::loadRuleSnapshot()
{
    return inTransaction<Result<RuleSnapshot>>(false, [this](QSqlDatabase &db) -> Result<RuleSnapshot> {
        HostTables hosts(db, *m_dialect);
        auto rules = RuleTable(db, *m_dialect).select(true, RuleTable::Order::PriorityThenId);
        if (!rules)
            return rules.error();
        auto devHosts = hosts.devHosts();
        if (!devHosts)
            return devHosts.error();
        auto teams = hosts.teams();
        if (!teams)
            return teams.error();

        RuleSnapshot snapshot;
        snapshot.rules = std::move(rules).value();
        snapshot.devHosts = QSet<QString>(devHosts.value().cbegin(), devHosts.value().cend());
        snapshot.teams = std::move(teams).value();
        return snapshot;
    });
}

Result<QList<AlertRule>> QtSqlStore::listRules()
{
    return inTransaction<Result<QList<AlertRule>>>(false,
        [this](QSqlDatabase &db) { return RuleTable(db, *m_dialect).select(false, RuleTable::Order::PriorityThenId); });
}

Result<AlertRule> QtSqlStore::rule(qint64 id)
{
    return inTransaction<Result<AlertRule>>(false, [this, id](QSqlDatabase &db) -> Result<AlertRule> {
        auto found = RuleTable(db, *m_dialect).find(id);
        if (!found)
            return found.error();
        if (!found.value())
            return ruleNotFound(id);
        return *found.value();
    });
}

Result<qint64> QtSqlStore::createRule(const AlertRule &rule, const AuditContext &audit)
{
    if (auto ok = validateChange(audit, &rule); !ok)
        return ok.error();

    auto created = inTransaction<Result<qint64>>(true, [&](QSqlDatabase &db) -> Result<qint64> {
        auto id = RuleTable(db, *m_dialect).insert(rule);
        if (!id)
            return id;
        AlertRule stored = rule;
        stored.id = id.value();
        auto audited
            = ConfigAuditTable(db, *m_dialect)
                  .record(audit, kCreateOperation, kRulesTable, stored.id, std::nullopt, alertRuleToJson(stored));
        if (!audited)
            return audited.error();
        return id;
    });
    if (created)
        log::get("sql")->info("rule created rule_id={} changed_by={} correlation_id={}", created.value(),
            audit.changedBy, audit.correlationId);
    return created;
}

Status QtSqlStore::updateRule(const AlertRule &rule, const AuditContext &audit)
{
    if (auto ok = validateChange(audit, &rule); !ok)
        return ok;

    bool changed = false;
    auto updated = inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        RuleTable rules(db, *m_dialect);
        auto old = rules.find(rule.id);
        if (!old)
            return old.error();
        if (!old.value())
            return ruleNotFound(rule.id);

        auto [oldValues, newValues] = changedRuleFields(*old.value(), rule);
        if (newValues.isEmpty())
            return {};
        if (auto ok = rules.update(rule); !ok)
            return ok;
        changed = true;
        return ConfigAuditTable(db, *m_dialect)
            .record(audit, kUpdateOperation, kRulesTable, rule.id, oldValues, newValues);
    });
    if (updated && changed)
        log::get("sql")->info(
            "rule updated rule_id={} changed_by={} correlation_id={}", rule.id, audit.changedBy, audit.correlationId);
    return updated;
}

Status QtSqlStore::deleteRule(qint64 id, const AuditContext &audit)
{
    if (auto ok = validateChange(audit); !ok)
        return ok;

    auto deleted = inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        RuleTable rules(db, *m_dialect);
        auto old = rules.find(id);
        if (!old)
            return old.error();
        if (!old.value())
            return ruleNotFound(id);

        auto references = rules.auditReferenceCount(id);
        if (!references)
            return references.error();
        if (references.value() > 0)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("rule id=%1 cannot be deleted because %2 event audit rows reference it; "
                               "deactivate it instead (set is_active to false)")
                    .arg(id)
                    .arg(references.value()));
        if (auto ok = rules.remove(id); !ok)
            return ok;
        return ConfigAuditTable(db, *m_dialect)
            .record(audit, kDeleteOperation, kRulesTable, id, alertRuleToJson(*old.value()), std::nullopt);
    });
    if (deleted)
        log::get("sql")->info(
            "rule deleted rule_id={} changed_by={} correlation_id={}", id, audit.changedBy, audit.correlationId);
    return deleted;
}

Result<QList<QString>> QtSqlStore::listDevHosts()
{
    return inTransaction<Result<QList<QString>>>(
        false, [this](QSqlDatabase &db) { return HostTables(db, *m_dialect).devHosts(); });
}

Status QtSqlStore::addDevHost(const QString &hostname, const AuditContext &audit)
{
    if (auto ok = validateHostname(hostname); !ok)
        return ok;
    if (auto ok = validateChange(audit); !ok)
        return ok;

    return inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        HostTables hosts(db, *m_dialect);
        auto present = hosts.hasDevHost(hostname);
        if (!present)
            return present.error();
        if (present.value())
            return makeError(
                ErrorCode::Conflict, QStringLiteral("development host \"%1\" already exists").arg(hostname));
        if (auto ok = hosts.insertDevHost(hostname); !ok)
            return ok;
        return ConfigAuditTable(db, *m_dialect)
            .record(audit, kCreateOperation, kDevHostsTable, hostRecordId(hostname), std::nullopt,
                devHostAuditValues(hostname));
    });
}

Status QtSqlStore::removeDevHost(const QString &hostname, const AuditContext &audit)
{
    if (auto ok = validateChange(audit); !ok)
        return ok;

    return inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        HostTables hosts(db, *m_dialect);
        auto present = hosts.hasDevHost(hostname);
        if (!present)
            return present.error();
        if (!present.value())
            return makeError(
                ErrorCode::NotFound, QStringLiteral("development host \"%1\" does not exist").arg(hostname));
        if (auto ok = hosts.deleteDevHost(hostname); !ok)
            return ok;
        return ConfigAuditTable(db, *m_dialect)
            .record(audit, kDeleteOperation, kDevHostsTable, hostRecordId(hostname), devHostAuditValues(hostname),
                std::nullopt);
    });
}

Result<QHash<QString, QString>> QtSqlStore::listTeams()
{
    return inTransaction<Result<QHash<QString, QString>>>(
        false, [this](QSqlDatabase &db) { return HostTables(db, *m_dialect).teams(); });
}

Status QtSqlStore::setTeam(const QString &hostname, const QString &team, const AuditContext &audit)
{
    if (auto ok = validateHostname(hostname); !ok)
        return ok;
    if (auto ok = validateTeamName(team); !ok)
        return ok;
    if (auto ok = validateChange(audit); !ok)
        return ok;

    return inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        HostTables hosts(db, *m_dialect);
        auto old = hosts.team(hostname);
        if (!old)
            return old.error();
        if (old.value() == team)
            return {};

        ConfigAuditTable auditTable(db, *m_dialect);
        const qint64 recordId = hostRecordId(hostname);
        if (!old.value()) {
            if (auto ok = hosts.insertTeam(hostname, team); !ok)
                return ok;
            return auditTable.record(
                audit, kCreateOperation, kTeamsTable, recordId, std::nullopt, teamAuditValues(hostname, team));
        }
        if (auto ok = hosts.updateTeam(hostname, team); !ok)
            return ok;
        return auditTable.record(audit, kUpdateOperation, kTeamsTable, recordId,
            teamAuditValues(hostname, *old.value()), teamAuditValues(hostname, team));
    });
}

Status QtSqlStore::removeTeam(const QString &hostname, const AuditContext &audit)
{
    if (auto ok = validateChange(audit); !ok)
        return ok;

    return inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        HostTables hosts(db, *m_dialect);
        auto old = hosts.team(hostname);
        if (!old)
            return old.error();
        if (!old.value())
            return makeError(ErrorCode::NotFound, QStringLiteral("host \"%1\" has no team assignment").arg(hostname));
        if (auto ok = hosts.deleteTeam(hostname); !ok)
            return ok;
        return ConfigAuditTable(db, *m_dialect)
            .record(audit, kDeleteOperation, kTeamsTable, hostRecordId(hostname),
                teamAuditValues(hostname, *old.value()), std::nullopt);
    });
}

Status QtSqlStore::importBundle(const RuleBundle &bundle, const AuditContext &audit)
{
    if (auto ok = BundleImporter::validate(bundle); !ok)
        return ok;
    if (auto ok = validateChange(audit); !ok)
        return ok;

    auto imported = inTransaction<Result<ImportSummary>>(
        true, [&](QSqlDatabase &db) { return BundleImporter(db, *m_dialect, audit).apply(bundle); });
    if (!imported) {
        log::get("sql")->warn("rule bundle import rejected changed_by={} reason=\"{}\"; nothing was changed",
            audit.changedBy, imported.error().logText());
        return imported.error();
    }

    const ImportSummary &s = imported.value();
    log::get("sql")->info("rule bundle imported rules={} rules_created={} rules_updated={} rules_deleted={} "
                          "dev_hosts_added={} dev_hosts_removed={} teams_set={} teams_removed={} changed_by={} "
                          "correlation_id={}",
        bundle.rules.size(), s.rulesCreated, s.rulesUpdated, s.rulesDeleted, s.devHostsAdded, s.devHostsRemoved,
        s.teamsSet, s.teamsRemoved, audit.changedBy, audit.correlationId);
    return {};
}

Result<RuleBundle> QtSqlStore::exportBundle()
{
    return inTransaction<Result<RuleBundle>>(false, [this](QSqlDatabase &db) -> Result<RuleBundle> {
        HostTables hosts(db, *m_dialect);
        auto rules = RuleTable(db, *m_dialect).select(false, RuleTable::Order::Id);
        if (!rules)
            return rules.error();
        auto devHosts = hosts.devHosts();
        if (!devHosts)
            return devHosts.error();
        auto teams = hosts.teams();
        if (!teams)
            return teams.error();
        return RuleBundle {std::move(rules).value(), std::move(devHosts).value(), std::move(teams).value()};
    });
}

Status QtSqlStore::writeEventAudit(const QList<EventAuditRow> &rows)
{
    if (rows.isEmpty())
        return {};
    QSet<qint64> ruleIds;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (auto ok = validateEventAuditRow(rows.at(i), QStringLiteral("rows[%1].").arg(i)); !ok)
            return ok;
        ruleIds.insert(rows.at(i).matchedRuleId);
    }

    qint64 written = 0;
    auto stored = inTransaction<Status>(true, [&](QSqlDatabase &db) -> Status {
        EventAuditTable table(db, *m_dialect);
        auto missing = table.firstMissingRule(ruleIds);
        if (!missing)
            return missing.error();
        if (missing.value())
            return makeError(ErrorCode::Conflict,
                QStringLiteral("matched_rule_id %1 is not a rule in alert_rules, so the audit batch was "
                               "not written; the rule was deleted after matching, evaluate the event again")
                    .arg(*missing.value()));
        auto inserted = table.insert(rows);
        if (!inserted)
            return inserted.error();
        written = inserted.value();
        return {};
    });
    if (stored)
        log::get("sql")->debug("event audit batch written rows={} written={} duplicates_skipped={}", rows.size(),
            written, rows.size() - written);
    return stored;
}

Result<Page<EventAuditRow>> QtSqlStore::queryEventAudit(const EventAuditQuery &query)
{
    if (auto ok = validatePaging(query.page, query.limit); !ok)
        return ok.error();
    if (auto ok = validateTimeRange(query.start, query.end); !ok)
        return ok.error();

    return inTransaction<Result<Page<EventAuditRow>>>(
        false, [&](QSqlDatabase &db) { return EventAuditTable(db, *m_dialect).query(query); });
}

Result<qint64> QtSqlStore::countEventAudit()
{
    return inTransaction<Result<qint64>>(
        false, [this](QSqlDatabase &db) { return EventAuditTable(db, *m_dialect).count(); });
}

Result<qint64> QtSqlStore::latestConfigChange()
{
    return inTransaction<Result<qint64>>(false, [this](QSqlDatabase &db) -> Result<qint64> {
        auto query = runSql(db, *m_dialect, QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM config_audit_log"));
        if (!query)
            return query.error();
        return query.value().next() ? query.value().value(0).toLongLong() : 0;
    });
}

Status QtSqlStore::writeConfigAudit(const ConfigAuditRow &row)
{
    if (auto ok = validateConfigAuditRow(row); !ok)
        return ok;

    ConfigAuditRow stored = row;
    if (stored.operation == kCreateOperation)
        stored.oldValues.reset();
    if (stored.operation == kDeleteOperation)
        stored.newValues.reset();
    return inTransaction<Status>(
        true, [&](QSqlDatabase &db) { return ConfigAuditTable(db, *m_dialect).insert(stored); });
}

Result<Page<ConfigAuditRow>> QtSqlStore::queryConfigAudit(const ConfigAuditQuery &query)
{
    if (auto ok = validatePaging(query.page, query.limit); !ok)
        return ok.error();
    if (auto ok = validateTimeRange(query.start, query.end); !ok)
        return ok.error();
    const QStringList operations {kCreateOperation, kUpdateOperation, kDeleteOperation};
    if (query.operation && !operations.contains(query.operation->toUpper()))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("operation must be one of CREATE, UPDATE, DELETE; got \"%1\"").arg(*query.operation));

    return inTransaction<Result<Page<ConfigAuditRow>>>(
        false, [&](QSqlDatabase &db) { return ConfigAuditTable(db, *m_dialect).query(query); });
}

}  // namespace mutt::sql
