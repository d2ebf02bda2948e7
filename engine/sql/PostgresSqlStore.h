#pragma once

#include "sql/PostgresConfig.h"
#include "sql/QtSqlStore.h"

#include <QDate>

#include <memory>
#include <mutex>

namespace mutt::sql {

// The production SQL store: PostgreSQL through QPSQL, one connection per
// thread (at most config.poolMaxConnections), the MUTT v2.5 schema plus
// correlation_id, and event_audit_log partitioned by month.
//
//   auto store = PostgresSqlStore::open(config);
//   if (!store || !store.value()->migrate()) ...
//
// migrate() takes a session advisory lock, so two processes migrating the
// same database at once apply each step once; it then creates the month
// partitions from the current month to config.partitionMonthsAhead months
// ahead. writeEventAudit() does the same once the month changes, so a
// long-running process keeps partitions ahead without a restart; rows no
// month partition covers land in the DEFAULT partition and are moved into
// the month partition when it is created.
class PostgresSqlStore final : public QtSqlStore {
public:
    // Checks the settings and that the calling thread can connect.
    // InvalidInput names the setting. Unavailable carries the server's
    // error message (never a password).
    static Result<std::unique_ptr<PostgresSqlStore>> open(const PostgresConfig &config);

    Status migrate() override;
    Status writeEventAudit(const QList<EventAuditRow> &rows) override;

    // Creates the missing month partitions from the current month (UTC) to
    // partitionMonthsAhead months ahead. Idempotent; serialised with writes.
    Status ensurePartitions();
    // Creates the partition of the month `anyDay` falls in unless it
    // exists, moving that month's rows out of the DEFAULT partition.
    Status ensureMonthPartition(QDate anyDay);

    [[nodiscard]] const PostgresConfig &config() const { return m_config; }
    [[nodiscard]] int connectionCount() const { return connections().connectionCount(); }

private:
    explicit PostgresSqlStore(const PostgresConfig &config);

    Status ensurePartitionsOn(QSqlDatabase &db);
    Status createPartition(QSqlDatabase &db, QDate month);

    PostgresConfig m_config;
    std::mutex m_partitionMutex;
    QDate m_partitionsEnsuredIn;  // month (first day) of the last ensurePartitions; guarded by m_partitionMutex
};

}  // namespace mutt::sql
