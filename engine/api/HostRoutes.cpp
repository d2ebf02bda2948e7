#include "api/HostRoutes.h"

#include "api/ApiReply.h"
#include "api/ApiRequest.h"
#include "api/ApiRouter.h"
#include "core/Log.h"
#include "sql/SqlStore.h"

#include <QJsonArray>

#include <algorithm>

namespace mutt::api {
namespace {

QString stringField(const QJsonObject &body, const QString &field)
{
    return body.value(field).toString();
}

}  // namespace

void HostRoutes::addTo(ApiRouter &router) const
{
    router.add("GET", QStringLiteral("dev-hosts"), [this](const ApiCall &) { return listDevHosts(); });
    router.add("POST", QStringLiteral("dev-hosts"), [this](const ApiCall &call) { return addDevHost(call); });
    router.add(
        "DELETE", QStringLiteral("dev-hosts/:hostname"), [this](const ApiCall &call) { return removeDevHost(call); });
    router.add("GET", QStringLiteral("teams"), [this](const ApiCall &) { return listTeams(); });
    router.add("POST", QStringLiteral("teams"), [this](const ApiCall &call) { return addTeam(call); });
    router.add("PUT", QStringLiteral("teams/:hostname"), [this](const ApiCall &call) { return updateTeam(call); });
    router.add("DELETE", QStringLiteral("teams/:hostname"), [this](const ApiCall &call) { return removeTeam(call); });
}

http::HttpResponse HostRoutes::listDevHosts() const
{
    Result<QList<QString>> hosts = m_sql.listDevHosts();
    if (!hosts)
        return errorReply(hosts.error());

    std::sort(hosts.value().begin(), hosts.value().end());
    QJsonArray items;
    for (const QString &host : hosts.value())
        items.append(QJsonObject {{QStringLiteral("hostname"), host}});
    return reply(200, QJsonObject {{QStringLiteral("hosts"), items}});
}

http::HttpResponse HostRoutes::addDevHost(const ApiCall &call) const
{
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    const QString hostname = stringField(body.value(), QStringLiteral("hostname"));
    if (hostname.isEmpty())
        return errorReply(400, QStringLiteral("hostname is required; give it as a string"));

    const Status added = m_sql.addDevHost(hostname, call.audit(reasonOf(body.value())));
    if (!added && added.error().code == ErrorCode::Conflict)
        return errorReply(409, QStringLiteral("Hostname already exists: %1").arg(hostname));
    if (!added)
        return errorReply(added.error());

    m_notice.devHostsChanged();
    mutt::log::get("api")->info("dev host added hostname={} by={}", hostname, call.caller);
    return reply(201, QJsonObject {{QStringLiteral("message"), QStringLiteral("Dev host added successfully")}});
}

http::HttpResponse HostRoutes::removeDevHost(const ApiCall &call) const
{
    const QString hostname = call.params.value(0);
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject(true);
    if (!body)
        return errorReply(body.error());

    const Status removed = m_sql.removeDevHost(hostname, call.audit(reasonOf(body.value())));
    if (!removed && removed.error().code == ErrorCode::NotFound)
        return errorReply(404, QStringLiteral("Hostname not found: %1").arg(hostname));
    if (!removed)
        return errorReply(removed.error());

    m_notice.devHostsChanged();
    mutt::log::get("api")->info("dev host removed hostname={} by={}", hostname, call.caller);
    return reply(200, QJsonObject {{QStringLiteral("message"), QStringLiteral("Dev host deleted successfully")}});
}

http::HttpResponse HostRoutes::listTeams() const
{
    const Result<QHash<QString, QString>> teams = m_sql.listTeams();
    if (!teams)
        return errorReply(teams.error());

    QStringList hostnames = teams.value().keys();
    std::sort(hostnames.begin(), hostnames.end());
    QJsonArray items;
    for (const QString &hostname : hostnames) {
        items.append(QJsonObject {{QStringLiteral("hostname"), hostname},
            {QStringLiteral("team_assignment"), teams.value().value(hostname)}});
    }
    return reply(200, QJsonObject {{QStringLiteral("teams"), items}});
}

Result<bool> HostRoutes::hasTeam(const QString &hostname) const
{
    const Result<QHash<QString, QString>> teams = m_sql.listTeams();
    if (!teams)
        return teams.error();
    return teams.value().contains(hostname);
}

http::HttpResponse HostRoutes::addTeam(const ApiCall &call) const
{
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    const QString hostname = stringField(body.value(), QStringLiteral("hostname"));
    const QString team = stringField(body.value(), QStringLiteral("team_assignment"));
    if (hostname.isEmpty() || team.isEmpty())
        return errorReply(400, QStringLiteral("hostname and team_assignment are required; give both as strings"));

    const Result<bool> exists = hasTeam(hostname);
    if (!exists)
        return errorReply(exists.error());
    if (exists.value())
        return errorReply(409,
            QStringLiteral("Hostname already has a team assignment: %1; change it with PUT teams/%1").arg(hostname));

    if (const Status set = m_sql.setTeam(hostname, team, call.audit(reasonOf(body.value()))); !set)
        return errorReply(set.error());
    m_notice.teamsChanged();
    mutt::log::get("api")->info("team mapping added hostname={} team={} by={}", hostname, team, call.caller);
    return reply(201, QJsonObject {{QStringLiteral("message"), QStringLiteral("Team mapping added successfully")}});
}

http::HttpResponse HostRoutes::updateTeam(const ApiCall &call) const
{
    const QString hostname = call.params.value(0);
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject();
    if (!body)
        return errorReply(body.error());
    const QString team = stringField(body.value(), QStringLiteral("team_assignment"));
    if (team.isEmpty())
        return errorReply(400, QStringLiteral("team_assignment is required; give it as a string"));

    const Result<bool> exists = hasTeam(hostname);
    if (!exists)
        return errorReply(exists.error());
    if (!exists.value())
        return errorReply(404, QStringLiteral("Hostname not found: %1").arg(hostname));

    if (const Status set = m_sql.setTeam(hostname, team, call.audit(reasonOf(body.value()))); !set)
        return errorReply(set.error());
    m_notice.teamsChanged();
    mutt::log::get("api")->info("team mapping updated hostname={} team={} by={}", hostname, team, call.caller);
    return reply(200, QJsonObject {{QStringLiteral("message"), QStringLiteral("Team mapping updated successfully")}});
}

http::HttpResponse HostRoutes::removeTeam(const ApiCall &call) const
{
    const QString hostname = call.params.value(0);
    const Result<QJsonObject> body = ApiRequest(call.request).jsonObject(true);
    if (!body)
        return errorReply(body.error());

    const Status removed = m_sql.removeTeam(hostname, call.audit(reasonOf(body.value())));
    if (!removed && removed.error().code == ErrorCode::NotFound)
        return errorReply(404, QStringLiteral("Hostname not found: %1").arg(hostname));
    if (!removed)
        return errorReply(removed.error());

    m_notice.teamsChanged();
    mutt::log::get("api")->info("team mapping removed hostname={} by={}", hostname, call.caller);
    return reply(200, QJsonObject {{QStringLiteral("message"), QStringLiteral("Team mapping deleted successfully")}});
}

}  // namespace mutt::api
