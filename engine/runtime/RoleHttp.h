#pragma once

#include "config/Settings.h"
#include "core/Result.h"
#include "http/HttpServer.h"
#include "runtime/Role.h"

#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <vector>

class QThreadPool;

namespace mutt::metrics {
class MetricsRegistry;
}

namespace mutt::runtime {

class HealthService;
class StatusSampler;

// One port and what it serves. Every listener serves GET /health for its
// roles and GET /metrics.
struct ListenerPlan {
    quint16 port = 0;  // 0: any free port, never shared
    QSet<Role> roles;  // roles whose health this listener reports
    bool ingest = false;  // carries the ingestor's /ingest routes
    bool api = false;  // carries the api role's routes
};

struct Listener {
    ListenerPlan plan;
    quint16 port = 0;  // the bound port
    QString url;  // e.g. http://127.0.0.1:8080
};

// The HTTP side of the roles: one server per distinct port (ingestor 8080;
// alerter 8081 + 9091; forwarder 8082 + 9092; remediation 8087 + 8086; api
// 8090), or everything on the api port with --single-port. Roles configured
// on the same port share one server. Create, register routes, then listen();
// all on one thread.
class RoleHttp final {
public:
    RoleHttp(const config::Settings &settings, const QSet<Role> &roles);
    ~RoleHttp();
    Q_DISABLE_COPY_MOVE(RoleHttp)

    static QList<ListenerPlan> plan(const config::Settings &settings, const QSet<Role> &roles);

    // Creates the servers and registers /health and /metrics on each. The
    // handlers run their store reads on `pool`.
    void build(HealthService &health, metrics::MetricsRegistry &registry, StatusSampler &sampler, QThreadPool *pool);

    [[nodiscard]] http::HttpServer *ingestServer() const;
    [[nodiscard]] http::HttpServer *apiServer() const;

    // Binds every server; on failure closes the ones already bound and names
    // the port and the roles that wanted it.
    Status listen();
    void close();

    [[nodiscard]] const QList<Listener> &listeners() const { return m_listeners; }
    // Base URL of the listener reporting `role`'s health, or empty.
    [[nodiscard]] QString urlFor(Role role) const;

private:
    http::HttpServerOptions optionsFor(const ListenerPlan &plan) const;

    config::Settings m_settings;
    QList<ListenerPlan> m_plans;
    std::vector<std::unique_ptr<http::HttpServer>> m_servers;  // parallel to m_plans
    QList<Listener> m_listeners;
};

}  // namespace mutt::runtime
