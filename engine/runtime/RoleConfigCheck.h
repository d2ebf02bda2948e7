#pragma once

#include "config/Settings.h"
#include "runtime/Role.h"

#include <QSet>
#include <QStringList>

namespace mutt::runtime {

// Problems that make `muttd run` reject a set of roles or run them degraded.
// They are found from the settings alone, without contacting a store, a
// server or Vault.
struct RoleConfigFindings {
    QStringList errors;  // muttd run rejects the settings and exits
    QStringList warnings;  // run starts, but a role is degraded or shares a port
    QStringList notes;  // defaults an operator may not expect, not errors
};

struct RoleConfigInput {
    config::Settings settings;
    QSet<Role> roles;
    // False when REDIS_TLS_ENABLED is the built-in default, not set by the user.
    bool redisTlsExplicit = false;
};

RoleConfigFindings checkRoleConfig(const RoleConfigInput &input);

}  // namespace mutt::runtime
