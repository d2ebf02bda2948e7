#pragma once

#include "api/ApiCall.h"
#include "api/ChangeNotice.h"
#include "core/Result.h"

namespace mutt::sql {
class SqlStore;
}

namespace mutt::api {

class ApiRouter;

// rules, rules/:id: list, get, create, update (partial), delete. Every
// change is audited by the store in its transaction and then announced to
// the alerters. Deleting a rule that audit rows reference returns 409 and
// offers deactivation.
class RuleRoutes final {
public:
    RuleRoutes(sql::SqlStore &sql, ChangeNotice notice) : m_sql(sql), m_notice(notice) { }

    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse list() const;
    [[nodiscard]] http::HttpResponse get(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse create(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse update(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse remove(const ApiCall &call) const;

private:
    sql::SqlStore &m_sql;
    ChangeNotice m_notice;
};

}  // namespace mutt::api
