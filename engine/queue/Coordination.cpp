#include "queue/Coordination.h"

namespace mutt::queue {

QString circuitStateName(CircuitState state)
{
    switch (state) {
    case CircuitState::Closed: return QStringLiteral("CLOSED");
    case CircuitState::HalfOpen: return QStringLiteral("HALF_OPEN");
    case CircuitState::Open: return QStringLiteral("OPEN");
    }
    return QStringLiteral("CLOSED");
}

std::optional<CircuitState> circuitStateFromName(const QString &name)
{
    if (name == u"CLOSED")
        return CircuitState::Closed;
    if (name == u"HALF_OPEN")
        return CircuitState::HalfOpen;
    if (name == u"OPEN")
        return CircuitState::Open;
    return std::nullopt;
}

}  // namespace mutt::queue
