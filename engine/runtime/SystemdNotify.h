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
    // True when this build can talk to systemd.
    static bool available();
};

}  // namespace mutt::runtime
