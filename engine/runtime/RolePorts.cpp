#include "runtime/RolePorts.h"

#include <QStringList>

namespace mutt::runtime {

QList<RolePort> rolePorts(const config::Settings &settings, Role role)
{
    if (settings.singlePort)
        return {{role, QStringLiteral("SERVER_PORT_WEBUI"), settings.webuiPort}};

    switch (role) {
    case Role::Ingestor: return {{role, QStringLiteral("SERVER_PORT_INGESTOR"), settings.ingestPort}};
    case Role::Alerter:
        return {{role, QStringLiteral("HEALTH_PORT_ALERTER"), settings.alerterHealthPort},
            {role, QStringLiteral("METRICS_PORT_ALERTER"), settings.alerterMetricsPort}};
    case Role::Forwarder:
        return {{role, QStringLiteral("HEALTH_PORT_MOOG"), settings.moogHealthPort},
            {role, QStringLiteral("METRICS_PORT_MOOG"), settings.moogMetricsPort}};
    case Role::Remediation:
        return {{role, QStringLiteral("HEALTH_PORT_REMEDIATION"), settings.remediationHealthPort},
            {role, QStringLiteral("METRICS_PORT_REMEDIATION"), settings.remediationMetricsPort}};
    case Role::Api: return {{role, QStringLiteral("SERVER_PORT_WEBUI"), settings.webuiPort}};
    }
    return {};
}

QString portVariables(const config::Settings &settings, const QSet<Role> &roles, quint16 port)
{
    QStringList variables;
    for (Role role : orderedRoles(roles)) {
        for (const RolePort &each : rolePorts(settings, role)) {
            if (each.port == port && !variables.contains(each.variable))
                variables.append(each.variable);
        }
    }
    return variables.join(QStringLiteral(", "));
}

}  // namespace mutt::runtime
