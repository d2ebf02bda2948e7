#pragma once

#include <QString>

namespace mutt::runtime {

// sd_notify(3) when built with libsystemd and started by systemd with
// Type=notify; does nothing otherwise.
class SystemdNotify final {
public:
    static void ready(const QString &status);
    static void stopping();
    static void reloading();
    static void status(const QString &text);
    // WATCHDOG=1: tells systemd the main loop is alive.
    static void watchdog();
    // The WatchdogSec= of the unit in milliseconds when systemd expects
    // pings from this process, else 0.
    static qint64 watchdogIntervalMs();
    // True when this build can talk to systemd.
    static bool available();
};

}  // namespace mutt::runtime
