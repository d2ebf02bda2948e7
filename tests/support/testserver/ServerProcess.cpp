#include "ServerProcess.h"

#include <QCoreApplication>
#include <QMetaObject>

#include <cstdio>
#include <pthread.h>
#include <thread>

namespace mutt::testserver {

sigset_t blockStopSignals()
{
    sigset_t stopSet;
    sigemptyset(&stopSet);
    sigaddset(&stopSet, SIGTERM);
    sigaddset(&stopSet, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSet, nullptr);
    return stopSet;
}

int serveUntilStopped(
    const sigset_t &stopSignals, const QString &host, quint16 port, const std::function<void()> &close)
{
    std::printf("listening on %s:%u\n", qPrintable(host), unsigned(port));
    std::fflush(stdout);

    std::thread signalWaiter([&stopSignals]() {
        int received = 0;
        sigwait(&stopSignals, &received);
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    });
    const int code = QCoreApplication::exec();
    close();
    // exec() returns only after the waiter has posted quit, so it has finished.
    signalWaiter.join();
    return code;
}

}  // namespace mutt::testserver
