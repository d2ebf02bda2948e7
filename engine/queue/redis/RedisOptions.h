#pragma once

#include "config/Settings.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace mutt::queue {

// Connection settings of the Redis store. Built from Settings by
// fromSettings(); tests fill it directly.
struct RedisOptions {
    QString host = QStringLiteral("localhost");  // REDIS_HOST (ignored with Sentinel)
    quint16 port = 6379;  // REDIS_PORT
    int db = 0;  // REDIS_DB
    bool tls = false;  // REDIS_TLS_ENABLED
    QString caCertPath;  // REDIS_CA_CERT_PATH; empty: the system CAs
    int maxConnections = 20;  // REDIS_MAX_CONNECTIONS: every connection of one store
    QList<QPair<QString, quint16>> sentinels;  // REDIS_SENTINEL_HOSTS
    QString sentinelMaster;  // REDIS_SENTINEL_MASTER
    // REDIS_MIN_REPLICAS_ACK: replicas that must contain a MULTI/EXEC write
    // or a claim before it counts as done (WAIT); 0 is off. fromSettings() turns "auto"
    // into 1 with Sentinel and 0 without.
    int minReplicasAck = 0;
    std::chrono::milliseconds replicaAckTimeout {1000};  // REDIS_REPLICA_ACK_TIMEOUT

    // Passwords to try on every (re)connect, in order (current, then next).
    // Called on each reconnect so a rotated secret is picked up; empty list:
    // no AUTH.
    std::function<QStringList()> passwords;

    std::chrono::milliseconds connectTimeout {5000};
    // A command without a reply in this time drops the connection. Blocking
    // claims get their wait on top.
    std::chrono::milliseconds commandTimeout {10'000};
    std::chrono::milliseconds reconnectInitial {200};
    std::chrono::milliseconds reconnectMax {10'000};

    [[nodiscard]] bool usesSentinel() const { return !sentinels.isEmpty(); }
    // "host:port" or "sentinel <master> via h1:p1,h2:p2", for messages.
    [[nodiscard]] QString describe() const;

    static RedisOptions fromSettings(const config::Settings &settings);
    // Parses "h1:p1,h2:p2"; returns an empty list and sets `error` when malformed.
    static QList<QPair<QString, quint16>> parseHosts(const QString &text, QString *error);
};

}  // namespace mutt::queue
