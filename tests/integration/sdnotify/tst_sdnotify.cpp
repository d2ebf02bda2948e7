// muttd under a stand-in for systemd: NOTIFY_SOCKET names a Unix datagram
// socket this test binds in its temporary folder. muttd reports READY=1
// once listening, pings WATCHDOG=1 while WATCHDOG_USEC is set, reports
// RELOADING=1 on SIGHUP and STOPPING=1 on SIGTERM.

#include "MuttdProcess.h"
#include "ProcessTools.h"

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace mutt::itest;

class TestSdNotify final : public QObject {
    Q_OBJECT

private slots:
    void notifiesReadyWatchdogAndStop();

private:
    bool bindSocket(const QString &path);
    QByteArray drain();

    int m_fd = -1;
    QByteArray m_received;
};

bool TestSdNotify::bindSocket(const QString &path)
{
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    if (size_t(encoded.size()) >= sizeof(address.sun_path))
        return false;
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    return ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0;
}

// Every datagram received so far, one message per line.
QByteArray TestSdNotify::drain()
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
        if (n <= 0)
            break;
        m_received += QByteArray(buffer, qsizetype(n)) + '\n';
    }
    return m_received;
}

void TestSdNotify::notifiesReadyWatchdogAndStop()
{
#ifndef MUTT_HAVE_SYSTEMD
    QSKIP("built without libsystemd: muttd sends no notifications");
#endif
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString socketPath = dir.filePath(QStringLiteral("notify"));
    QVERIFY(bindSocket(socketPath));
    MuttdProcess muttd(dir.filePath(QStringLiteral("data")));
    muttd.setEnv(QStringLiteral("NOTIFY_SOCKET"), socketPath);
    muttd.setEnv(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("600000"));
    muttd.setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), QStringLiteral("http://127.0.0.1:%1/events").arg(freePort()));

    QVERIFY(muttd.start(QStringLiteral("ingestor")));
    QTRY_VERIFY_WITH_TIMEOUT(drain().contains("READY=1"), 20'000);
    QTRY_VERIFY_WITH_TIMEOUT(drain().count("WATCHDOG=1") >= 3, 10'000);
    QCOMPARE(::kill(pid_t(muttd.processId()), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(drain().contains("RELOADING=1"), 10'000);
    QCOMPARE(muttd.terminate(), 0);

    QVERIFY(drain().contains("STOPPING=1"));
    ::close(m_fd);
}

QTEST_GUILESS_MAIN(TestSdNotify)
#include "tst_sdnotify.moc"
