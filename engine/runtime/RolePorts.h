#pragma once

#include "config/Settings.h"
#include "runtime/Role.h"

#include <QList>
#include <QSet>
#include <QString>

namespace mutt::runtime {

// One TCP port a role listens on and the variable that sets it.
struct RolePort {
    Role role = Role::Ingestor;
    QString variable;  // e.g. SERVER_PORT_INGESTOR
    quint16 port = 0;
};

// The ports of `role` in the order the role binds them. With
// MUTT_SINGLE_PORT every role uses SERVER_PORT_WEBUI.
QList<RolePort> rolePorts(const config::Settings &settings, Role role);

// The variables that set `port` for any of `roles`, comma-separated, for
// messages such as a port-in-use error.
QString portVariables(const config::Settings &settings, const QSet<Role> &roles, quint16 port);

}  // namespace mutt::runtime
