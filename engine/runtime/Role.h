#pragma once

#include "core/Result.h"

#include <QList>
#include <QSet>
#include <QString>

namespace mutt::runtime {

enum class Role { Ingestor, Alerter, Forwarder, Remediation, Api };

inline size_t qHash(Role role, size_t seed = 0) noexcept
{
    return ::qHash(int(role), seed);
}

// "ingestor", "alerter", "forwarder", "remediation", "api".
QString roleName(Role role);
// Every role in pipeline order.
QList<Role> allRoles();
// The roles of a set in pipeline order.
QList<Role> orderedRoles(const QSet<Role> &roles);
// "all" or a comma list such as "ingestor,alerter" (case-insensitive;
// "moog" and "moog-forwarder" name the forwarder, "webui" the api).
Result<QSet<Role>> parseRoles(const QString &text);
// True when one of the roles uses the SQL store: the alerter (rules, event
// audit) and the api (rules, hosts, teams, config audit). The ingestor,
// forwarder and remediation use only the queue store, so without the alerter
// and api the SQL store is not opened and they start while PostgreSQL is down.
bool usesSqlStore(const QSet<Role> &roles);

}  // namespace mutt::runtime
