#pragma once

#include <QtGlobal>

namespace mutt::testserver {

// Returns a TCP port on 127.0.0.1 that was free a moment ago and that no
// earlier call in this process returned, or 0 when no port could be bound.
// The probe socket is closed before the port is returned, and the kernel may
// hand that port to the next bind to port 0, so two calls in a row can see
// the same port. Tests that give one port to each of several listeners
// before any of them binds need distinct ports.
quint16 freeLoopbackPort();

}  // namespace mutt::testserver
