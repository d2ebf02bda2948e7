#include "sql/BundleImporter.h"

#include "core/ProblemList.h"
#include "sql/AuditValues.h"
#include "sql/ConfigAuditTable.h"
#include "sql/HostTables.h"
#include "sql/RuleBundleJson.h"
#include "sql/RuleTable.h"
#include "sql/RuleValidation.h"
#include "sql/SqlDialect.h"

#include <QSet>

#include <algorithm>

namespace mutt::sql {
namespace {

// The checks below add one problem per rule, host or team that fails, so
// one import attempt reports every one of them.
void validateRules(const QList<AlertRule> &rules, const QSet<qsizetype> &unread, ProblemList &problems)
{
    QHash<qint64, qsizetype> firstIndexOfId;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QString path = QStringLiteral("rules[%1].").arg(i);
        if (unread.contains(i))
            continue;
        if (auto ok = validateRule(rules.at(i), path); !ok)
            problems.add(ok);
        if (rules.at(i).id < 0) {
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1id must be a positive integer or absent; got %2").arg(path).arg(rules.at(i).id)));
            continue;
        }
        if (rules.at(i).id == 0)
            continue;
        if (const auto seen = firstIndexOfId.constFind(rules.at(i).id); seen != firstIndexOfId.cend()) {
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1id %2 repeats rules[%3].id; give each rule its own id or leave id out")
                    .arg(path)
                    .arg(rules.at(i).id)
                    .arg(*seen)));
            continue;
        }
        firstIndexOfId.insert(rules.at(i).id, i);
    }
}

void validateDevHosts(const QList<QString> &hosts, ProblemList &problems)
{
    QHash<QString, qsizetype> firstIndex;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString path = QStringLiteral("dev_hosts[%1]").arg(i);
        if (auto ok = validateHostname(hosts.at(i), path); !ok) {
            problems.add(ok);
            continue;
        }
        if (const auto seen = firstIndex.constFind(hosts.at(i)); seen != firstIndex.cend()) {
            problems.add(makeError(ErrorCode::InvalidInput,
                QStringLiteral("%1 \"%2\" repeats dev_hosts[%3]; list each host once")
                    .arg(path, hosts.at(i))
                    .arg(*seen)));
            continue;
        }
        firstIndex.insert(hosts.at(i), i);
    }
}

void validateTeams(const QHash<QString, QString> &teams, ProblemList &problems)
{
    // Sorted by host name, so the problems come in the same order each run.
    QStringList hosts = teams.keys();
    std::sort(hosts.begin(), hosts.end());
    for (const QString &host : hosts) {
        const QString path = QStringLiteral("teams[\"%1\"]").arg(host);
        problems.add(validateHostname(host, QStringLiteral("the host name of ") + path));
        problems.add(validateTeamName(teams.value(host), path));
    }
}

}  // namespace

BundleImporter::BundleImporter(QSqlDatabase &db, const SqlDialect &dialect, const AuditContext &audit)
    : m_db(db)
    , m_dialect(dialect)
    , m_audit(audit)
{
}

Status BundleImporter::validate(const RuleBundle &bundle)
{
    ProblemList problems;
    validate(bundle, {}, problems);
    return problems.status();
}

void BundleImporter::validate(const RuleBundle &bundle, const QSet<qsizetype> &unreadRules, ProblemList &problems)
{
    validateRules(bundle.rules, unreadRules, problems);
    validateDevHosts(bundle.devHosts, problems);
    validateTeams(bundle.teams, problems);
}

Result<ImportSummary> BundleImporter::apply(const RuleBundle &bundle)
{
    ImportSummary summary;
    if (auto ok = applyRules(bundle.rules, summary); !ok)
        return ok.error();
    if (auto ok = applyDevHosts(bundle.devHosts, summary); !ok)
        return ok.error();
    if (auto ok = applyTeams(bundle.teams, summary); !ok)
        return ok.error();
    return summary;
}

