#include "FreePort.h"

#include <QHostAddress>
#include <QMutex>
#include <QSet>
#include <QTcpServer>

namespace mutt::testserver {

quint16 freeLoopbackPort()
{
    static QMutex mutex;
    static QSet<quint16> returnedPorts;

    // Linux's default ephemeral range (32768-60999) has about 28,000 ports,
    // so a repeat is rare and two in a row rarer still. A thousand repeats
    // mean the range is nearly used up.
    QMutexLocker lock(&mutex);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = probe.serverPort();
        if (!returnedPorts.contains(port)) {
            returnedPorts.insert(port);
            return port;
        }
    }
    return 0;
}

}  // namespace mutt::testserver
