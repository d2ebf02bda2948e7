#pragma once

#include <QString>

#include <csignal>
#include <functional>

class QCoreApplication;

namespace mutt::testserver {

// Blocks SIGTERM and SIGINT in the calling thread and every thread started
// after it, so that serveUntilStopped() can take them with sigwait. Call it
// first in main(), before QCoreApplication starts any thread.
sigset_t blockStopSignals();

// Prints "listening on <host>:<port>" on stdout, runs the event loop until
// SIGTERM or SIGINT arrives, then calls `close` and returns exec()'s code.
int serveUntilStopped(
    const sigset_t &stopSignals, const QString &host, quint16 port, const std::function<void()> &close);

}  // namespace mutt::testserver
