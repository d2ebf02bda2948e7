#include "runtime/RoleConfigCheck.h"

#include "runtime/RolePorts.h"

#include <QHash>

namespace mutt::runtime {
namespace {

void checkForwarder(const RoleConfigInput &input, RoleConfigFindings &findings)
{
    const config::Settings &settings = input.settings;
    if (!input.roles.contains(Role::Forwarder))
        return;
    if (settings.moogWebhookUrl.isEmpty()) {
        findings.warnings.append(QStringLiteral("MOOG_WEBHOOK_URL is not set: the forwarder role starts without "
                                                "sending alerts, and its /health answers 503; set MOOG_WEBHOOK_URL "
                                                "to the Moogsoft webhook, or leave out the forwarder role"));
        return;
    }

    // A receiver without authentication is possible, so this is a warning,
    // as in the forwarder's start-up log.
    if (!settings.moogApiKey.isEmpty())
        return;
    if (!settings.vaultAddr.isEmpty()) {
        findings.notes.append(QStringLiteral("MOOG_API_KEY is not set, so the forwarder takes it from Vault "
                                             "(VAULT_ADDR) at start; without one there it sends no API key"));
        return;
    }
    findings.warnings.append(QStringLiteral("MOOG_API_KEY is not set: the forwarder sends alerts to "
                                            "MOOG_WEBHOOK_URL without an API key, and a Moogsoft webhook that "
                                            "requires one answers 401, which moves each alert to %1; set "
                                            "MOOG_API_KEY or MOOG_API_KEY_FILE")
                                 .arg(settings.moogDlq));
}

// Role ports with the same number share one listener, and run sets that up
// without a message. With MUTT_SINGLE_PORT that is the intent, so nothing is
// reported.
void checkSharedPorts(const RoleConfigInput &input, RoleConfigFindings &findings)
{
    if (input.settings.singlePort)
        return;

    QHash<quint16, RolePort> firstUse;
    for (Role role : orderedRoles(input.roles)) {
        for (const RolePort &each : rolePorts(input.settings, role)) {
            if (each.port == 0)
                continue;
            const auto previous = firstUse.constFind(each.port);
            if (previous == firstUse.constEnd()) {
                firstUse.insert(each.port, each);
                continue;
            }
            const QString sharers = previous->role == each.role
                ? QStringLiteral("the %1 role serves health and metrics on one listener").arg(roleName(each.role))
                : QStringLiteral("the roles %1 and %2 share one listener")
                      .arg(roleName(previous->role), roleName(each.role));
            findings.warnings.append(QStringLiteral("%1 and %2 are both %3, so %4; give each variable its own "
                                                    "port, or set MUTT_SINGLE_PORT=true if one port is intended")
                                         .arg(previous->variable, each.variable)
                                         .arg(each.port)
                                         .arg(sharers));
        }
    }
}

// Engine::Impl::checkKeys rejects these on the Redis backend. The embedded
// backend generates missing keys in the data directory instead, and Vault
// may supply them at start.
void checkKeys(const RoleConfigInput &input, RoleConfigFindings &findings)
{
    const config::Settings &settings = input.settings;
    if (settings.embedded)
        return;

    struct Need {
        Role role;
        QString variable;
        bool missing;
    };
    const QList<Need> needs {
        {Role::Ingestor, QStringLiteral("INGEST_API_KEY"), settings.ingestApiKey.isEmpty()},
        {Role::Api, QStringLiteral("WEBUI_API_KEY"), settings.webuiApiKey.isEmpty()},
    };
    for (const Need &need : needs) {
        if (!input.roles.contains(need.role) || !need.missing)
            continue;
        if (!settings.vaultAddr.isEmpty()) {
            findings.notes.append(QStringLiteral("%1 is not set, so the %2 role takes it from Vault (VAULT_ADDR) "
                                                 "at start and fails if Vault has none")
                                      .arg(need.variable, roleName(need.role)));
            continue;
        }
        findings.errors.append(QStringLiteral("%1 is not set: on the Redis backend (MUTT_BACKEND=redis) the %2 "
                                              "role does not start without it; set %1 or %1_FILE")
                                   .arg(need.variable, roleName(need.role)));
    }
}

void checkRedisTls(const RoleConfigInput &input, RoleConfigFindings &findings)
{
    if (input.settings.embedded || !input.settings.redisTlsEnabled || input.redisTlsExplicit)
        return;
    findings.notes.append(QStringLiteral("REDIS_TLS_ENABLED is true by default, as in MUTT v2.5: muttd connects "
                                         "to Redis with TLS; if this Redis does not use TLS, set "
                                         "REDIS_TLS_ENABLED=false"));
}

}  // namespace

RoleConfigFindings checkRoleConfig(const RoleConfigInput &input)
{
    RoleConfigFindings findings;
    checkKeys(input, findings);
    checkForwarder(input, findings);
    checkSharedPorts(input, findings);
    checkRedisTls(input, findings);
    return findings;
}

}  // namespace mutt::runtime
