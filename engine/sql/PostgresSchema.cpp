#include "sql/PostgresSchema.h"

namespace mutt::sql {
namespace {

// The MUTT v2.5 tables exactly as database/mutt_schema.sql and
// config_audit_schema.sql define them (columns, types, constraint and
// index names), in IF NOT EXISTS form.
SqlMigration createV25Tables()
{
    SqlMigration step;
    step.version = 1;
    step.name = QStringLiteral("create_v25_tables");
    step.statements = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS alert_rules ("
                       " id SERIAL PRIMARY KEY,"
                       " match_string VARCHAR(255),"
                       " trap_oid VARCHAR(255),"
                       " syslog_severity INT,"
                       " match_type VARCHAR(20) NOT NULL DEFAULT 'contains'"
                       "  CHECK (match_type IN ('contains', 'regex', 'oid_prefix')),"
                       " priority INT NOT NULL DEFAULT 100,"
                       " prod_handling VARCHAR(100) NOT NULL,"
                       " dev_handling VARCHAR(100) NOT NULL,"
                       " team_assignment VARCHAR(100) NOT NULL,"
                       " is_active BOOLEAN NOT NULL DEFAULT true,"
                       " CONSTRAINT chk_syslog_severity CHECK (syslog_severity IS NULL"
                       "  OR (syslog_severity >= 0 AND syslog_severity <= 7)),"
                       " CONSTRAINT chk_match_criteria CHECK (match_string IS NOT NULL OR trap_oid IS NOT NULL))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_alert_rules_match_type ON alert_rules (match_type)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_alert_rules_is_active ON alert_rules (is_active)"),

        QStringLiteral("CREATE TABLE IF NOT EXISTS development_hosts (hostname VARCHAR(255) PRIMARY KEY)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS device_teams ("
                       " hostname VARCHAR(255) PRIMARY KEY,"
                       " team_assignment VARCHAR(100) NOT NULL)"),

        QStringLiteral("CREATE TABLE IF NOT EXISTS event_audit_log ("
                       " id BIGSERIAL,"
                       " event_timestamp TIMESTAMPTZ NOT NULL,"
                       " hostname VARCHAR(255) NOT NULL,"
                       " matched_rule_id INT NOT NULL,"
                       " handling_decision VARCHAR(100) NOT NULL,"
                       " forwarded_to_moog BOOLEAN NOT NULL DEFAULT false,"
                       " raw_message TEXT,"
                       " PRIMARY KEY (id, event_timestamp),"
                       " CONSTRAINT fk_event_audit_matched_rule FOREIGN KEY (matched_rule_id)"
                       "  REFERENCES alert_rules (id) ON DELETE RESTRICT"
                       ") PARTITION BY RANGE (event_timestamp)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_audit_log_timestamp ON event_audit_log (event_timestamp)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_audit_log_hostname ON event_audit_log (hostname)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_audit_log_rule_id ON event_audit_log (matched_rule_id)"),

        QStringLiteral("CREATE TABLE IF NOT EXISTS config_audit_log ("
                       " id BIGSERIAL PRIMARY KEY,"
                       " changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),"
                       " changed_by VARCHAR(100) NOT NULL,"
                       " operation VARCHAR(10) NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),"
                       " table_name VARCHAR(50) NOT NULL,"
                       " record_id INTEGER NOT NULL,"
                       " old_values JSONB,"
                       " new_values JSONB,"
                       " reason TEXT,"
                       " correlation_id VARCHAR(36))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_config_audit_log_table_record"
                       " ON config_audit_log (table_name, record_id)"),
        QStringLiteral(
            "CREATE INDEX IF NOT EXISTS idx_config_audit_log_changed_at ON config_audit_log (changed_at DESC)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_config_audit_log_changed_by ON config_audit_log (changed_by)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_config_audit_log_correlation_id"
                       " ON config_audit_log (correlation_id) WHERE correlation_id IS NOT NULL"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_config_audit_log_old_values_gin"
                       " ON config_audit_log USING GIN (old_values)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS idx_config_audit_log_new_values_gin"
                       " ON config_audit_log USING GIN (new_values)"),
    };
    return step;
}

// The idempotency key of audit writes (see
// PostgresDialect::eventAuditConflictClause). TEXT like SQLite's column: the
// alerter's correlation ids may exceed 36 characters.
SqlMigration addAuditCorrelationId()
{
    SqlMigration step;
    step.version = 2;
    step.name = QStringLiteral("add_event_audit_correlation_id");
    step.statements = {
        QStringLiteral("ALTER TABLE event_audit_log ADD COLUMN IF NOT EXISTS correlation_id TEXT"),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS idx_audit_log_correlation_id"
                       " ON event_audit_log (correlation_id, event_timestamp)"),
    };
    return step;
}

// v2.5 created no partition at all, so every audit insert failed until a
// partition job ran. The DEFAULT partition takes rows no month partition
// covers; creating a month partition later moves them out of it.
SqlMigration createDefaultPartition()
{
    SqlMigration step;
    step.version = 3;
    step.name = QStringLiteral("create_event_audit_default_partition");
    step.statements = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS event_audit_log_default PARTITION OF event_audit_log DEFAULT"),
    };
    return step;
}

}  // namespace

QList<SqlMigration> postgresMigrations()
{
    return {createV25Tables(), addAuditCorrelationId(), createDefaultPartition()};
}

MonthPartition MonthPartition::of(QDate anyDayOfMonth)
{
    const QDate first(anyDayOfMonth.year(), anyDayOfMonth.month(), 1);
    return MonthPartition {
        QStringLiteral("event_audit_log_%1").arg(first.toString(QStringLiteral("yyyy_MM"))), first, first.addMonths(1)};
}

}  // namespace mutt::sql
