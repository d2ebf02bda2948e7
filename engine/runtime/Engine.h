#pragma once

#include "config/DataDirectory.h"
#include "config/Settings.h"
#include "core/Result.h"
#include "runtime/EngineStatus.h"
#include "runtime/Role.h"
#include "runtime/RoleHttp.h"

#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

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

namespace mutt::log {
struct Options;
}

namespace mutt::runtime {

// The whole pipeline in one process: opens the stores, runs the chosen roles
// (ingestor, alerter, forwarder, remediation, api) and their HTTP listeners.
// muttd and the console's embedded mode both drive it.
//
// start(), stop() and reload() are called from one thread with a Qt event
// loop (the one that owns the HTTP servers). status() and the accessors are
// thread-safe.
class Engine final {
public:
    Engine(config::Settings settings, QSet<Role> roles);
    ~Engine();
    Q_DISABLE_COPY_MOVE(Engine)

    // Embedded mode: prepares the data directory (generated API keys), opens
    // <dir>/queue.db and <dir>/mutt.db and migrates the SQL schema. Then
    // starts the roles and listens. On failure everything already started is
    // stopped again and the error names what failed.
    Status start();
    // Stops listening, lets the workers finish or return their in-flight
    // items, closes the stores. Idempotent.
    void stop();
    // SIGHUP: reloads the rules in the alerters and reopens the log file.
    void reload();

    // Health of every role plus the store sample. Blocks on the stores: call
    // it off the GUI thread. Unavailable when the engine is not running.
    Result<EngineStatus> status();

    [[nodiscard]] bool isRunning() const;
    // After start(): includes generated API keys and the resolved data dir.
    [[nodiscard]] const config::Settings &settings() const;
    [[nodiscard]] const QSet<Role> &roles() const;
    [[nodiscard]] const std::optional<config::DataDirectory> &dataDirectory() const;
    [[nodiscard]] QList<Listener> listeners() const;
    // e.g. http://127.0.0.1:8080/ingest, empty without the ingestor role.
    [[nodiscard]] QString ingestUrl() const;

    // The stores; null before start() and after stop(). sqlStore() is also
    // null when no role of this engine uses it (usesSqlStore()).
    [[nodiscard]] queue::QueueStore *queueStore() const;
    [[nodiscard]] queue::Coordination *coordination() const;
    [[nodiscard]] sql::SqlStore *sqlStore() const;
    [[nodiscard]] metrics::MetricsRegistry &metrics() const;
    // The live secrets (environment, NAME_FILE, Vault); null before start().
    // settings().secrets is the same store. For the backends:
    // config::redisPasswordSource(settings()) and dbPasswordSource(settings())
    // give the passwords to try, current first, on every reconnect.
    [[nodiscard]] std::shared_ptr<config::secrets::SecretStore> secrets() const;

    static log::Options logOptions(const config::Settings &settings);

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace mutt::runtime
