#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace mutt::sql {

// The rule bundle file of `muttd rules import/export`:
//   {"rules": [{"id": 1, "match_string": "CRITICAL", "trap_oid": null,
//               "syslog_severity": null, "match_type": "contains",
//               "priority": 10, "prod_handling": "Page_and_ticket",
//               "dev_handling": "Ticket_only", "team_assignment": "NETO",
//               "is_active": true}, ...],
//    "dev_hosts": ["dev-router1", ...],
//    "teams": {"router1.prod.example.com": "NetOps", ...}}
// All three keys are required (an import replaces everything, so a missing
// key would silently empty a table). Parsing checks JSON types only;
// RuleValidation checks the values. Errors are InvalidInput and name the
// JSON path, e.g. "rules[3].priority must be an integer; got \"high\"".
Result<RuleBundle> parseRuleBundleJson(const QByteArray &json);

// Indented JSON in the format above: rules in the given order, dev hosts
// sorted, teams keyed by hostname (sorted). Absent optional values are null.
QByteArray ruleBundleToJson(const RuleBundle &bundle);

// One rule object with the alert_rules column names as keys (id included
// when it is not 0). Also the shape of config_audit_log values for rules.
QJsonObject alertRuleToJson(const AlertRule &rule);

// Reads a rule object. Keys that are absent keep their value from `base`,
// so a partial object updates an existing rule. "id" is read when present,
// and unknown keys are rejected. `path` prefixes field names in messages,
// e.g. "rules[3]".
Result<AlertRule> alertRuleFromJson(const QJsonObject &object, const QString &path = {}, const AlertRule &base = {});

}  // namespace mutt::sql
