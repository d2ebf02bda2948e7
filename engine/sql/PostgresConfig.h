#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <functional>

namespace mutt::sql {

// Candidate passwords in the order to try them (current, then next). Called
// on every (re)connect, so a rotated secret is picked up without a restart.
using PasswordProvider = std::function<QStringList()>;

// Connection settings of PostgresSqlStore. The names in the comments are the
// MUTT v2.5 environment variables that fill them.
struct PostgresConfig {
    QString host = QStringLiteral("localhost");  // DB_HOST
    quint16 port = 5432;  // DB_PORT
    QString database = QStringLiteral("mutt_db");  // DB_NAME
    QString user = QStringLiteral("mutt_user");  // DB_USER
    PasswordProvider passwords;  // DB_PASS_CURRENT, DB_PASS_NEXT (or DB_PASS)
    bool tlsEnabled = true;  // DB_TLS_ENABLED: sslmode=require
    QString tlsCaCertPath;  // DB_TLS_CA_CERT_PATH: sslrootcert, and sslmode=verify-ca
    int poolMinConnections = 2;  // DB_POOL_MIN_CONN (checked, connections open on first use)
    int poolMaxConnections = 10;  // DB_POOL_MAX_CONN: open connections at most (one per thread)
    int partitionMonthsAhead = 3;  // RETENTION_PRECREATE_MONTHS: months after the current one
    int connectTimeoutSeconds = 10;
    QString applicationName = QStringLiteral("muttd");

    // "host:port/database" for messages (no credentials).
    [[nodiscard]] QString location() const { return QStringLiteral("%1:%2/%3").arg(host).arg(port).arg(database); }
};

}  // namespace mutt::sql
