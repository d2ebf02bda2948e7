#pragma once

#include "common/StatusStyle.h"
#include "runtime/EngineStatus.h"

namespace mutt::ui {

struct CircuitSummary {
    Tone tone = Tone::Neutral;
    QString text;
};

// One line on the delivery to Moogsoft. When the forwarder role is unhealthy,
// or neither this daemon nor the store shows a running forwarder, it states
// that no alerts are sent and why. Otherwise it gives the circuit breaker's
// state, failures against the threshold, when the next probe may go, and
// any operator override.
CircuitSummary summarizeCircuit(const runtime::EngineStatus &status);

}  // namespace mutt::ui
