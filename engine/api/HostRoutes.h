#pragma once

#include "api/ApiCall.h"
#include "api/ChangeNotice.h"
#include "core/Result.h"

namespace mutt::sql {
class SqlStore;
}

namespace mutt::api {

class ApiRouter;

// dev-hosts, dev-hosts/:hostname, teams, teams/:hostname. Changes are
// audited by the store and announced to the alerters.
class HostRoutes final {
public:
    HostRoutes(sql::SqlStore &sql, ChangeNotice notice) : m_sql(sql), m_notice(notice) { }

    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse listDevHosts() const;
    [[nodiscard]] http::HttpResponse addDevHost(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse removeDevHost(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse listTeams() const;
    [[nodiscard]] http::HttpResponse addTeam(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse updateTeam(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse removeTeam(const ApiCall &call) const;

private:
    [[nodiscard]] Result<bool> hasTeam(const QString &hostname) const;

    sql::SqlStore &m_sql;
    ChangeNotice m_notice;
};

}  // namespace mutt::api
