#pragma once

#include "common/StatusStyle.h"
#include "runtime/EngineStatus.h"

namespace mutt::ui {

struct CircuitSummary {
    Tone tone = Tone::Neutral;
    QString text;
};

// One line on the Moogsoft circuit breaker: state, failures against the
// threshold, when the next probe may go, and any operator override.
CircuitSummary summarizeCircuit(const runtime::EngineStatus &status);

}  // namespace mutt::ui
