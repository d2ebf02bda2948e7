#pragma once

#include "core/Result.h"
#include "sql/PostgresConfig.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>
#include <QtGlobal>

#include <memory>

namespace mutt::pgtest {

// A PostgreSQL server for tests, and fresh databases on it.
//
// With MUTT_TEST_PG_HOST, MUTT_TEST_PG_PORT, MUTT_TEST_PG_USER and
// MUTT_TEST_PG_PASSWORD set it uses that server (the role needs CREATEDB).
// Otherwise start() runs a private cluster of the installed PostgreSQL
// (initdb + pg_ctl from /usr/lib/postgresql/<version>/bin, or
// MUTT_TEST_PG_BINDIR) in a temporary folder on a free 127.0.0.1 port; as
// root it runs them as the "postgres" user, because PostgreSQL does not
// run as root. The private cluster can be stopped and started again
// (outage tests) and is removed by the destructor.
//
// createDatabase() makes a uniquely named database; the destructor drops
// every database it made (on a shared server) before it stops.
class PgTestServer final {
public:
    PgTestServer();
    ~PgTestServer();
    Q_DISABLE_COPY_MOVE(PgTestServer)

    // Connects to the external server or starts the private cluster.
    Status start();
    // Starts a private cluster even when MUTT_TEST_PG_* name a server
    // (tests that stop and start the server). With `tls` the cluster also
    // accepts TLS (ssl=on) with a certificate from caCertPath()'s CA.
    Status startPrivate(bool tls = false);

    // A new empty database; the returned config reaches it as the test
    // role with TLS off.
    Result<sql::PostgresConfig> createDatabase();
    Status dropDatabase(const QString &name);
    // The database `name`, created when missing (`created` says whether it
    // was). Not dropped by the destructor: a test reopens it across
    // process restarts, and stop-services.sh removes the whole server.
    Result<sql::PostgresConfig> ensureDatabase(const QString &name, bool *created);

    // Runs statements on `database` as the test role (setup of fixtures).
    Status exec(const QString &database, const QStringList &statements);
    // The first column of the first row of `sql` on `database` (test checks).
    Result<QVariant> scalar(const QString &database, const QString &sql);

    // Private cluster only: stop (fast shutdown, clients are cut) and start
    // again on the same port. InvalidInput on an external server.
    Status stopServer();
    Status startServer();

    [[nodiscard]] bool isPrivate() const { return m_private; }
    [[nodiscard]] QString host() const { return m_host; }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString user() const { return m_user; }
    [[nodiscard]] QString password() const { return m_password; }
    // The CA that signed the server certificate of a private TLS cluster.
    [[nodiscard]] QString caCertPath() const { return m_caCertPath; }
    // The running server's log (private cluster), for failure messages.
    [[nodiscard]] QString serverLog() const;

private:
    Status initPrivateCluster(bool tls);
    Status makeServerCertificate();
    Status run(const QString &database, const QString &sql, QVariant *firstValue);
    Status runAsServerUser(
        const QString &program, const QStringList &arguments, int timeoutMs, QString *output = nullptr) const;
    [[nodiscard]] QString binary(const QString &name) const;
    [[nodiscard]] sql::PostgresConfig configFor(const QString &database) const;

    bool m_private = false;
    bool m_running = false;
    QString m_host;
    quint16 m_port = 0;
    QString m_user;
    QString m_password;
    QString m_binDir;
    QString m_caCertPath;
    QString m_tlsOptions;  // ssl settings for the postgres command line
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_created;
};

}  // namespace mutt::pgtest
