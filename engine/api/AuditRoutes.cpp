#include "api/AuditRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRequest.h"
#include "api/ApiRouter.h"
#include "sql/SqlStore.h"

#include <QJsonArray>

namespace mutt::api {
namespace {

QJsonObject eventRowJson(const sql::EventAuditRow &row)
{
    return QJsonObject {{QStringLiteral("id"), row.id},
        {QStringLiteral("event_timestamp"), rfc3339(row.eventTimestamp)}, {QStringLiteral("hostname"), row.hostname},
        {QStringLiteral("matched_rule_id"), row.matchedRuleId},
        {QStringLiteral("handling_decision"), row.handlingDecision},
        {QStringLiteral("forwarded_to_moog"), row.forwardedToMoog}, {QStringLiteral("raw_message"), row.rawMessage},
        {QStringLiteral("correlation_id"), row.correlationId}};
}

QJsonValue optionalObject(const std::optional<QJsonObject> &values)
{
    return values ? QJsonValue(*values) : QJsonValue(QJsonValue::Null);
}

QJsonObject configRowJson(const sql::ConfigAuditRow &row)
{
    return QJsonObject {{QStringLiteral("id"), row.id}, {QStringLiteral("changed_at"), rfc3339(row.changedAt)},
        {QStringLiteral("changed_by"), row.changedBy}, {QStringLiteral("operation"), row.operation},
        {QStringLiteral("table_name"), row.tableName}, {QStringLiteral("record_id"), row.recordId},
        {QStringLiteral("old_values"), optionalObject(row.oldValues)},
        {QStringLiteral("new_values"), optionalObject(row.newValues)},
        {QStringLiteral("reason"), row.reason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.reason)},
        {QStringLiteral("correlation_id"),
            row.correlationId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.correlationId)}};
}

// Operation filter: CREATE, UPDATE or DELETE in any case.
Result<std::optional<QString>> operationOf(const ApiRequest &request)
{
    const std::optional<QString> given = request.text("operation");
    if (!given)
        return std::optional<QString>();
    const QString upper = given->toUpper();
    if (upper != u"CREATE" && upper != u"UPDATE" && upper != u"DELETE")
        return Error {ErrorCode::InvalidInput,
            QStringLiteral("query parameter operation must be CREATE, UPDATE or DELETE; got \"%1\"").arg(*given)};
    return std::optional<QString>(upper);
}

}  // namespace

void AuditRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("audit-logs"), [this](const ApiCall &call) { return eventAudit(call); });
    router.add("GET", QStringLiteral("audit"),
        [this](const ApiCall &call) { return configAudit(call, QStringLiteral("logs"), std::nullopt); });
    router.add("GET", QStringLiteral("config-audit"),
        [this](const ApiCall &call) { return configAudit(call, QStringLiteral("changes"), std::nullopt); });
    router.add("GET", QStringLiteral("config/history"), [this](const ApiCall &call) {
        return configAudit(call, QStringLiteral("history"), QStringLiteral("dynamic_config"));
    });
}

http::HttpResponse AuditRoutes::eventAudit(const ApiCall &call) const
{
    const ApiRequest request(call.request);
    const Result<Paging> paging = request.paging();
    const Result<std::optional<qint64>> ruleId = request.integer("rule_id");
    const Result<std::optional<QDateTime>> start = request.time("start_date");
    const Result<std::optional<QDateTime>> end = request.time("end_date");
    for (const Status &status : {statusOf(paging), statusOf(ruleId), statusOf(start), statusOf(end)}) {
        if (!status)
            return errorReply(status.error());
    }

    sql::EventAuditQuery query;
    query.page = paging.value().page;
    query.limit = paging.value().limit;
    query.hostname = request.text("hostname");
    query.ruleId = ruleId.value();
    query.start = start.value();
    query.end = end.value();
    const Result<sql::Page<sql::EventAuditRow>> page = m_sql.queryEventAudit(query);
    if (!page)
        return errorReply(page.error());

    QJsonArray logs;
    for (const sql::EventAuditRow &row : page.value().rows)
        logs.append(eventRowJson(row));
    return reply(200,
        QJsonObject {{QStringLiteral("logs"), logs},
            {QStringLiteral("pagination"), paginationJson(page.value().total, query.page, query.limit)}});
}

http::HttpResponse AuditRoutes::configAudit(
    const ApiCall &call, const QString &listKey, const std::optional<QString> &table) const
{
    const ApiRequest request(call.request);
    const Result<Paging> paging = request.paging();
    const Result<std::optional<qint64>> recordId = request.integer("record_id");
    const Result<std::optional<QString>> operation = operationOf(request);
    const Result<std::optional<QDateTime>> start = request.time("start_date");
    const Result<std::optional<QDateTime>> end = request.time("end_date");
    for (const Status &status :
        {statusOf(paging), statusOf(recordId), statusOf(operation), statusOf(start), statusOf(end)}) {
        if (!status)
            return errorReply(status.error());
    }

    sql::ConfigAuditQuery query;
    query.page = paging.value().page;
    query.limit = paging.value().limit;
    query.changedBy = request.text("changed_by");
    query.operation = operation.value();
    query.tableName = table ? table : request.text("table_name");
    query.recordId = recordId.value();
    query.start = start.value();
    query.end = end.value();
    const Result<sql::Page<sql::ConfigAuditRow>> page = m_sql.queryConfigAudit(query);
    if (!page)
        return errorReply(page.error());

    QJsonArray rows;
    for (const sql::ConfigAuditRow &row : page.value().rows)
        rows.append(configRowJson(row));
    return reply(200,
        QJsonObject {{listKey, rows},
            {QStringLiteral("pagination"), paginationJson(page.value().total, query.page, query.limit)}});
}

}  // namespace mutt::api
