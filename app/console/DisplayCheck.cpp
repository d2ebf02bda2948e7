#include "DisplayCheck.h"

#include <QCoreApplication>
#include <QRegularExpression>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

// True when the X server of DISPLAY accepts a connection, or when DISPLAY
// names a display that is not checked here (another host, another socket
// form). A local display ":N" or "unix:N" is served on the socket
// /tmp/.X11-unix/XN. Xorg also listens on an abstract socket of that name,
// so the check tries both, as xcb does.
bool xServerAccepts(const QString &display)
{
    static const QRegularExpression local(QStringLiteral(R"(^(?:unix)?:(\d+)(?:\.\d+)?$)"));
    const QRegularExpressionMatch match = local.match(display);
    if (!match.hasMatch())
        return true;
    const QByteArray socket = "/tmp/.X11-unix/X" + match.captured(1).toLatin1();
    return acceptsConnection('\0' + socket) || acceptsConnection(socket);
}
#endif

}  // namespace

DisplayState checkDisplay(bool platformChosen)
{
#ifdef Q_OS_LINUX
    if (platformChosen || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return DisplayState::Usable;
    const QString display = qEnvironmentVariable("DISPLAY");
    if (display.isEmpty())
        return DisplayState::Missing;
    return xServerAccepts(display) ? DisplayState::Usable : DisplayState::NotAnswering;
#else
    Q_UNUSED(platformChosen);
    return DisplayState::Usable;
#endif
}

QString displayProblem(DisplayState state)
{
    if (state == DisplayState::NotAnswering)
        return QCoreApplication::translate("ConsoleOptions",
            "No X server answers on DISPLAY=%1. Run the console in a desktop session, under xvfb-run, or "
            "with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.")
            .arg(qEnvironmentVariable("DISPLAY"));
    return QCoreApplication::translate("ConsoleOptions",
        "No display found (DISPLAY and WAYLAND_DISPLAY are not set). Run the console in a desktop "
        "session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.");
}
