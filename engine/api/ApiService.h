#pragma once

#include "api/ApiRouter.h"
#include "api/AuditRoutes.h"
#include "api/CircuitRoutes.h"
#include "api/ConfigRoutes.h"
#include "api/HostRoutes.h"
#include "api/RateRoutes.h"
#include "api/RuleRoutes.h"
#include "api/SloRoutes.h"

#include <functional>

class QThreadPool;

namespace mutt::config {
struct Settings;
}

namespace mutt::api {

// Dependencies of the web UI API; each one outlives the service.
struct ApiDeps {
    const config::Settings &settings;  // WEBUI_API_KEY(_NEXT), METRICS_PREFIX
    sql::SqlStore &sql;
    queue::QueueStore &queue;
    queue::Coordination &coordination;
    metrics::MetricsRegistry &metrics;
    QThreadPool *pool;  // route handlers run here
    std::function<http::HttpResponse()> health;  // the api role's /health response
};

// The MUTT v2.5 web UI REST API (rules, dev-hosts, teams, audit-logs,
// audit, config-audit, config, config/history, metrics, slo, health) and
// the circuit breaker (circuit, circuit/force, circuit/reset) under
// both /api/v1/ and /api/v2/. Register after runtime::ApiRoutes, whose
// exact routes (status, queues, version) take precedence.
class ApiService final {
public:
    explicit ApiService(const ApiDeps &deps);

    void registerOn(http::HttpServer &server) const { m_router.registerOn(server); }

private:
    ApiRouter m_router;
    RuleRoutes m_rules;
    HostRoutes m_hosts;
    AuditRoutes m_audit;
    ConfigRoutes m_config;
    RateRoutes m_rates;
    SloRoutes m_slo;
    CircuitRoutes m_circuit;
};

}  // namespace mutt::api
