#include "runtime/Role.h"

#include <QStringList>

namespace mutt::runtime {
namespace {

std::optional<Role> roleFromName(const QString &name)
{
    const QString word = name.trimmed().toLower();
    if (word == u"ingestor")
        return Role::Ingestor;
    if (word == u"alerter")
        return Role::Alerter;
    if (word == u"forwarder" || word == u"moog" || word == u"moog-forwarder")
        return Role::Forwarder;
    if (word == u"remediation")
        return Role::Remediation;
    if (word == u"api" || word == u"webui")
        return Role::Api;
    return std::nullopt;
}

}  // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::Ingestor: return QStringLiteral("ingestor");
    case Role::Alerter: return QStringLiteral("alerter");
    case Role::Forwarder: return QStringLiteral("forwarder");
    case Role::Remediation: return QStringLiteral("remediation");
    case Role::Api: return QStringLiteral("api");
    }
    return QStringLiteral("unknown");
}

QList<Role> allRoles()
{
    return {Role::Ingestor, Role::Alerter, Role::Forwarder, Role::Remediation, Role::Api};
}

QList<Role> orderedRoles(const QSet<Role> &roles)
{
    QList<Role> out;
    for (Role role : allRoles()) {
        if (roles.contains(role))
            out.append(role);
    }
    return out;
}

Result<QSet<Role>> parseRoles(const QString &text)
{
    if (text.trimmed().compare(u"all", Qt::CaseInsensitive) == 0) {
        const QList<Role> every = allRoles();
        return QSet<Role>(every.cbegin(), every.cend());
    }

    QSet<Role> roles;
    QStringList unknown;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const std::optional<Role> role = roleFromName(part);
        if (role)
            roles.insert(*role);
        else
            unknown.append(part.trimmed());
    }

    if (!unknown.isEmpty()) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("unknown role(s) %1: use all, or a comma list of ingestor, alerter, "
                           "forwarder, remediation, api")
                .arg(unknown.join(QStringLiteral(", "))));
    }
    if (roles.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("--role is empty: use all, or a comma list of "
                           "ingestor, alerter, forwarder, remediation, api"));
    return roles;
}

bool usesSqlStore(const QSet<Role> &roles)
{
    return roles.contains(Role::Alerter) || roles.contains(Role::Api);
}

}  // namespace mutt::runtime
