#pragma once

#include "queue/Coordination.h"
#include "queue/QueueNames.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace mutt::runtime {

// Health of one role instance, as its /health reports it.
struct RoleHealth {
    QString role;  // ingestor, alerter, forwarder, remediation, api
    QString instance;  // POD_NAME
    bool healthy = false;
    QString detail;  // the failing checks as a sentence, empty when healthy
    QString endpoint;  // base URL of the role's health listener, e.g. http://127.0.0.1:8081
};

// One list of the queue backend.
struct QueueInfo {
    enum class Kind { Queue, Dlq, Processing, Retry };
    QString name;  // Redis key, e.g. mutt:ingest_queue
    Kind kind = Kind::Queue;
    qint64 depth = 0;
    std::optional<qint64> oldestAgeMs;  // age of the oldest item, when it carries a time
    QString worker;  // Processing: the POD_NAME owning the list
    std::optional<qint64> heartbeatAgeMs;  // Processing: age of the worker's heartbeat; nullopt = gone (orphan)
    // Processing: the heartbeat exists but holds MUTT v2.5's "alive" instead
    // of a time, so its age is unknown (heartbeatAgeMs is then 0).
    bool heartbeatAgeUnknown = false;
};

// Conservation counters: accepted + generated must equal forwarded +
// suppressed + unhandled + discarded + inDlq + inFlight. A difference means
// events were lost (or duplicated) and is the runbook's "data loss" P1.
struct Conservation {
    qint64 accepted = 0;  // events the ingestor acknowledged with 200
    qint64 generated = 0;  // meta-alerts the alerter created
    qint64 forwarded = 0;  // alerts Moogsoft acknowledged with 2xx
    qint64 suppressed = 0;  // matched a rule whose handling does not forward
    qint64 unhandled = 0;  // matched no rule
    qint64 discarded = 0;  // deleted from a DLQ by an operator
    qint64 inDlq = 0;  // items in mutt:dlq:alerter, mutt:dlq:moog and mutt:dlq:dead
    qint64 inFlight = 0;  // items in the ingest and alert queues, processing lists and the retry set

    [[nodiscard]] qint64 accountedFor() const
    {
        return forwarded + suppressed + unhandled + discarded + inDlq + inFlight;
    }
    [[nodiscard]] qint64 difference() const { return accepted + generated - accountedFor(); }
    [[nodiscard]] bool balanced() const { return difference() == 0; }
};

// A point-in-time view of the whole pipeline: what the console's Overview and
// Queues views show, and what GET /api/v2/status returns.
struct EngineStatus {
    QDateTime sampledAt;  // UTC
    QString version;
    QString backend;  // "embedded" or "redis+postgresql"
    QString ingestUrl;  // e.g. http://127.0.0.1:8080/ingest
    QList<RoleHealth> roles;
    Conservation conservation;
    QList<QueueInfo> queues;
    queue::CircuitStatus circuit;
    int circuitFailureThreshold = 10;
    // MOOG_PROCESSING_LIST_PREFIX of the daemon: forwarder processing lists are "<prefix>:<pod>".
    QString forwarderListPrefix = queue::keys::moogProcessingPrefix;
    // Cumulative totals the console turns into rates between two samples.
    qint64 ingestRequests = 0;
    qint64 ingestRejected = 0;
    qint64 alertsProcessed = 0;
};

QJsonObject toJson(const EngineStatus &status);
std::optional<EngineStatus> engineStatusFromJson(const QJsonObject &object);

QString queueKindName(QueueInfo::Kind kind);

}  // namespace mutt::runtime