Status BundleImporter::applyRules(const QList<AlertRule> &rules, ImportSummary &summary)
{
    RuleTable table(m_db, m_dialect);
    ConfigAuditTable audit(m_db, m_dialect);
    auto existing = table.select(false, RuleTable::Order::Id);
    if (!existing)
        return existing.error();

    QSet<qint64> keptIds;
    for (const AlertRule &rule : rules)
        keptIds.insert(rule.id);

    QHash<qint64, AlertRule> existingById;
    for (const AlertRule &old : existing.value()) {
        existingById.insert(old.id, old);
        if (keptIds.contains(old.id))
            continue;
        auto references = table.auditReferenceCount(old.id);
        if (!references)
            return references.error();
        if (references.value() > 0)
            return makeError(ErrorCode::Conflict,
                QStringLiteral("the import would delete rule id=%1, which %2 event audit rows reference; "
                               "keep it in the bundle with \"is_active\": false instead")
                    .arg(old.id)
                    .arg(references.value()));
        if (auto ok = table.remove(old.id); !ok)
            return ok;
        if (auto ok = audit.record(m_audit, kDeleteOperation, kRulesTable, old.id, alertRuleToJson(old), std::nullopt);
            !ok)
            return ok;
        ++summary.rulesDeleted;
    }

    bool insertedWithId = false;
    for (const AlertRule &rule : rules) {
        if (rule.id == 0)
            continue;
        if (const auto old = existingById.constFind(rule.id); old != existingById.cend()) {
            auto [oldValues, newValues] = changedRuleFields(*old, rule);
            if (newValues.isEmpty())
                continue;
            if (auto ok = table.update(rule); !ok)
                return ok;
            if (auto ok = audit.record(m_audit, kUpdateOperation, kRulesTable, rule.id, oldValues, newValues); !ok)
                return ok;
            ++summary.rulesUpdated;
            continue;
        }
        if (auto ok = table.insertWithId(rule); !ok)
            return ok;
        if (auto ok
            = audit.record(m_audit, kCreateOperation, kRulesTable, rule.id, std::nullopt, alertRuleToJson(rule));
            !ok)
            return ok;
        insertedWithId = true;
        ++summary.rulesCreated;
    }
    if (insertedWithId) {
        if (auto ok = m_dialect.syncRuleIdSequence(m_db); !ok)
            return ok;
    }

    for (const AlertRule &rule : rules) {
        if (rule.id != 0)
            continue;
        auto id = table.insert(rule);
        if (!id)
            return id.error();
        AlertRule stored = rule;
        stored.id = id.value();
        if (auto ok
            = audit.record(m_audit, kCreateOperation, kRulesTable, stored.id, std::nullopt, alertRuleToJson(stored));
            !ok)
            return ok;
        ++summary.rulesCreated;
    }
    return {};
}

Status BundleImporter::applyDevHosts(const QList<QString> &hosts, ImportSummary &summary)
{
    HostTables tables(m_db, m_dialect);
    ConfigAuditTable audit(m_db, m_dialect);
    auto existing = tables.devHosts();
    if (!existing)
        return existing.error();

    const QSet<QString> wanted(hosts.cbegin(), hosts.cend());
    const QSet<QString> present(existing.value().cbegin(), existing.value().cend());
    for (const QString &host : existing.value()) {
        if (wanted.contains(host))
            continue;
        if (auto ok = tables.deleteDevHost(host); !ok)
            return ok;
        if (auto ok = audit.record(
                m_audit, kDeleteOperation, kDevHostsTable, hostRecordId(host), devHostAuditValues(host), std::nullopt);
            !ok)
            return ok;
        ++summary.devHostsRemoved;
    }
    for (const QString &host : hosts) {
        if (present.contains(host))
            continue;
        if (auto ok = tables.insertDevHost(host); !ok)
            return ok;
        if (auto ok = audit.record(
                m_audit, kCreateOperation, kDevHostsTable, hostRecordId(host), std::nullopt, devHostAuditValues(host));
            !ok)
            return ok;
        ++summary.devHostsAdded;
    }
    return {};
}

Status BundleImporter::applyTeams(const QHash<QString, QString> &teams, ImportSummary &summary)
{
    HostTables tables(m_db, m_dialect);
    ConfigAuditTable audit(m_db, m_dialect);
    auto existing = tables.teams();
    if (!existing)
        return existing.error();

    for (auto it = existing.value().constBegin(); it != existing.value().constEnd(); ++it) {
        if (teams.contains(it.key()))
            continue;
        if (auto ok = tables.deleteTeam(it.key()); !ok)
            return ok;
        if (auto ok = audit.record(m_audit, kDeleteOperation, kTeamsTable, hostRecordId(it.key()),
                teamAuditValues(it.key(), it.value()), std::nullopt);
            !ok)
            return ok;
        ++summary.teamsRemoved;
    }

    QStringList hosts = teams.keys();
    hosts.sort();
    for (const QString &host : hosts) {
        const QString team = teams.value(host);
        const auto old = existing.value().constFind(host);
        if (old != existing.value().cend() && *old == team)
            continue;

        const bool isNew = old == existing.value().cend();
        if (auto ok = isNew ? tables.insertTeam(host, team) : tables.updateTeam(host, team); !ok)
            return ok;
        const std::optional<QJsonObject> oldValues = isNew ? std::nullopt : std::optional(teamAuditValues(host, *old));
        if (auto ok = audit.record(m_audit, isNew ? kCreateOperation : kUpdateOperation, kTeamsTable,
                hostRecordId(host), oldValues, teamAuditValues(host, team));
            !ok)
            return ok;
        ++summary.teamsSet;
    }
    return {};
}

}  // namespace mutt::sql
