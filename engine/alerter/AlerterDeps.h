#pragma once

namespace mutt::config {
struct Settings;
}
namespace mutt::queue {
class QueueStore;
class Coordination;
}  // namespace mutt::queue
namespace mutt::sql {
class SqlStore;
}

namespace mutt::alerter {

class AlerterConfig;
struct AlerterMetrics;

// References to the settings, stores, metrics and dynamic config that the
// parts of the alerter share. AlerterWorker keeps the referenced objects
// alive for as long as its lanes run.
struct AlerterDeps {
    const config::Settings &settings;
    queue::QueueStore &queue;
    queue::Coordination &coordination;
    sql::SqlStore &sql;
    AlerterMetrics &metrics;
    AlerterConfig &config;
};

}  // namespace mutt::alerter
