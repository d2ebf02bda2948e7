#include "overview/CircuitSummary.h"

#include "common/Format.h"
#include "runtime/Role.h"

#include <QCoreApplication>

namespace mutt::ui {
namespace {

// Translation context for the sentences in this file.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(CircuitSummary)
};

QString overrideText(const queue::CircuitStatus &circuit, qint64 nowMs)
{
    if (circuit.forcedUntilMs <= nowMs || circuit.forcedBy.isEmpty())
        return {};
    const QDateTime until = QDateTime::fromMSecsSinceEpoch(circuit.forcedUntilMs, Qt::UTC);
    return QLatin1Char(' ')
        + Text::tr("Forced by %1 until %2: %3.").arg(circuit.forcedBy, format::utcTime(until), circuit.forcedReason);
}

// True when a live forwarder heartbeat is in the store. The forwarder may run
// in another process than the one that sent this status, with the same
// MOOG_PROCESSING_LIST_PREFIX.
bool forwarderHeartbeatSeen(const runtime::EngineStatus &status)
{
    const QString prefix = status.forwarderListPrefix + u':';
    for (const runtime::QueueInfo &queue : status.queues) {
        if (queue.kind == runtime::QueueInfo::Kind::Processing && queue.name.startsWith(prefix)
            && queue.heartbeatAgeMs.has_value())
            return true;
    }
    return false;
}

// Returns why no alert reaches Moogsoft, or nullopt when a forwarder runs.
// The circuit state cannot tell, because it stays CLOSED without a forwarder.
std::optional<CircuitSummary> forwarderMissing(const runtime::EngineStatus &status)
{
    for (const runtime::RoleHealth &role : status.roles) {
        if (role.role != runtime::roleName(runtime::Role::Forwarder))
            continue;
        if (role.healthy)
            return std::nullopt;
        const QString reason = role.detail.isEmpty() ? Text::tr("no reason given") : role.detail;
        return CircuitSummary {Tone::Bad,
            Text::tr("No alerts are sent to Moogsoft: the forwarder is unhealthy (%1). New alerts wait in the "
                     "alert queue.")
                .arg(reason)};
    }
    if (forwarderHeartbeatSeen(status))
        return std::nullopt;
    return CircuitSummary {Tone::Bad,
        Text::tr("No alerts are sent to Moogsoft: no forwarder is running. This daemon has no forwarder role and "
                 "no forwarder heartbeat is in the store. New alerts wait in the alert queue.")};
}

}  // namespace

CircuitSummary summarizeCircuit(const runtime::EngineStatus &status)
{
    if (std::optional<CircuitSummary> missing = forwarderMissing(status))
        return *missing;

    const queue::CircuitStatus &circuit = status.circuit;
    const qint64 nowMs
        = (status.sampledAt.isValid() ? status.sampledAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
    // Failures go on counting while the circuit is open, so past the
    // threshold the count is not shown as a fraction of it.
    const QString failures = circuit.failures < status.circuitFailureThreshold
        ? Text::tr("%1 of %2 consecutive failures").arg(circuit.failures).arg(status.circuitFailureThreshold)
        : Text::tr("%1 consecutive failures, threshold %2").arg(circuit.failures).arg(status.circuitFailureThreshold);
    const QString forced = overrideText(circuit, nowMs);

    switch (circuit.state) {
    case queue::CircuitState::Closed:
        return {
            Tone::Good, Text::tr("Moogsoft circuit CLOSED: alerts go out as they arrive (%1).").arg(failures) + forced};
    case queue::CircuitState::HalfOpen:
        return {Tone::Warning,
            (circuit.probeInFlight ? Text::tr("Moogsoft circuit HALF-OPEN: one probe alert is on its way.")
                                   : Text::tr("Moogsoft circuit HALF-OPEN: the next alert is sent as a probe."))
                + forced};
    case queue::CircuitState::Open: {
        const QDateTime opened = QDateTime::fromMSecsSinceEpoch(circuit.openedAtMs, Qt::UTC);
        const qint64 untilProbe = circuit.nextProbeAtMs - nowMs;
        const QString probe = untilProbe > 0 ? Text::tr("next probe in %1").arg(format::duration(untilProbe))
                                             : Text::tr("probe due now");
        return {Tone::Bad,
            Text::tr("Moogsoft circuit OPEN since %1: alerts wait in the queue (%2, %3).")
                    .arg(format::utcTime(opened), failures, probe)
                + forced};
    }
    }
    return {};
}

}  // namespace mutt::ui
