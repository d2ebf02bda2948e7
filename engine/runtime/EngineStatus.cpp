#include "runtime/EngineStatus.h"

#include <QJsonArray>

namespace mutt::runtime {
namespace {

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue optionalNumber(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

std::optional<qint64> readOptional(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    return std::nullopt;
}

QueueInfo::Kind kindFromName(const QString &name)
{
    if (name == u"dlq")
        return QueueInfo::Kind::Dlq;
    if (name == u"processing")
        return QueueInfo::Kind::Processing;
    if (name == u"retry")
        return QueueInfo::Kind::Retry;
    return QueueInfo::Kind::Queue;
}

QJsonObject circuitToJson(const queue::CircuitStatus &circuit, int threshold)
{
    return QJsonObject {
        {QStringLiteral("state"), queue::circuitStateName(circuit.state)},
        {QStringLiteral("failures"), double(circuit.failures)},
        {QStringLiteral("failure_threshold"), threshold},
        {QStringLiteral("opened_at_ms"), double(circuit.openedAtMs)},
        {QStringLiteral("next_probe_at_ms"), double(circuit.nextProbeAtMs)},
        {QStringLiteral("probe_in_flight"), circuit.probeInFlight},
        {QStringLiteral("forced_by"), circuit.forcedBy},
        {QStringLiteral("forced_reason"), circuit.forcedReason},
        {QStringLiteral("forced_until_ms"), double(circuit.forcedUntilMs)},
    };
}

queue::CircuitStatus circuitFromJson(const QJsonObject &object)
{
    queue::CircuitStatus circuit;
    circuit.state = queue::circuitStateFromName(object.value(QStringLiteral("state")).toString())
                        .value_or(queue::CircuitState::Closed);
    circuit.failures = qint64(object.value(QStringLiteral("failures")).toDouble());
    circuit.openedAtMs = qint64(object.value(QStringLiteral("opened_at_ms")).toDouble());
    circuit.nextProbeAtMs = qint64(object.value(QStringLiteral("next_probe_at_ms")).toDouble());
    circuit.probeInFlight = object.value(QStringLiteral("probe_in_flight")).toBool();
    circuit.forcedBy = object.value(QStringLiteral("forced_by")).toString();
    circuit.forcedReason = object.value(QStringLiteral("forced_reason")).toString();
    circuit.forcedUntilMs = qint64(object.value(QStringLiteral("forced_until_ms")).toDouble());
    return circuit;
}

}  // namespace

QString queueKindName(QueueInfo::Kind kind)
{
    switch (kind) {
    case QueueInfo::Kind::Queue: return QStringLiteral("queue");
    case QueueInfo::Kind::Dlq: return QStringLiteral("dlq");
    case QueueInfo::Kind::Processing: return QStringLiteral("processing");
    case QueueInfo::Kind::Retry: return QStringLiteral("retry");
    }
    return QStringLiteral("queue");
}

QJsonObject toJson(const EngineStatus &status)
{
    QJsonArray roles;
    for (const RoleHealth &role : status.roles) {
        roles.append(QJsonObject {{QStringLiteral("role"), role.role}, {QStringLiteral("instance"), role.instance},
            {QStringLiteral("healthy"), role.healthy}, {QStringLiteral("detail"), role.detail},
            {QStringLiteral("endpoint"), role.endpoint}});
    }

    QJsonArray queues;
    for (const QueueInfo &info : status.queues) {
        queues.append(QJsonObject {{QStringLiteral("name"), info.name},
            {QStringLiteral("kind"), queueKindName(info.kind)}, {QStringLiteral("depth"), double(info.depth)},
            {QStringLiteral("oldest_age_ms"), optionalNumber(info.oldestAgeMs)},
            {QStringLiteral("worker"), info.worker},
            {QStringLiteral("heartbeat_age_ms"), optionalNumber(info.heartbeatAgeMs)},
            {QStringLiteral("heartbeat_age_unknown"), info.heartbeatAgeUnknown}});
    }

    const Conservation &c = status.conservation;
    const QJsonObject conservation {
        {QStringLiteral("accepted"), double(c.accepted)},
        {QStringLiteral("generated"), double(c.generated)},
        {QStringLiteral("forwarded"), double(c.forwarded)},
        {QStringLiteral("suppressed"), double(c.suppressed)},
        {QStringLiteral("unhandled"), double(c.unhandled)},
        {QStringLiteral("discarded"), double(c.discarded)},
        {QStringLiteral("in_dlq"), double(c.inDlq)},
        {QStringLiteral("in_flight"), double(c.inFlight)},
        {QStringLiteral("difference"), double(c.difference())},
        {QStringLiteral("balanced"), c.balanced()},
    };

    return QJsonObject {
        {QStringLiteral("sampled_at"), isoUtc(status.sampledAt)},
        {QStringLiteral("version"), status.version},
        {QStringLiteral("backend"), status.backend},
        {QStringLiteral("ingest_url"), status.ingestUrl},
        {QStringLiteral("roles"), roles},
        {QStringLiteral("conservation"), conservation},
        {QStringLiteral("queues"), queues},
        {QStringLiteral("circuit"), circuitToJson(status.circuit, status.circuitFailureThreshold)},
        {QStringLiteral("forwarder_list_prefix"), status.forwarderListPrefix},
        {QStringLiteral("ingest_requests"), double(status.ingestRequests)},
        {QStringLiteral("ingest_rejected"), double(status.ingestRejected)},
        {QStringLiteral("alerts_processed"), double(status.alertsProcessed)},
    };
}

std::optional<EngineStatus> engineStatusFromJson(const QJsonObject &object)
{
    if (!object.contains(QStringLiteral("conservation")) || !object.contains(QStringLiteral("queues")))
        return std::nullopt;

    EngineStatus status;
    status.sampledAt = QDateTime::fromString(object.value(QStringLiteral("sampled_at")).toString(), Qt::ISODateWithMs);
    status.version = object.value(QStringLiteral("version")).toString();
    status.backend = object.value(QStringLiteral("backend")).toString();
    status.ingestUrl = object.value(QStringLiteral("ingest_url")).toString();

    const QJsonArray roles = object.value(QStringLiteral("roles")).toArray();
    for (const QJsonValue &value : roles) {
        const QJsonObject role = value.toObject();
        status.roles.append(RoleHealth {role.value(QStringLiteral("role")).toString(),
            role.value(QStringLiteral("instance")).toString(), role.value(QStringLiteral("healthy")).toBool(),
            role.value(QStringLiteral("detail")).toString(), role.value(QStringLiteral("endpoint")).toString()});
    }

    const QJsonObject c = object.value(QStringLiteral("conservation")).toObject();
    auto number = [&c](const char *key) { return qint64(c.value(QLatin1StringView(key)).toDouble()); };
    status.conservation = Conservation {number("accepted"), number("generated"), number("forwarded"),
        number("suppressed"), number("unhandled"), number("discarded"), number("in_dlq"), number("in_flight")};

    const QJsonArray queues = object.value(QStringLiteral("queues")).toArray();
    for (const QJsonValue &value : queues) {
        const QJsonObject q = value.toObject();
        QueueInfo info;
        info.name = q.value(QStringLiteral("name")).toString();
        info.kind = kindFromName(q.value(QStringLiteral("kind")).toString());
        info.depth = qint64(q.value(QStringLiteral("depth")).toDouble());
        info.oldestAgeMs = readOptional(q.value(QStringLiteral("oldest_age_ms")));
        info.worker = q.value(QStringLiteral("worker")).toString();
        info.heartbeatAgeMs = readOptional(q.value(QStringLiteral("heartbeat_age_ms")));
        info.heartbeatAgeUnknown = q.value(QStringLiteral("heartbeat_age_unknown")).toBool();
        status.queues.append(info);
    }

    const QJsonObject circuit = object.value(QStringLiteral("circuit")).toObject();
    status.circuit = circuitFromJson(circuit);
    status.circuitFailureThreshold = circuit.value(QStringLiteral("failure_threshold")).toInt(10);
    // Daemons from before this field use the default prefix.
    status.forwarderListPrefix
        = object.value(QStringLiteral("forwarder_list_prefix")).toString(queue::keys::moogProcessingPrefix);
    status.ingestRequests = qint64(object.value(QStringLiteral("ingest_requests")).toDouble());
    status.ingestRejected = qint64(object.value(QStringLiteral("ingest_rejected")).toDouble());
    status.alertsProcessed = qint64(object.value(QStringLiteral("alerts_processed")).toDouble());
    return status;
}

}  // namespace mutt::runtime
