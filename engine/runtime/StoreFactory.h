#pragma once

#include "config/Settings.h"
#include "core/Result.h"

#include <QString>

#include <memory>

namespace mutt::config {
class DataDirectory;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue
namespace mutt::sql {
class SqlStore;
}

namespace mutt::runtime {

// The queue store and the coordination state chosen by the settings: the
// embedded SQLite store in the data directory, or Redis. One object
// implements both interfaces; `owner` keeps it alive.
struct QueueBackend {
    std::shared_ptr<void> owner;
    queue::QueueStore *store = nullptr;
    queue::Coordination *coordination = nullptr;
    QString location;  // file path or host:port, for messages
};

// Opens the queue backend. `dataDir` is required in embedded mode and
// ignored otherwise.
Result<QueueBackend> openQueueBackend(const config::Settings &settings, const config::DataDirectory *dataDir);

// Opens the SQL store (SQLite in the data directory, or PostgreSQL) without
// migrating it. `location` receives the file path or host:port/database.
Result<std::unique_ptr<sql::SqlStore>> openSqlBackend(
    const config::Settings &settings, const config::DataDirectory *dataDir, QString *location);

}  // namespace mutt::runtime
