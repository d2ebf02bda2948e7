#pragma once

#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "PgTestServer.h"
#include "RedisServer.h"

#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>

namespace mutt::itest {

// What the mock Moogsoft receiver accepted (2xx), by alert hostname.
struct Deliveries {
    qint64 accepted = 0;  // 2xx answers
    QSet<QString> hosts;  // distinct source_id values among them
    [[nodiscard]] qint64 duplicates() const { return accepted - hosts.size(); }
};

// One outage scenario: a private Redis (AOF, fsync always) and PostgreSQL
// cluster on 127.0.0.1 that the test may stop, the mock Moogsoft receiver,
// and muttd with every role on them. Events are posted in batches with
// unique hostnames; every batch answered 200 is remembered, so the test can
// account for each acknowledged event after the outage.
class OutageBed final {
public:
    OutageBed();
    ~OutageBed();
    OutageBed(const OutageBed &) = delete;
    OutageBed &operator=(const OutageBed &) = delete;

    // Starts PostgreSQL, a database, the mock receiver and (unless the test
    // brings its own) Redis. Returns an empty string or why it failed.
    QString startServers(bool withRedis = true);
    // Imports the seed rules and starts muttd on Redis at redisPort (the
    // private Redis when 0), with `env` on top of quick retry settings.
    QString startMuttd(const QMap<QString, QString> &env = {}, quint16 redisPort = 0);

    // Posts `count` events named <tag>-<serial>; every eighth says ERROR
    // (forwarded by seed rule 2), the others are unhandled. Returns the
    // HTTP status (0: no answer).
    int postBatch(const QString &tag, int count);

    // Posts batches of `count` from a thread until stopLoad(); a status
    // histogram of the answers is kept (statuses()).
    void startLoad(const QString &tag, int count);
    void stopLoad();
    [[nodiscard]] QMap<int, int> statuses() const;
    void clearStatuses();

    [[nodiscard]] qint64 ackedEvents() const;
    [[nodiscard]] qint64 ackedAlerts() const;
    [[nodiscard]] QSet<QString> ackedAlertHosts() const;

    // Empty when every acknowledged event is accounted for: muttd counted
    // them all as accepted, none is in flight, each ended forwarded,
    // unhandled or in a DLQ, and every acknowledged alert reached the mock
    // (or a DLQ). Otherwise what does not add up.
    [[nodiscard]] QString accountingProblem() const;
    [[nodiscard]] QJsonObject conservation() const;
    [[nodiscard]] qint64 counter(const QString &name) const;
    // GET /health on the port named by `variable`.
    [[nodiscard]] HttpReply health(const QString &variable = QStringLiteral("SERVER_PORT_INGESTOR")) const;
    [[nodiscard]] Deliveries deliveries() const;
    // Depth of a queue or DLQ as /api/v2/status reports it.
    [[nodiscard]] qint64 queueDepth(const QString &name) const;
    // Correlation ids with more than one event_audit_log row, and all rows.
    [[nodiscard]] qint64 duplicateAuditRows();
    [[nodiscard]] qint64 auditRows();

    test::RedisServer &redis() { return *m_redis; }
    pgtest::PgTestServer &postgres() { return m_pg; }
    MockMoogProcess &moog() { return m_moog; }
    MuttdProcess &muttd() { return *m_muttd; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::RedisServer> m_redis;
    pgtest::PgTestServer m_pg;
    sql::PostgresConfig m_database;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_muttd;
    mutable std::mutex m_mutex;  // guards the acknowledged sets, the serial and the statuses
    qint64 m_ackedEvents = 0;
    QSet<QString> m_ackedAlerts;
    QMap<int, int> m_statuses;
    int m_serial = 0;
    std::unique_ptr<QThread> m_load;
    std::atomic<bool> m_loading {false};
};

}  // namespace mutt::itest
