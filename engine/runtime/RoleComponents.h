#pragma once

#include "config/Settings.h"
#include "core/Result.h"
#include "runtime/Role.h"

#include <QSet>

#include <memory>

namespace mutt::http {
class HttpServer;
}
namespace mutt::metrics {
class MetricsRegistry;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue
namespace mutt::sql {
class SqlStore;
}
namespace mutt::ingest {
class IngestService;
}
namespace mutt::alerter {
class AlerterWorker;
}
namespace mutt::forwarder {
class Forwarder;
}
namespace mutt::remediation {
class Remediation;
}

namespace mutt::runtime {

class HealthService;

// The role objects of one engine run: the ingest service and the alerter,
// forwarder and remediation workers, for the roles chosen.
class RoleComponents final {
public:
    struct Stores {
        queue::QueueStore &queue;
        queue::Coordination &coordination;
        sql::SqlStore *sql;  // null unless a role uses it (usesSqlStore)
        metrics::MetricsRegistry &metrics;
    };

    RoleComponents(const config::Settings &settings, const QSet<Role> &roles, Stores stores);
    ~RoleComponents();  // stops whatever still runs
    RoleComponents(const RoleComponents &) = delete;
    RoleComponents &operator=(const RoleComponents &) = delete;

    // The ingestor's routes, on the listener that carries them.
    void registerIngestRoutes(http::HttpServer &server);
    // "<role>_worker" checks: a worker thread that is not running makes its
    // role unhealthy.
    void addHealthChecks(HealthService &health);

    // Starts the alerter, forwarder and remediation workers; on failure
    // stops the ones already started and names the role.
    Status startWorkers();
    // Stops every worker in parallel, so the whole stop takes as long as the
    // slowest one (each returns within 10 s).
    void stopWorkers();
    void reloadRules();

    [[nodiscard]] ingest::IngestService *ingest() const { return m_ingest.get(); }
    [[nodiscard]] remediation::Remediation *remediation() const { return m_remediation.get(); }

private:
    config::Settings m_settings;
    QSet<Role> m_roles;
    Stores m_stores;

    std::unique_ptr<ingest::IngestService> m_ingest;
    std::unique_ptr<alerter::AlerterWorker> m_alerter;
    std::unique_ptr<forwarder::Forwarder> m_forwarder;
    std::unique_ptr<remediation::Remediation> m_remediation;
};

}  // namespace mutt::runtime
