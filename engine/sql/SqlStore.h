#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

namespace mutt::sql {

// Rules, dev hosts, teams, event audit and config audit. SQLite (embedded)
// and PostgreSQL implement it with the same behaviour, checked by one
// conformance suite. Every method may be called from any thread; each thread
// gets its own connection.
class SqlStore {
public:
    virtual ~SqlStore() = default;

    // "sqlite" or "postgresql".
    [[nodiscard]] virtual QString backendName() const = 0;
    virtual Status ping() = 0;

    // Creates or upgrades the schema to the latest version. Idempotent.
    virtual Status migrate() = 0;
    virtual Result<int> schemaVersion() = 0;

    // Active rules ordered by priority then id, dev hosts and teams, read in
    // one transaction.
    virtual Result<RuleSnapshot> loadRuleSnapshot() = 0;

    // Rules: every mutation validates its input (InvalidInput naming the
    // field), writes config_audit_log in the same transaction, and returns
    // NotFound for a missing id.
    virtual Result<QList<AlertRule>> listRules() = 0;
    virtual Result<AlertRule> rule(qint64 id) = 0;
    virtual Result<qint64> createRule(const AlertRule &rule, const AuditContext &audit) = 0;
    virtual Status updateRule(const AlertRule &rule, const AuditContext &audit) = 0;
    // Conflict when event_audit_log rows reference the rule (deactivate it instead).
    virtual Status deleteRule(qint64 id, const AuditContext &audit) = 0;

    virtual Result<QList<QString>> listDevHosts() = 0;
    virtual Status addDevHost(const QString &hostname, const AuditContext &audit) = 0;  // Conflict if present
    virtual Status removeDevHost(const QString &hostname, const AuditContext &audit) = 0;  // NotFound if absent

    virtual Result<QHash<QString, QString>> listTeams() = 0;
    virtual Status setTeam(const QString &hostname, const QString &team, const AuditContext &audit) = 0;
    virtual Status removeTeam(const QString &hostname, const AuditContext &audit) = 0;

    // Replaces all rules, dev hosts and teams with the bundle in one
    // transaction (rule ids are kept when given). Audited.
    virtual Status importBundle(const RuleBundle &bundle, const AuditContext &audit) = 0;
    virtual Result<RuleBundle> exportBundle() = 0;

    // Writes a batch of audit rows in one transaction; rows whose
    // correlationId already exists are skipped (idempotent on retry).
    virtual Status writeEventAudit(const QList<EventAuditRow> &rows) = 0;
    virtual Result<Page<EventAuditRow>> queryEventAudit(const EventAuditQuery &query) = 0;
    virtual Result<qint64> countEventAudit() = 0;

    virtual Status writeConfigAudit(const ConfigAuditRow &row) = 0;
    virtual Result<Page<ConfigAuditRow>> queryConfigAudit(const ConfigAuditQuery &query) = 0;
    // Returns the newest config_audit_log id (0 when there is none). Every
    // audited change of rules, dev hosts or teams raises it, whichever process
    // or program wrote the change. The v2.5 web UI audits rule changes only.
    virtual Result<qint64> latestConfigChange() = 0;
};

}  // namespace mutt::sql
