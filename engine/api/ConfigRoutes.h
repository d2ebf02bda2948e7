#pragma once

#include "api/ApiCall.h"
#include "core/Result.h"

namespace mutt::queue {
class Coordination;
}
namespace mutt::sql {
class SqlStore;
}

namespace mutt::api {

class ApiRouter;

// Dynamic configuration: config (all keys), config/:key (get, put,
// delete). Values are validated per key (ConfigKeys), stored as
// mutt:config:<key> strings (which publishes the key on
// mutt:config:updates), and every change is written to config_audit_log
// with table_name "dynamic_config", the old and new value and the caller.
class ConfigRoutes final {
public:
    ConfigRoutes(queue::Coordination &coordination, sql::SqlStore &sql) : m_coordination(coordination), m_sql(sql) { }

    // Add after AuditRoutes (config/history).
    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse all() const;
    [[nodiscard]] http::HttpResponse get(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse put(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse remove(const ApiCall &call) const;

    // config_audit_log.record_id of a key: FNV-1a of its UTF-8 bytes, in
    // 1..2147483647, the same in every process and release.
    static qint64 recordIdOf(const QString &key);

private:
    [[nodiscard]] Status audit(const ApiCall &call, const QString &key, const std::optional<QString> &oldValue,
        const std::optional<QString> &newValue, const QString &reason) const;

    queue::Coordination &m_coordination;
    sql::SqlStore &m_sql;
};

}  // namespace mutt::api
