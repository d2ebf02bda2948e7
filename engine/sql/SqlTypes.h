#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace mutt::sql {

// A row of alert_rules (MUTT v2.5 columns).
struct AlertRule {
    qint64 id = 0;
    std::optional<QString> matchString;
    std::optional<QString> trapOid;
    std::optional<int> syslogSeverity;  // 0..7
    QString matchType = QStringLiteral("contains");  // contains | regex | oid_prefix
    int priority = 100;  // lower wins; ties broken by id
    QString prodHandling;
    QString devHandling;
    QString teamAssignment;
    bool isActive = true;
};

// What the alerter caches: active rules (priority, id order), dev hosts and
// the host -> team map.
struct RuleSnapshot {
    QList<AlertRule> rules;
    QSet<QString> devHosts;
    QHash<QString, QString> teams;
};

// A row of event_audit_log. correlationId is our idempotency key: a second
// row with the same correlation id is not written.
struct EventAuditRow {
    qint64 id = 0;
    QDateTime eventTimestamp;  // UTC
    QString hostname;
    qint64 matchedRuleId = 0;
    QString handlingDecision;
    bool forwardedToMoog = false;
    QString rawMessage;  // the event JSON
    QString correlationId;
};

// A row of config_audit_log.
struct ConfigAuditRow {
    qint64 id = 0;
    QDateTime changedAt;  // UTC
    QString changedBy;
    QString operation;  // CREATE | UPDATE | DELETE
    QString tableName;
    qint64 recordId = 0;
    std::optional<QJsonObject> oldValues;
    std::optional<QJsonObject> newValues;
    QString reason;
    QString correlationId;
};

// Who made a change and why; written to config_audit_log with the change.
struct AuditContext {
    QString changedBy = QStringLiteral("system");
    QString reason;
    QString correlationId;
};

struct EventAuditQuery {
    int page = 1;  // 1-based
    int limit = 50;  // 1..1000
    std::optional<QString> hostname;
    std::optional<qint64> ruleId;
    std::optional<QDateTime> start;
    std::optional<QDateTime> end;
};

struct ConfigAuditQuery {
    int page = 1;
    int limit = 50;
    std::optional<QString> changedBy;  // substring, case-insensitive
    std::optional<QString> operation;
    std::optional<QString> tableName;
    std::optional<qint64> recordId;
    std::optional<QDateTime> start;
    std::optional<QDateTime> end;
};

template <typename Row> struct Page {
    QList<Row> rows;
    qint64 total = 0;
    int page = 1;
    int limit = 50;
};

// The rule bundle of `muttd rules import/export`:
// {"rules":[alert_rules rows], "dev_hosts":[...], "teams":{host: team}}.
struct RuleBundle {
    QList<AlertRule> rules;
    QList<QString> devHosts;
    QHash<QString, QString> teams;
};

}  // namespace mutt::sql
