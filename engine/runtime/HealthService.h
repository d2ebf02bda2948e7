#pragma once

#include "config/Settings.h"
#include "http/HttpTypes.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"
#include "runtime/Role.h"
#include "sql/SqlStore.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <mutex>
#include <optional>

namespace mutt::runtime {

// The result of GET /health for the roles behind one listener.
struct HealthReport {
    bool healthy = true;
    QString service;  // mutt-<role>, or "mutt" when a listener serves several roles
    // name -> "ok" or "error: <reason>"; "circuit" reads "open" or "half_open"
    // while the Moogsoft circuit is not CLOSED, which leaves the role healthy.
    QJsonObject checks;
    QStringList errors;  // "<check>: <reason>" for each failing check
    QStringList notes;  // "<check>: <problem>" for each note check with a problem (see addNote)
    QJsonObject details;  // information that does not affect health (circuit state)

    [[nodiscard]] QJsonObject toJson(const QString &version, const QString &podName, const QList<Role> &roles) const;
};

// Runs the health checks of a set of roles. Every store is really asked
// (ping), so /health never reports healthy on a dead backend. Thread-safe;
// blocks on the stores, so call it off the HTTP I/O threads.
class HealthService final {
public:
    // Returns nullopt when fine, else the reason.
    using Check = std::function<std::optional<QString>()>;

    HealthService(const config::Settings &settings, queue::QueueStore *queueStore, sql::SqlStore *sqlStore,
        queue::Coordination *coordination);

    // An additional check for a role, e.g. "worker" for the alerter threads.
    void addCheck(Role role, const QString &name, Check check);
    // A check whose problem is shown ("checks.<name>") but leaves the process
    // healthy, because restarting it would not help (as for the circuit).
    void addNote(Role role, const QString &name, Check check);

    HealthReport check(const QSet<Role> &roles, qint64 nowMs);

    [[nodiscard]] http::HttpResponse response(const QSet<Role> &roles, qint64 nowMs);

    static QString serviceName(const QSet<Role> &roles);

private:
    struct RoleCheck {
        Role role;
        QString name;
        Check check;
        bool note = false;  // shown, but /health stays 200
    };

    static void record(HealthReport &report, const QString &name, const std::optional<QString> &failure);
    void addCircuitDetail(HealthReport &report, qint64 nowMs);

    config::Settings m_settings;
    queue::QueueStore *m_queueStore;
    sql::SqlStore *m_sqlStore;
    queue::Coordination *m_coordination;

    // "<backend>: unavailable since <first failure>: <reason>", so /health
    // names the database and how long it has been down.
    [[nodiscard]] std::optional<QString> sqlFailure(qint64 nowMs);

    std::mutex m_mutex;
    QList<RoleCheck> m_extraChecks;
    qint64 m_sqlDownSinceMs = 0;  // guarded by m_mutex; 0 while the database answers
};

}  // namespace mutt::runtime
