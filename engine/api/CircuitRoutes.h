#pragma once

#include "api/ApiCall.h"
#include "core/Result.h"
#include "queue/Coordination.h"

#include <QJsonObject>

#include <functional>

namespace mutt::sql {
class SqlStore;
}

namespace mutt::api {

class ApiRouter;

// Routes for operators on the Moogsoft circuit breaker. GET circuit shows
// the state, the failures against the threshold, the next probe and any
// override. POST circuit/force pins OPEN or CLOSED for some minutes, and
// POST circuit/reset ends an override and closes the circuit with no
// failures counted. The state is fleet-wide, so a change reaches every
// forwarder. Each change is written to config_audit_log (table_name
// "circuit_breaker") with the state before and after, caller and reason.
class CircuitRoutes final {
public:
    CircuitRoutes(queue::Coordination &coordination, sql::SqlStore &sql, queue::CircuitPolicy policy)
        : m_coordination(coordination)
        , m_sql(sql)
        , m_policy(policy)
    {
    }

    void addTo(ApiRouter &router) const;

    [[nodiscard]] http::HttpResponse status() const;
    [[nodiscard]] http::HttpResponse force(const ApiCall &call) const;
    [[nodiscard]] http::HttpResponse reset(const ApiCall &call) const;

    // Overrides last from 1 minute to 1 day.
    static constexpr int kMaxForceMinutes = 24 * 60;

private:
    // Makes one change: (now in epoch ms, reason) -> the store's result.
    using Apply = std::function<Result<queue::CircuitRecordResult>(qint64, const QString &)>;

    [[nodiscard]] QJsonObject toJson(const queue::CircuitStatus &status) const;
    // Checks the reason, reads the state before, applies the change, then
    // audits it and replies through recorded().
    [[nodiscard]] http::HttpResponse change(
        const ApiCall &call, const QJsonObject &body, const QString &action, const Apply &apply) const;
    [[nodiscard]] http::HttpResponse recorded(const ApiCall &call, const queue::CircuitStatus &before,
        const queue::CircuitStatus &now, const QString &reason, const QString &action) const;

    queue::Coordination &m_coordination;
    sql::SqlStore &m_sql;
    queue::CircuitPolicy m_policy;
};

}  // namespace mutt::api
