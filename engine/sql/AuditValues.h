#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QJsonObject>
#include <QString>

#include <utility>

namespace mutt::sql {

// config_audit_log table_name values for the tables the store changes.
inline constexpr QLatin1StringView kRulesTable("alert_rules");
inline constexpr QLatin1StringView kDevHostsTable("development_hosts");
inline constexpr QLatin1StringView kTeamsTable("device_teams");

// config_audit_log operation values.
inline constexpr QLatin1StringView kCreateOperation("CREATE");
inline constexpr QLatin1StringView kUpdateOperation("UPDATE");
inline constexpr QLatin1StringView kDeleteOperation("DELETE");

// Audit values of a development_hosts row: {"hostname": ...}.
QJsonObject devHostAuditValues(const QString &hostname);
// Audit values of a device_teams row: {"hostname": ..., "team_assignment": ...}.
QJsonObject teamAuditValues(const QString &hostname, const QString &team);

// config_audit_log.record_id of a development_hosts or device_teams row,
// whose key is a hostname. It is the first 4 bytes of SHA-1(UTF-8 hostname)
// read big-endian and masked to 31 bits (0x7fffffff). A result of 0 becomes 1
// so the id is always positive. The value is the same in every process and
// backend.
qint64 hostRecordId(const QString &hostname);

// The fields that differ between two versions of a rule, keyed by column
// name: {old values, new values}. Both objects are empty when nothing
// changed; id is never part of the difference.
std::pair<QJsonObject, QJsonObject> changedRuleFields(const AlertRule &before, const AlertRule &after);

// Checks who/why before a change is written: changed_by 1..100 characters,
// correlation_id at most 36 characters (config_audit_log column sizes).
Status validateAuditContext(const AuditContext &audit);

// Checks a config_audit_log row as the v2.5 audit writer did: changed_by
// 1..100 characters, operation CREATE/UPDATE/DELETE, table_name 1..50
// characters, record_id positive, UPDATE with both old and new values,
// correlation_id at most 36 characters.
Status validateConfigAuditRow(const ConfigAuditRow &row);

// Checks an event_audit_log row before it is written: event_timestamp valid
// (years 1..9999), hostname 1..255 characters, matched_rule_id positive,
// handling_decision 1..100 characters. `path` prefixes field names, e.g.
// "rows[2].".
Status validateEventAuditRow(const EventAuditRow &row, const QString &path = {});

// Audit queries: page >= 1 and limit 1..kMaxPageLimit; given start/end
// times must be valid.
inline constexpr int kMaxPageLimit = 1000;
Status validatePaging(int page, int limit);
Status validateTimeRange(const std::optional<QDateTime> &start, const std::optional<QDateTime> &end);

// A config_audit_log row for a change made with `audit`, stamped now (UTC).
// CREATE keeps only new values and DELETE only old values.
ConfigAuditRow makeConfigAuditRow(const AuditContext &audit, const QString &operation, const QString &tableName,
    qint64 recordId, std::optional<QJsonObject> oldValues, std::optional<QJsonObject> newValues);

}  // namespace mutt::sql
