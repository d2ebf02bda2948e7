#include "sql/AuditValues.h"

#include "sql/RuleBundleJson.h"
#include "sql/RuleValidation.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace mutt::sql {
namespace {

constexpr int kMaxChangedByLength = 100;
constexpr int kMaxTableNameLength = 50;
constexpr int kMaxCorrelationIdLength = 36;

Status checkChangedBy(const QString &changedBy)
{
    if (changedBy.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("changed_by is required; name the user, API key or "
                           "service making the change"));
    if (characterCount(changedBy) > kMaxChangedByLength)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("changed_by must be at most %1 characters; got %2")
                .arg(kMaxChangedByLength)
                .arg(characterCount(changedBy)));
    return {};
}

Status checkCorrelationId(const QString &correlationId)
{
    if (characterCount(correlationId) <= kMaxCorrelationIdLength)
        return {};
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("correlation_id must be at most %1 characters (a UUID fits); got %2")
            .arg(kMaxCorrelationIdLength)
            .arg(characterCount(correlationId)));
}

}  // namespace

QJsonObject devHostAuditValues(const QString &hostname)
{
    return {{QStringLiteral("hostname"), hostname}};
}

QJsonObject teamAuditValues(const QString &hostname, const QString &team)
{
    return {{QStringLiteral("hostname"), hostname}, {QStringLiteral("team_assignment"), team}};
}

qint64 hostRecordId(const QString &hostname)
{
    const QByteArray digest = QCryptographicHash::hash(hostname.toUtf8(), QCryptographicHash::Sha1);
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | quint8(digest.at(i));
    value &= 0x7fffffffU;
    return value == 0 ? 1 : qint64(value);
}

std::pair<QJsonObject, QJsonObject> changedRuleFields(const AlertRule &before, const AlertRule &after)
{
    AlertRule beforeWithoutId = before;
    AlertRule afterWithoutId = after;
    beforeWithoutId.id = 0;
    afterWithoutId.id = 0;
    const QJsonObject oldObject = alertRuleToJson(beforeWithoutId);
    const QJsonObject newObject = alertRuleToJson(afterWithoutId);

    std::pair<QJsonObject, QJsonObject> changed;
    for (auto it = newObject.constBegin(); it != newObject.constEnd(); ++it) {
        const QJsonValue oldValue = oldObject.value(it.key());
        if (oldValue != it.value()) {
            changed.first.insert(it.key(), oldValue);
            changed.second.insert(it.key(), it.value());
        }
    }
    return changed;
}

Status validateAuditContext(const AuditContext &audit)
{
    if (auto ok = checkChangedBy(audit.changedBy); !ok)
        return ok;
    return checkCorrelationId(audit.correlationId);
}

Status validateConfigAuditRow(const ConfigAuditRow &row)
{
    if (auto ok = checkChangedBy(row.changedBy); !ok)
        return ok;
    if (auto ok = checkCorrelationId(row.correlationId); !ok)
        return ok;

    const QStringList operations {kCreateOperation, kUpdateOperation, kDeleteOperation};
    if (!operations.contains(row.operation))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("operation must be one of CREATE, UPDATE, DELETE; got \"%1\"").arg(row.operation));
    if (row.tableName.trimmed().isEmpty() || characterCount(row.tableName) > kMaxTableNameLength)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("table_name must be 1 to %1 characters; got \"%2\"")
                .arg(kMaxTableNameLength)
                .arg(row.tableName));
    if (row.recordId <= 0)
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("record_id must be a positive integer; got %1").arg(row.recordId));
    if (row.operation == kUpdateOperation && (!row.oldValues || !row.newValues))
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("an UPDATE audit row needs old_values and new_values; give both"));
    return {};
}

Status validateEventAuditRow(const EventAuditRow &row, const QString &path)
{
    const auto invalid = [&path](const QString &message) { return makeError(ErrorCode::InvalidInput, path + message); };
    if (!row.eventTimestamp.isValid() || row.eventTimestamp.toUTC().date().year() < 1
        || row.eventTimestamp.toUTC().date().year() > 9999)
        return invalid(QStringLiteral("event_timestamp must be a valid date and time between the years 1 and 9999"));
    if (auto ok = validateHostname(row.hostname, path + QStringLiteral("hostname")); !ok)
        return ok;
    if (row.matchedRuleId <= 0)
        return invalid(
            QStringLiteral("matched_rule_id must be the positive id of a rule; got %1").arg(row.matchedRuleId));
    if (row.handlingDecision.trimmed().isEmpty() || characterCount(row.handlingDecision) > kMaxHandlingLength)
        return invalid(QStringLiteral("handling_decision must be 1 to %1 characters; got \"%2\"")
                           .arg(kMaxHandlingLength)
                           .arg(row.handlingDecision));
    return {};
}

Status validatePaging(int page, int limit)
{
    if (page < 1)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("page must be 1 or more; got %1").arg(page));
    if (limit < 1 || limit > kMaxPageLimit)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("limit must be between 1 and %1; got %2").arg(kMaxPageLimit).arg(limit));
    return {};
}

Status validateTimeRange(const std::optional<QDateTime> &start, const std::optional<QDateTime> &end)
{
    if (start && !start->isValid())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("start must be a valid date and time; give an RFC "
                           "3339 timestamp such as 2025-01-15T00:00:00Z"));
    if (end && !end->isValid())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("end must be a valid date and time; give an RFC "
                           "3339 timestamp such as 2025-01-16T00:00:00Z"));
    return {};
}

ConfigAuditRow makeConfigAuditRow(const AuditContext &audit, const QString &operation, const QString &tableName,
    qint64 recordId, std::optional<QJsonObject> oldValues, std::optional<QJsonObject> newValues)
{
    ConfigAuditRow row;
    row.changedAt = QDateTime::currentDateTimeUtc();
    row.changedBy = audit.changedBy;
    row.operation = operation;
    row.tableName = tableName;
    row.recordId = recordId;
    if (operation != kCreateOperation)
        row.oldValues = std::move(oldValues);
    if (operation != kDeleteOperation)
        row.newValues = std::move(newValues);
    row.reason = audit.reason;
    row.correlationId = audit.correlationId;
    return row;
}

}  // namespace mutt::sql
