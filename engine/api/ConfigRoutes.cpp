#include "api/ConfigRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRequest.h"
#include "api/ApiRouter.h"
#include "api/ChangeNotice.h"
#include "api/ConfigKeys.h"
#include "core/Log.h"
#include "queue/Coordination.h"
#include "sql/SqlStore.h"

#include <QDateTime>

namespace mutt::api {
namespace {

QJsonValue orNull(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

std::optional<QJsonObject> auditValues(const QString &key, const std::optional<QString> &value)
{
    if (!value)
        return std::nullopt;
    return QJsonObject {{QStringLiteral("key"), key}, {QStringLiteral("value"), *value}};
}

http::HttpResponse keyNotFound(const QString &key)
{
    return errorReply(404, QStringLiteral("dynamic config key %1 is not set; set it with PUT config/%1").arg(key));
}

}  // namespace

void ConfigRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("config"), [this](const ApiCall &) { return all(); });
    router.add("GET", QStringLiteral("config/:key"), [this](const ApiCall &call) { return get(call); });
    router.add("PUT", QStringLiteral("config/:key"), [this](const ApiCall &call) { return put(call); });
    router.add("DELETE", QStringLiteral("config/:key"), [this](const ApiCall &call) { return remove(call); });
}

qint64 ConfigRoutes::recordIdOf(const QString &key)
{
    quint32 hash = 2166136261u;
    for (const char byte : key.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    const qint64 id = qint64(hash & 0x7fffffffu);
    return id == 0 ? 1 : id;
}

http::HttpResponse ConfigRoutes::all() const
{
    const Result<QHash<QString, QString>> config = m_coordination.allConfig();
    if (!config)
        return errorReply(503, QStringLiteral("Dynamic configuration not available: "), config.error());

    QJsonObject values;
    for (auto it = config.value().constBegin(); it != config.value().constEnd(); ++it) {
        if (!ChangeNotice::isNoticeKey(it.key()))
            values.insert(it.key(), it.value());
    }
    return reply(200, QJsonObject {{QStringLiteral("config"), values}});
}

http::HttpResponse ConfigRoutes::get(const ApiCall &call) const
{
    const QString key = call.params.value(0);
    const Result<std::optional<QString>> value = m_coordination.configValue(key);
    if (!value)
        return errorReply(value.error());
    if (!value.value() || ChangeNotice::isNoticeKey(key))
        return keyNotFound(key);
    return reply(200, QJsonObject {{QStringLiteral("key"), key}, {QStringLiteral("value"), *value.value()}});
}

http::HttpResponse ConfigRoutes::put(const ApiCall &call) const
{
    const QString key = call.params.value(0);
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    if (!body.value().contains(QStringLiteral("value")))
        return errorReply(
            400, QStringLiteral("Missing 'value' in request body; send {\"value\": ..., \"reason\": ...}"));
    const Result<QString> value = ConfigKeys::validate(key, body.value().value(QStringLiteral("value")));
    if (!value)
        return errorReply(value.error());

    const Result<std::optional<QString>> old = m_coordination.configValue(key);
    if (!old)
        return errorReply(old.error());
    if (const Status stored = m_coordination.setConfig(key, value.value()); !stored)
        return errorReply(stored.error());
    if (const Status audited = audit(call, key, old.value(), value.value(), reasonOf(body.value())); !audited)
        return errorReply(500,
            QStringLiteral("%1 was set but its audit row could not be written; check the SQL store: ").arg(key),
            audited.error());

    mutt::log::get("api")->info(
        "dynamic config set key={} by={} correlation_id={}", key, call.caller, call.correlationId);
    return reply(200,
        QJsonObject {{QStringLiteral("key"), key}, {QStringLiteral("new_value"), value.value()},
            {QStringLiteral("old_value"), orNull(old.value())}});
}

http::HttpResponse ConfigRoutes::remove(const ApiCall &call) const
{
    const QString key = call.params.value(0);
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject(true);
    if (!body)
        return errorReply(body.error());
    if (!ConfigKeys::isKnown(key))
        return errorReply(ConfigKeys::validate(key, QJsonValue()).error());

    const Result<std::optional<QString>> old = m_coordination.configValue(key);
    if (!old)
        return errorReply(old.error());
    if (!old.value())
        return keyNotFound(key);
    if (const Status removed = m_coordination.removeConfig(key); !removed)
        return errorReply(removed.error());
    if (const Status audited = audit(call, key, old.value(), std::nullopt, reasonOf(body.value())); !audited)
        return errorReply(500,
            QStringLiteral("%1 was removed but its audit row could not be written; check the SQL store: ").arg(key),
            audited.error());

    mutt::log::get("api")->info(
        "dynamic config removed key={} by={} correlation_id={}", key, call.caller, call.correlationId);
    return reply(200,
        QJsonObject {{QStringLiteral("key"), key}, {QStringLiteral("old_value"), *old.value()},
            {QStringLiteral("message"), QStringLiteral("Key removed; services use their defaults")}});
}

Status ConfigRoutes::audit(const ApiCall &call, const QString &key, const std::optional<QString> &oldValue,
    const std::optional<QString> &newValue, const QString &reason) const
{
    sql::ConfigAuditRow row;
    row.changedAt = QDateTime::currentDateTimeUtc();
    row.changedBy = call.caller;
    row.operation = !newValue ? QStringLiteral("DELETE")
        : oldValue            ? QStringLiteral("UPDATE")
                              : QStringLiteral("CREATE");
    row.tableName = QStringLiteral("dynamic_config");
    row.recordId = recordIdOf(key);
    row.oldValues = auditValues(key, oldValue);
    row.newValues = auditValues(key, newValue);
    row.reason = reason;
    row.correlationId = call.correlationId;

    const Status written = m_sql.writeConfigAudit(row);
    if (!written)
        mutt::log::get("api")->error("config audit row not written key={} correlation_id={}; reason={}", key,
            call.correlationId, written.error().message);
    return written;
}

}  // namespace mutt::api
