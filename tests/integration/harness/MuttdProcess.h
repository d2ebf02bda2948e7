#pragma once

#include "HttpCall.h"

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

namespace mutt::itest {

// muttd run as a child process on free loopback ports, with its embedded
// stores in dataDir. Every role port is set through the MUTT v2.5
// environment variables, so several instances can run side by side.
//
// With MUTT_TEST_QUEUE_BACKEND=redis (the production pass of
// tests/run-all.sh) it runs muttd with MUTT_BACKEND=redis on the servers of
// tests/services/start-services.sh instead: REDIS_HOST/PORT from
// MUTT_TEST_REDIS_*, and DB_* naming a PostgreSQL database of its own on
// the MUTT_TEST_PG_* server. The database is named after dataDir, so a
// second MuttdProcess on the same dataDir (a restart) sees the same data;
// when it is new the Redis server is flushed too. Tests that use these
// shared servers carry the ctest RESOURCE_LOCK "mutt_test_servers".
// Redis and PostgreSQL servers that a test started itself (private ones).
// muttd then runs with MUTT_BACKEND=redis regardless of MUTT_TEST_QUEUE_BACKEND.
struct MuttdBackends {
    QString redisHost = QStringLiteral("127.0.0.1");
    quint16 redisPort = 0;
    QString dbHost = QStringLiteral("127.0.0.1");
    quint16 dbPort = 0;
    QString dbName;
    QString dbUser;
    QString dbPassword;
};

class MuttdProcess final {
public:
    explicit MuttdProcess(QString dataDir);
    // Runs muttd on the given servers (MUTT_BACKEND=redis). Nothing is
    // flushed or created, because the test owns both servers.
    MuttdProcess(QString dataDir, const MuttdBackends &backends);
    ~MuttdProcess();
    MuttdProcess(const MuttdProcess &) = delete;
    MuttdProcess &operator=(const MuttdProcess &) = delete;

    void setEnv(const QString &name, const QString &value);

    // Runs a one-shot subcommand (rules import, migrate, ...) and returns its
    // exit code; its stdout and stderr go to `output`.
    int runCommand(const QStringList &arguments, QString *output = nullptr, int timeoutMs = 30'000);

    // Creates dataDir when it is missing and runs `muttd rules import` with
    // the MUTT v2.5 seed bundle into it; returns the exit code.
    int importSeedRules(QString *output = nullptr);

    // Starts `muttd run --role <roles> --embedded --data-dir <dataDir>`.
    bool start(const QString &roles = QStringLiteral("all"), const QStringList &extraArguments = {});
    // Polls GET /health on the ingest port until it answers 200.
    bool waitHealthy(int timeoutMs = 20'000);
    void kill();
    // SIGTERM, then waits; returns the exit code or -1 if it had to be killed.
    int terminate(int timeoutMs = 15'000);
    [[nodiscard]] bool running() const;
    // The child's process id, 0 when not running (for SIGHUP and the like).
    [[nodiscard]] qint64 processId() const;
    // Polls GET /health on the port of `variable` (e.g. HEALTH_PORT_ALERTER)
    // until it answers 200.
    bool waitHealthyOn(const QString &variable, int timeoutMs = 20'000);

    [[nodiscard]] QString ingestUrl() const;
    [[nodiscard]] QString apiBase() const;
    [[nodiscard]] QString ingestKey() const;
    [[nodiscard]] QString webuiKey() const;
    [[nodiscard]] quint16 port(const QString &variable) const;
    // The value muttd gets for environment variable `name` (e.g. DB_NAME).
    [[nodiscard]] QString envValue(const QString &name) const;
    [[nodiscard]] QString dataDir() const { return m_dataDir; }
    // GET /api/v2/status with the webui key.
    [[nodiscard]] QJsonObject status() const;
    // Everything the process wrote to stdout and stderr so far.
    QByteArray output();

    HttpReply postEvents(
        const QByteArray &body, const QByteArray &contentType, const HeaderList &extraHeaders = {}) const;

private:
    QString m_dataDir;
    QProcessEnvironment m_env;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
    QString m_setupError;  // why the production backends could not be prepared
    bool m_production = false;  // MUTT_BACKEND=redis instead of --embedded
};

// True when MUTT_TEST_QUEUE_BACKEND=redis asks for the production backends.
bool productionTestBackends();

}  // namespace mutt::itest
