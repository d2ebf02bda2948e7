#include "sql/SqliteSchema.h"

namespace mutt::sql {
namespace {

// The MUTT v2.5 tables (database/mutt_schema.sql and
// config_audit_schema.sql) in SQLite terms. The differences from PostgreSQL:
// - SERIAL/BIGSERIAL become INTEGER PRIMARY KEY AUTOINCREMENT, so ids are
//   never reused;
// - VARCHAR(n) lengths are enforced by CHECK constraints, because SQLite
//   ignores them;
// - TIMESTAMPTZ is RFC 3339 UTC TEXT, JSONB is TEXT and BOOLEAN is 0/1;
// - event_audit_log is one table (no partitions) with the primary key on
//   id alone;
// - config_audit_log has no GIN indexes on its JSON columns.
// event_audit_log has one column more than v2.5: correlation_id, the
// idempotency key of audit writes.
SqlMigration createV25Tables()
{
    SqlMigration step;
    step.version = 1;
    step.name = QStringLiteral("create_v25_tables");
    step.statements = {
        QStringLiteral(
            "CREATE TABLE alert_rules ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " match_string VARCHAR(255) CHECK (match_string IS NULL OR length(match_string) <= 255),"
            " trap_oid VARCHAR(255) CHECK (trap_oid IS NULL OR length(trap_oid) <= 255),"
            " syslog_severity INTEGER,"
            " match_type VARCHAR(20) NOT NULL DEFAULT 'contains',"
            " priority INTEGER NOT NULL DEFAULT 100,"
            " prod_handling VARCHAR(100) NOT NULL CHECK (length(prod_handling) <= 100),"
            " dev_handling VARCHAR(100) NOT NULL CHECK (length(dev_handling) <= 100),"
            " team_assignment VARCHAR(100) NOT NULL CHECK (length(team_assignment) <= 100),"
            " is_active BOOLEAN NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),"
            " CONSTRAINT chk_syslog_severity CHECK (syslog_severity IS NULL OR syslog_severity BETWEEN 0 AND 7),"
            " CONSTRAINT chk_match_type CHECK (match_type IN ('contains', 'regex', 'oid_prefix')),"
            " CONSTRAINT chk_match_criteria CHECK (match_string IS NOT NULL OR trap_oid IS NOT NULL))"),
        QStringLiteral("CREATE INDEX idx_alert_rules_match_type ON alert_rules (match_type)"),
        QStringLiteral("CREATE INDEX idx_alert_rules_is_active ON alert_rules (is_active)"),

        QStringLiteral("CREATE TABLE development_hosts ("
                       " hostname VARCHAR(255) PRIMARY KEY CHECK (length(hostname) <= 255))"),

        QStringLiteral("CREATE TABLE device_teams ("
                       " hostname VARCHAR(255) PRIMARY KEY CHECK (length(hostname) <= 255),"
                       " team_assignment VARCHAR(100) NOT NULL CHECK (length(team_assignment) <= 100))"),

        QStringLiteral("CREATE TABLE event_audit_log ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " event_timestamp TEXT NOT NULL,"
                       " hostname VARCHAR(255) NOT NULL CHECK (length(hostname) <= 255),"
                       " matched_rule_id INTEGER NOT NULL,"
                       " handling_decision VARCHAR(100) NOT NULL CHECK (length(handling_decision) <= 100),"
                       " forwarded_to_moog BOOLEAN NOT NULL DEFAULT 0 CHECK (forwarded_to_moog IN (0, 1)),"
                       " raw_message TEXT,"
                       " correlation_id TEXT,"
                       " CONSTRAINT fk_event_audit_matched_rule FOREIGN KEY (matched_rule_id)"
                       "  REFERENCES alert_rules (id) ON DELETE RESTRICT)"),
        QStringLiteral("CREATE INDEX idx_audit_log_timestamp ON event_audit_log (event_timestamp)"),
        QStringLiteral("CREATE INDEX idx_audit_log_hostname ON event_audit_log (hostname)"),
        QStringLiteral("CREATE INDEX idx_audit_log_rule_id ON event_audit_log (matched_rule_id)"),
        // UNIQUE allows any number of NULLs: rows written without a
        // correlation id are never deduplicated.
        QStringLiteral("CREATE UNIQUE INDEX idx_audit_log_correlation_id ON event_audit_log (correlation_id)"),

        QStringLiteral("CREATE TABLE config_audit_log ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
                       " changed_by VARCHAR(100) NOT NULL CHECK (length(changed_by) <= 100),"
                       " operation VARCHAR(10) NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),"
                       " table_name VARCHAR(50) NOT NULL CHECK (length(table_name) <= 50),"
                       " record_id INTEGER NOT NULL,"
                       " old_values TEXT,"
                       " new_values TEXT,"
                       " reason TEXT,"
                       " correlation_id VARCHAR(36) CHECK (correlation_id IS NULL OR length(correlation_id) <= 36))"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_table_record ON config_audit_log (table_name, record_id)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_changed_at ON config_audit_log (changed_at DESC)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_changed_by ON config_audit_log (changed_by)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_correlation_id ON config_audit_log (correlation_id)"
                       " WHERE correlation_id IS NOT NULL"),
    };
    return step;
}

}  // namespace

QList<SqlMigration> sqliteMigrations()
{
    return {createV25Tables()};
}

}  // namespace mutt::sql
