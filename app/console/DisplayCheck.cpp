#include "DisplayCheck.h"

#include <QCoreApplication>
#include <QRegularExpression>

#ifdef Q_OS_LINUX
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace {

#ifdef Q_OS_LINUX
// True when a Unix socket at `path` accepts a connection. A path starting
// with NUL names a socket in the abstract namespace.
bool acceptsConnection(const QByteArray &path)
{
    sockaddr_un address {};
    if (path.size() >= qsizetype(sizeof(address.sun_path)))
        return false;
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return true;  // cannot tell, so QApplication decides
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(path.size()));
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), length) == 0;
    ::close(fd);
    return connected;
}

// True when a TCP listener on this machine's loopback `host` accepts a
// connection on `port` within one second.
bool loopbackAccepts(const QByteArray &host, int port)
{
    addrinfo hints {};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo *found = nullptr;
    if (::getaddrinfo(host.constData(), QByteArray::number(port).constData(), &hints, &found) != 0)
        return true;  // cannot tell, so QApplication decides

    bool connected = false;
    for (const addrinfo *address = found; address && !connected; address = address->ai_next) {
        const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        int rc = ::connect(fd, address->ai_addr, address->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd waiting {fd, POLLOUT, 0};
            int error = 0;
            socklen_t length = sizeof(error);
            if (::poll(&waiting, 1, 1000) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0)
                rc = error == 0 ? 0 : -1;
        }
        connected = rc == 0;
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return connected;
}

// True when the X server of DISPLAY accepts a connection, or when DISPLAY
// names a display that is not checked here (another host). A local display
// ":N" or "unix:N" is served on the socket /tmp/.X11-unix/XN, and Xorg also
// listens on an abstract socket of that name, so the check tries both, as
// xcb does. A display on a loopback host ("localhost:N", as ssh -X sets it)
// is served on TCP port 6000 + N.
bool xServerAccepts(const QString &display)
{
    static const QRegularExpression local(QStringLiteral(R"(^(?:unix)?:(\d+)(?:\.\d+)?$)"));
    static const QRegularExpression loopback(
        QStringLiteral(R"(^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])(?:/tcp)?:(\d+)(?:\.\d+)?$)"));
    if (const QRegularExpressionMatch match = local.match(display); match.hasMatch()) {
        const QByteArray socket = "/tmp/.X11-unix/X" + match.captured(1).toLatin1();
        return acceptsConnection('\0' + socket) || acceptsConnection(socket);
    }
    if (const QRegularExpressionMatch match = loopback.match(display); match.hasMatch()) {
        const int number = match.captured(2).toInt();
        if (number > 65535 - 6000)
            return true;
        QByteArray host = match.captured(1).toLatin1();
        host.replace('[', QByteArray()).replace(']', QByteArray());
        return loopbackAccepts(host, 6000 + number);
    }
    return true;
}

// True when the Wayland compositor of WAYLAND_DISPLAY accepts a connection.
// A relative name is a socket in XDG_RUNTIME_DIR.
bool waylandAccepts(const QString &name)
{
    QByteArray path = name.toLocal8Bit();
    if (!path.startsWith('/')) {
        const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
        if (runtime.isEmpty())
            return false;
        path = runtime + '/' + path;
    }
    return acceptsConnection(path);
}
#endif

}  // namespace

DisplayState checkDisplay(bool platformChosen)
{
#ifdef Q_OS_LINUX
    if (platformChosen || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return DisplayState::Usable;
    const QString display = qEnvironmentVariable("DISPLAY");
    const QString wayland = qEnvironmentVariable("WAYLAND_DISPLAY");
    if (display.isEmpty() && wayland.isEmpty())
        return DisplayState::Missing;
    if (display.isEmpty())
        return waylandAccepts(wayland) ? DisplayState::Usable : DisplayState::WaylandNotAnswering;
    return xServerAccepts(display) ? DisplayState::Usable : DisplayState::NotAnswering;
#else
    Q_UNUSED(platformChosen);
    return DisplayState::Usable;
#endif
}

QString displayProblem(DisplayState state)
{
    if (state == DisplayState::WaylandNotAnswering)
        return QCoreApplication::translate("ConsoleOptions",
            "No Wayland compositor answers on WAYLAND_DISPLAY=%1. Run the console in a desktop session, under "
            "xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.")
            .arg(qEnvironmentVariable("WAYLAND_DISPLAY"));
    if (state == DisplayState::NotAnswering)
        return QCoreApplication::translate("ConsoleOptions",
            "No X server answers on DISPLAY=%1. Run the console in a desktop session, under xvfb-run, or "
            "with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.")
            .arg(qEnvironmentVariable("DISPLAY"));
    return QCoreApplication::translate("ConsoleOptions",
        "No display found (DISPLAY and WAYLAND_DISPLAY are not set). Run the console in a desktop "
        "session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.");
}
