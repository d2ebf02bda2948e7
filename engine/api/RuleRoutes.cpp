#include "api/RuleRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRequest.h"
#include "api/ApiRouter.h"
#include "sql/RuleBundleJson.h"
#include "sql/RuleValidation.h"
#include "sql/SqlStore.h"

#include <QJsonArray>

namespace mutt::api {
namespace {

// Keys of a request body that are not rule columns.
QJsonObject ruleFieldsOf(QJsonObject body)
{
    body.remove(QStringLiteral("reason"));
    body.remove(QStringLiteral("id"));
    return body;
}

Result<qint64> ruleIdOf(const ApiCall &call)
{
    return positiveId(call.params.value(0), QStringLiteral("rule id"));
}

// Adds "warnings" (strings) when a handling value does not forward. The key
// is left out otherwise, so the response keeps the MUTT v2.5 shape.
void addHandlingWarnings(QJsonObject &answer, const sql::AlertRule &rule)
{
    const QStringList warnings = sql::handlingWarnings(rule);
    if (!warnings.isEmpty())
        answer.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(warnings));
}

}  // namespace

void RuleRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("rules"), [this](const ApiCall &) { return list(); });
    router.add("POST", QStringLiteral("rules"), [this](const ApiCall &call) { return create(call); });
    router.add("GET", QStringLiteral("rules/:id"), [this](const ApiCall &call) { return get(call); });
    router.add("PUT", QStringLiteral("rules/:id"), [this](const ApiCall &call) { return update(call); });
    router.add("DELETE", QStringLiteral("rules/:id"), [this](const ApiCall &call) { return remove(call); });
}

http::HttpResponse RuleRoutes::list() const
{
    const Result<QList<sql::AlertRule>> rules = m_sql.listRules();
    if (!rules)
        return errorReply(rules.error());

    QJsonArray items;
    for (const sql::AlertRule &rule : rules.value())
        items.append(sql::alertRuleToJson(rule));
    return reply(200, QJsonObject {{QStringLiteral("rules"), items}});
}

http::HttpResponse RuleRoutes::get(const ApiCall &call) const
{
    const Result<qint64> id = ruleIdOf(call);
    if (!id)
        return errorReply(id.error());

    const Result<sql::AlertRule> rule = m_sql.rule(id.value());
    if (!rule)
        return rule.error().code == ErrorCode::NotFound ? errorReply(404, QStringLiteral("Rule not found"))
                                                        : errorReply(rule.error());
    return reply(200, sql::alertRuleToJson(rule.value()));
}

http::HttpResponse RuleRoutes::create(const ApiCall &call) const
{
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());

    QStringList missing;
    for (const QString &field :
        {QStringLiteral("prod_handling"), QStringLiteral("dev_handling"), QStringLiteral("team_assignment")}) {
        if (!body.value().contains(field))
            missing.append(field);
    }
    if (!missing.isEmpty())
        return errorReply(400,
            QStringLiteral("Missing required fields: %1; give each as a string")
                .arg(missing.join(QStringLiteral(", "))));

    const Result<sql::AlertRule> rule = sql::alertRuleFromJson(ruleFieldsOf(body.value()));
    if (!rule)
        return errorReply(rule.error());
    const Result<qint64> id = m_sql.createRule(rule.value(), call.audit(reasonOf(body.value())));
    if (!id)
        return errorReply(id.error());

    m_notice.rulesChanged();
    QJsonObject answer {
        {QStringLiteral("id"), id.value()}, {QStringLiteral("message"), QStringLiteral("Rule created successfully")}};
    addHandlingWarnings(answer, rule.value());
    return reply(201, answer);
}

http::HttpResponse RuleRoutes::update(const ApiCall &call) const
{
    const Result<qint64> id = ruleIdOf(call);
    if (!id)
        return errorReply(id.error());
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());

    const QJsonObject fields = ruleFieldsOf(body.value());
    if (fields.isEmpty())
        return errorReply(400,
            QStringLiteral("No fields to update; give at least one of match_string, trap_oid, syslog_severity, "
                           "match_type, priority, prod_handling, dev_handling, team_assignment, is_active"));
    const Result<sql::AlertRule> existing = m_sql.rule(id.value());
    if (!existing)
        return existing.error().code == ErrorCode::NotFound ? errorReply(404, QStringLiteral("Rule not found"))
                                                            : errorReply(existing.error());
    Result<sql::AlertRule> changed = sql::alertRuleFromJson(fields, {}, existing.value());
    if (!changed)
        return errorReply(changed.error());
    changed.value().id = id.value();

    if (const Status updated = m_sql.updateRule(changed.value(), call.audit(reasonOf(body.value()))); !updated)
        return errorReply(updated.error());

    m_notice.rulesChanged();
    QJsonObject answer {{QStringLiteral("message"), QStringLiteral("Rule updated successfully")}};
    addHandlingWarnings(answer, changed.value());
    return reply(200, answer);
}

http::HttpResponse RuleRoutes::remove(const ApiCall &call) const
{
    const Result<qint64> id = ruleIdOf(call);
    if (!id)
        return errorReply(id.error());
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject(true);
    if (!body)
        return errorReply(body.error());

    const Status removed = m_sql.deleteRule(id.value(), call.audit(reasonOf(body.value())));
    if (!removed && removed.error().code == ErrorCode::NotFound)
        return errorReply(404, QStringLiteral("Rule not found"));
    if (!removed && removed.error().code == ErrorCode::Conflict) {
        const QString version = call.request.path.startsWith("/api/v1/") ? QStringLiteral("v1") : QStringLiteral("v2");
        return errorReply(409,
            QStringLiteral("rule %1 has event audit rows and cannot be deleted; deactivate it instead with "
                           "PUT /api/%2/rules/%1 {\"is_active\": false}")
                .arg(id.value())
                .arg(version));
    }
    if (!removed)
        return errorReply(removed.error());

    m_notice.rulesChanged();
    return reply(200, QJsonObject {{QStringLiteral("message"), QStringLiteral("Rule deleted successfully")}});
}

}  // namespace mutt::api
