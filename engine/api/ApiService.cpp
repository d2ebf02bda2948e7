#include "api/ApiService.h"

#include "api/ApiReply.h"
#include "config/Settings.h"

namespace mutt::api {

ApiService::ApiService(const ApiDeps &deps)
    : m_router(ApiAuth::forSettings(deps.settings), deps.pool)
    , m_rules(deps.sql, ChangeNotice(deps.coordination))
    , m_hosts(deps.sql, ChangeNotice(deps.coordination))
    , m_audit(deps.sql)
    , m_config(deps.coordination, deps.sql)
    , m_rates(deps.queue, deps.settings.metricsPrefix)
    , m_slo(deps.metrics, deps.coordination)
    , m_circuit(deps.coordination, deps.sql,
          queue::CircuitPolicy {
              deps.settings.circuitBreakerThreshold, qint64(deps.settings.circuitBreakerTimeout) * 1000, 30'000})
{
    m_rules.addTo(m_router);
    m_hosts.addTo(m_router);
    m_audit.addTo(m_router);  // before config: config/history wins over config/:key
    m_config.addTo(m_router);
    m_rates.addTo(m_router);
    m_slo.addTo(m_router);
    m_circuit.addTo(m_router);

    m_router.addPublic("GET", QStringLiteral("health"), [health = deps.health](const ApiCall &) {
        http::HttpResponse response = health ? health() : errorReply(503, QStringLiteral("no health checks"));
        return withVersionHeaders(response);
    });
}

}  // namespace mutt::api
