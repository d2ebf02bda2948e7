#include "api/CircuitRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRequest.h"
#include "api/ApiRouter.h"
#include "api/ConfigRoutes.h"
#include "core/Log.h"
#include "queue/QueueNames.h"
#include "sql/SqlStore.h"

#include <QDateTime>
#include <QJsonDocument>

namespace mutt::api {
namespace {

QJsonValue timeOrNull(qint64 ms)
{
    return ms > 0 ? rfc3339(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)) : QJsonValue(QJsonValue::Null);
}

QJsonObject auditValues(const queue::CircuitStatus &status)
{
    QJsonObject values {{QStringLiteral("state"), queue::circuitStateName(status.state)},
        {QStringLiteral("failures"), double(status.failures)}};
    if (status.forcedUntilMs > 0) {
        values.insert(QStringLiteral("forced_until"), timeOrNull(status.forcedUntilMs));
        values.insert(QStringLiteral("forced_reason"), status.forcedReason);
    }
    return values;
}

Result<QString> requiredReason(const QJsonObject &body)
{
    const QString reason = reasonOf(body).trimmed();
    if (reason.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("reason is required: say why, e.g. {\"reason\": \"Moogsoft is back, INC-1234\"}"));
    return reason;
}

}  // namespace

void CircuitRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("circuit"), [this](const ApiCall &) { return status(); });
    router.add("POST", QStringLiteral("circuit/force"), [this](const ApiCall &call) { return force(call); });
    router.add("POST", QStringLiteral("circuit/reset"), [this](const ApiCall &call) { return reset(call); });
}

QJsonObject CircuitRoutes::toJson(const queue::CircuitStatus &status) const
{
    return QJsonObject {{QStringLiteral("name"), queue::keys::circuitName},
        {QStringLiteral("state"), queue::circuitStateName(status.state)},
        {QStringLiteral("failures"), double(status.failures)}, {QStringLiteral("threshold"), m_policy.failureThreshold},
        {QStringLiteral("opened_at"), timeOrNull(status.openedAtMs)},
        {QStringLiteral("next_probe_at"), timeOrNull(status.nextProbeAtMs)},
        {QStringLiteral("probe_in_flight"), status.probeInFlight}, {QStringLiteral("forced_by"), status.forcedBy},
        {QStringLiteral("forced_reason"), status.forcedReason},
        {QStringLiteral("forced_until"), timeOrNull(status.forcedUntilMs)}};
}

http::HttpResponse CircuitRoutes::status() const
{
    const auto current
        = m_coordination.circuitStatus(queue::keys::circuitName, m_policy, QDateTime::currentMSecsSinceEpoch());
    if (!current)
        return errorReply(503, QStringLiteral("Circuit breaker state not available: "), current.error());
    return reply(200, QJsonObject {{QStringLiteral("circuit"), toJson(current.value())}});
}

http::HttpResponse CircuitRoutes::force(const ApiCall &call) const
{
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    const QString stateName = body.value().value(QStringLiteral("state")).toString();
    if (stateName != u"OPEN" && stateName != u"CLOSED")
        return errorReply(400,
            QStringLiteral("state must be \"OPEN\" (stop sending to Moogsoft) or \"CLOSED\" (send again); got %1")
                .arg(QString::fromUtf8(
                    QJsonDocument(QJsonObject {{QStringLiteral("state"), body.value().value(QStringLiteral("state"))}})
                        .toJson(QJsonDocument::Compact))));
    const QJsonValue minutesValue = body.value().value(QStringLiteral("minutes"));
    const double minutes = minutesValue.toDouble(-1);
    if (!minutesValue.isDouble() || minutes != double(qint64(minutes)) || minutes < 1 || minutes > kMaxForceMinutes)
        return errorReply(400,
            QStringLiteral("minutes must be a whole number from 1 to %1: how long the override lasts")
                .arg(kMaxForceMinutes));
    const queue::CircuitState state = stateName == u"OPEN" ? queue::CircuitState::Open : queue::CircuitState::Closed;
    return change(call, body.value(), QStringLiteral("forced %1 for %2 min").arg(stateName).arg(qint64(minutes)),
        [&](qint64 now, const QString &reason) {
            return m_coordination.circuitForce(
                queue::keys::circuitName, state, now + qint64(minutes) * 60'000, call.caller, reason, now);
        });
}

http::HttpResponse CircuitRoutes::reset(const ApiCall &call) const
{
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    return change(call, body.value(), QStringLiteral("reset to CLOSED"),
        [&](qint64 now, const QString &) { return m_coordination.circuitReset(queue::keys::circuitName, now); });
}

http::HttpResponse CircuitRoutes::change(
    const ApiCall &call, const QJsonObject &body, const QString &action, const Apply &apply) const
{
    const Result<QString> reason = requiredReason(body);
    if (!reason)
        return errorReply(reason.error());

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const auto before = m_coordination.circuitStatus(queue::keys::circuitName, m_policy, nowMs);
    if (!before)
        return errorReply(503, QStringLiteral("Circuit breaker state not available: "), before.error());
    const auto after = apply(nowMs, reason.value());
    if (!after)
        return errorReply(after.error());
    return recorded(call, before.value(), after.value().status, reason.value(), action);
}

http::HttpResponse CircuitRoutes::recorded(const ApiCall &call, const queue::CircuitStatus &before,
    const queue::CircuitStatus &now, const QString &reason, const QString &action) const
{
    sql::ConfigAuditRow row;
    row.changedAt = QDateTime::currentDateTimeUtc();
    row.changedBy = call.caller;
    row.operation = QStringLiteral("UPDATE");
    row.tableName = QStringLiteral("circuit_breaker");
    row.recordId = ConfigRoutes::recordIdOf(queue::keys::circuitName);
    row.oldValues = auditValues(before);
    row.newValues = auditValues(now);
    row.reason = reason;
    row.correlationId = call.correlationId;
    if (const Status written = m_sql.writeConfigAudit(row); !written) {
        mutt::log::get("api")->error("circuit audit row not written action=\"{}\" correlation_id={}; reason={}", action,
            call.correlationId, written.error().message);
        return errorReply(500,
            QStringLiteral("The circuit was %1 but its audit row could not be written; check the SQL store: ")
                .arg(action),
            written.error());
    }

    mutt::log::get("api")->warn("circuit breaker {} by={} from={} to={} reason=\"{}\" correlation_id={}", action,
        call.caller, queue::circuitStateName(before.state), queue::circuitStateName(now.state), reason,
        call.correlationId);
    return reply(200,
        QJsonObject {{QStringLiteral("circuit"), toJson(now)},
            {QStringLiteral("message"),
                QStringLiteral("Circuit %1; it was %2 and is now %3")
                    .arg(action, queue::circuitStateName(before.state), queue::circuitStateName(now.state))}});
}

}  // namespace mutt::api
