#pragma once

#include "sql/SqlConnections.h"
#include "sql/SqlDialect.h"
#include "sql/SqlStore.h"

#include <QtGlobal>

#include <memory>

namespace mutt::sql {

// SqlStore over Qt Sql. All behaviour (validation, audit rows in the same
// transaction, import planning, paging) lives here, and a backend supplies a
// SqlDialect and a named constructor. SqliteSqlStore is one such backend. A
// PostgreSQL store is meant to be another that passes the same conformance
// suite.
//
// Every method runs on the calling thread's own connection. Every method
// that writes runs in one write transaction.
class QtSqlStore : public SqlStore {
public:
    ~QtSqlStore() override;
    Q_DISABLE_COPY_MOVE(QtSqlStore)

    [[nodiscard]] QString backendName() const override;
    Status ping() override;
    Status migrate() override;
    Result<int> schemaVersion() override;

    Result<RuleSnapshot> loadRuleSnapshot() override;

    // All rules ordered by priority, then id (inactive included).
    Result<QList<AlertRule>> listRules() override;
    Result<AlertRule> rule(qint64 id) override;
    // rule.id is ignored: the rule gets a new id, which is returned.
    Result<qint64> createRule(const AlertRule &rule, const AuditContext &audit) override;
    // Writes no audit row when nothing changed.
    Status updateRule(const AlertRule &rule, const AuditContext &audit) override;
    Status deleteRule(qint64 id, const AuditContext &audit) override;

    // Sorted by hostname.
    Result<QList<QString>> listDevHosts() override;
    Status addDevHost(const QString &hostname, const AuditContext &audit) override;
    Status removeDevHost(const QString &hostname, const AuditContext &audit) override;

    Result<QHash<QString, QString>> listTeams() override;
    // Creates or changes the mapping; writes no audit row when unchanged.
    // Team audit values carry the hostname in old and new values, because
    // record_id is only a hash of it.
    Status setTeam(const QString &hostname, const QString &team, const AuditContext &audit) override;
    Status removeTeam(const QString &hostname, const AuditContext &audit) override;

    // See BundleImporter for how ids are kept and what is audited.
    Status importBundle(const RuleBundle &bundle, const AuditContext &audit) override;
    // Rules ordered by id.
    Result<RuleBundle> exportBundle() override;

    // InvalidInput names the row ("rows[2].hostname ..."); Conflict when a
    // matched_rule_id is not a rule (the whole batch is not written).
    Status writeEventAudit(const QList<EventAuditRow> &rows) override;
    Result<Page<EventAuditRow>> queryEventAudit(const EventAuditQuery &query) override;
    Result<qint64> countEventAudit() override;
    Result<qint64> latestConfigChange() override;

    // Validated as the v2.5 audit writer did (validateConfigAuditRow);
    // an invalid changedAt means now.
    Status writeConfigAudit(const ConfigAuditRow &row) override;
    Result<Page<ConfigAuditRow>> queryConfigAudit(const ConfigAuditQuery &query) override;

protected:
    explicit QtSqlStore(std::unique_ptr<SqlDialect> dialect);

    [[nodiscard]] const SqlDialect &dialect() const { return *m_dialect; }
    [[nodiscard]] SqlConnections &connections() { return m_connections; }
    [[nodiscard]] const SqlConnections &connections() const { return m_connections; }

    // After an Unavailable failure: true when this thread's connection no
    // longer responds (server restarted, network cut). It is then closed, so
    // the next call opens a new one.
    bool dropConnectionIfLost();

private:
    // Runs `work` on this thread's connection inside a write (or read)
    // transaction; commits when it succeeds and rolls back when it fails.
    // When the connection turns out to be lost, a read runs once more on a
    // new connection, and so does a write that failed before its
    // transaction began. A write that may have reached the server returns
    // Unavailable, so the caller retries it.
    template <typename R, typename Work> R inTransaction(bool write, Work &&work);
    template <typename R, typename Work> R attemptTransaction(bool write, Work &work, bool *began);

    std::unique_ptr<SqlDialect> m_dialect;
    SqlConnections m_connections;
};

}  // namespace mutt::sql
