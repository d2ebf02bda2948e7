#include "runtime/SystemdNotify.h"

#ifdef MUTT_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace mutt::runtime {
namespace {

void send(const QString &state)
{
#ifdef MUTT_HAVE_SYSTEMD
    sd_notify(0, state.toUtf8().constData());
#else
    Q_UNUSED(state);
#endif
}

}  // namespace

void SystemdNotify::ready(const QString &text)
{
    send(QStringLiteral("READY=1\nSTATUS=") + text);
}

void SystemdNotify::stopping()
{
    send(QStringLiteral("STOPPING=1"));
}

void SystemdNotify::reloading()
{
    send(QStringLiteral("RELOADING=1"));
}

void SystemdNotify::status(const QString &text)
{
    send(QStringLiteral("STATUS=") + text);
}

void SystemdNotify::watchdog()
{
    send(QStringLiteral("WATCHDOG=1"));
}

qint64 SystemdNotify::watchdogIntervalMs()
{
#ifdef MUTT_HAVE_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        return qint64(usec / 1000);
#endif
    return 0;
}

bool SystemdNotify::available()
{
#ifdef MUTT_HAVE_SYSTEMD
    return true;
#else
    return false;
#endif
}

}  // namespace mutt::runtime
