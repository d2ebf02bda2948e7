#include "V25Schema.h"

QStringList v25SchemaStatements()
{
    return {
        // mutt_schema.sql
        QStringLiteral("CREATE TABLE alert_rules ("
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
        QStringLiteral("CREATE INDEX idx_alert_rules_match_type ON alert_rules (match_type)"),
        QStringLiteral("CREATE INDEX idx_alert_rules_is_active ON alert_rules (is_active)"),
        QStringLiteral("CREATE TABLE development_hosts (hostname VARCHAR(255) PRIMARY KEY)"),
        QStringLiteral("CREATE TABLE device_teams (hostname VARCHAR(255) PRIMARY KEY,"
                       " team_assignment VARCHAR(100) NOT NULL)"),
        QStringLiteral("CREATE TABLE event_audit_log ("
                       " id BIGSERIAL,"
                       " event_timestamp TIMESTAMPTZ NOT NULL,"
                       " hostname VARCHAR(255) NOT NULL,"
                       " matched_rule_id INT NOT NULL,"
                       " handling_decision VARCHAR(100) NOT NULL,"
                       " forwarded_to_moog BOOLEAN NOT NULL DEFAULT false,"
                       " raw_message TEXT,"
                       " PRIMARY KEY (id, event_timestamp),"
                       " CONSTRAINT fk_event_audit_matched_rule FOREIGN KEY (matched_rule_id)"
                       "  REFERENCES alert_rules(id) ON DELETE RESTRICT"
                       ") PARTITION BY RANGE (event_timestamp)"),
        QStringLiteral("CREATE INDEX idx_audit_log_timestamp ON event_audit_log (event_timestamp)"),
        QStringLiteral("CREATE INDEX idx_audit_log_hostname ON event_audit_log (hostname)"),
        QStringLiteral("CREATE INDEX idx_audit_log_rule_id ON event_audit_log (matched_rule_id)"),
        QStringLiteral("INSERT INTO alert_rules (match_string, trap_oid, match_type, priority, prod_handling,"
                       " dev_handling, team_assignment) VALUES"
                       " ('CRITICAL', NULL, 'contains', 10, 'Page_and_ticket', 'Ticket_only', 'NETO'),"
                       " ('ERROR', NULL, 'contains', 20, 'Ticket_only', 'Ignore', 'NETO'),"
                       " ('LINK-DOWN', NULL, 'contains', 5, 'Page_and_ticket', 'Ticket_only', 'NetOps'),"
                       " ('DOT1X-FIRMWARE-RUNNING', NULL, 'contains', 50, 'Ticket_only', 'Ignore', 'Security'),"
                       " (NULL, '.1.3.6.1.4.1.9.9.41.2', 'oid_prefix', 15, 'Page_and_ticket', 'Ignore', 'NetOps')"),
        QStringLiteral("INSERT INTO development_hosts (hostname) VALUES ('dev-router1'), ('test-switch1'),"
                       " ('qa-firewall1')"),
        QStringLiteral("INSERT INTO device_teams (hostname, team_assignment) VALUES"
                       " ('router1.prod.example.com', 'NetOps'), ('switch1.prod.example.com', 'NetOps'),"
                       " ('firewall1.prod.example.com', 'Security'), ('server1.prod.example.com', 'SysAdmin')"),
        // the partition a create_monthly_partitions.py run leaves behind
        QStringLiteral("CREATE TABLE event_audit_log_2025_01 PARTITION OF event_audit_log"
                       " FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')"),
        QStringLiteral("INSERT INTO event_audit_log (event_timestamp, hostname, matched_rule_id, handling_decision,"
                       " forwarded_to_moog, raw_message) VALUES ('2025-01-15T14:30:22Z', 'router1.prod.example.com',"
                       " 2, 'Ticket_only', true, '{\"message\":\"ERROR link down\"}')"),

        // config_audit_schema.sql
        QStringLiteral("CREATE TABLE config_audit_log ("
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
        QStringLiteral("CREATE INDEX idx_config_audit_log_table_record ON config_audit_log (table_name, record_id)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_changed_at ON config_audit_log (changed_at DESC)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_changed_by ON config_audit_log (changed_by)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_correlation_id ON config_audit_log (correlation_id)"
                       " WHERE correlation_id IS NOT NULL"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_old_values_gin ON config_audit_log USING GIN (old_values)"),
        QStringLiteral("CREATE INDEX idx_config_audit_log_new_values_gin ON config_audit_log USING GIN (new_values)"),
        QStringLiteral("INSERT INTO config_audit_log (changed_by, operation, table_name, record_id, old_values,"
                       " new_values, reason) VALUES"
                       " ('admin_api_key', 'CREATE', 'alert_rules', 1, NULL, '{\"priority\": 100}', 'Initial rule'),"
                       " ('webui_session_user_alice', 'UPDATE', 'alert_rules', 1, '{\"priority\": 100}',"
                       "  '{\"priority\": 200}', 'Lower priority'),"
                       " ('automation_service', 'UPDATE', 'alert_rules', 1, '{\"is_active\": true}',"
                       "  '{\"is_active\": false}', 'Auto-disable'),"
                       " ('admin_api_key', 'DELETE', 'alert_rules', 99, '{\"priority\": 50}', NULL, 'Cleanup')"),
    };
}
