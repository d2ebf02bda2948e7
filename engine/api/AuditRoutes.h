#pragma once

#include "api/ApiCall.h"
#include "core/Result.h"

namespace mutt::sql {
class SqlStore;
}

namespace mutt::api {

class ApiRouter;

// Read-only audit endpoints, paged (page >= 1, limit 1..200, default 50):
//   audit-logs       event_audit_log: hostname, rule_id, start_date, end_date
//   audit            config_audit_log: changed_by, operation, table_name,
//                    record_id, start_date, end_date; list key "logs"
//   config-audit     the same query; list key "changes" (documented path)
//   config/history   config_audit_log of dynamic_config; list key "history"
class AuditRoutes final {
public:
    explicit AuditRoutes(sql::SqlStore &sql) : m_sql(sql) { }

    // Add before ConfigRoutes, so config/history wins over config/:key.
    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse eventAudit(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse configAudit(
        const ApiCall &call, const QString &listKey, const std::optional<QString> &table) const;

private:
    sql::SqlStore &m_sql;
};

}  // namespace mutt::api
