#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QSet>

class QSqlDatabase;

namespace mutt {
class ProblemList;
}

namespace mutt::sql {

class SqlDialect;

// Counts of the rows an import changed, for the log and the command-line summary.
struct ImportSummary {
    int rulesCreated = 0;
    int rulesUpdated = 0;
    int rulesDeleted = 0;
    int devHostsAdded = 0;
    int devHostsRemoved = 0;
    int teamsSet = 0;
    int teamsRemoved = 0;
};

// Replaces rules, development hosts and teams with a bundle inside the
// caller's write transaction, writing one config_audit_log row per changed
// row. A rule with a given id keeps it: an existing rule with that id is
// updated in place (so audit rows that reference it stay valid), otherwise
// it is inserted with that id. Rules without an id get new ids above all
// others. Rules absent from the bundle are deleted, which is a Conflict
// when event_audit_log rows reference them.
class BundleImporter final {
public:
    BundleImporter(QSqlDatabase &db, const SqlDialect &dialect, const AuditContext &audit);

    // Checks every rule (messages name "rules[i].field"), unique rule ids,
    // dev hosts ("dev_hosts[i]", each once) and teams ("teams[\"host\"]")
    // before anything is written.
    static Status validate(const RuleBundle &bundle);
    // As above, adding each problem to `problems`. The rules at the indexes
    // in `unreadRules` are skipped, because a field of theirs could not be
    // read and its default value would add a misleading problem.
    static void validate(const RuleBundle &bundle, const QSet<qsizetype> &unreadRules, ProblemList &problems);

    Result<ImportSummary> apply(const RuleBundle &bundle);

private:
    Status applyRules(const QList<AlertRule> &rules, ImportSummary &summary);
    Status applyDevHosts(const QList<QString> &hosts, ImportSummary &summary);
    Status applyTeams(const QHash<QString, QString> &teams, ImportSummary &summary);

    QSqlDatabase &m_db;
    const SqlDialect &m_dialect;
    const AuditContext &m_audit;
};

}  // namespace mutt::sql
