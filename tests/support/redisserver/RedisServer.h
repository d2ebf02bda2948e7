#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace mutt::test {

struct RedisServerOptions {
    QString password;  // requirepass (and masterauth for a replica)
    bool appendOnly = false;  // AOF with fsync always
    bool tls = false;  // TLS only, with a CA and certificate made by openssl
    std::optional<quint16> replicaOf;  // port of a master on 127.0.0.1
    // Sentinel mode: monitors the master on sentinelMasterPort as `sentinelMaster`.
    bool sentinel = false;
    QString sentinelMaster = QStringLiteral("mymaster");
    quint16 sentinelMasterPort = 0;
    QStringList extraConfig;  // more redis.conf lines (e.g. "rename-command BLMOVE \"\"")
};

// A redis-server process on 127.0.0.1, on a free port, with its files in its
// own QTemporaryDir. It can be stopped (SIGTERM), killed (SIGKILL) and
// restarted on the same port and directory. The process is killed when the
// object goes away.
class RedisServer final {
public:
    explicit RedisServer(RedisServerOptions options = {});
    ~RedisServer();

    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // Whether redis-server and redis-cli are installed (else tests skip).
    static bool available();

    // Starts the server and waits for its PING reply. Returns an empty string
    // on success, else the reason it failed.
    QString start();
    bool stop();
    bool kill();
    QString restart();
    [[nodiscard]] bool running() const;

    [[nodiscard]] QString host() const { return QStringLiteral("127.0.0.1"); }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString directory() const { return m_dir.path(); }
    [[nodiscard]] QString caCertPath() const;
    [[nodiscard]] const RedisServerOptions &options() const { return m_options; }

    // Runs redis-cli against this server; returns its trimmed output.
    QString cli(const QStringList &args, bool *ok = nullptr) const;

private:
    static quint16 freePort();
    QString writeConfig();
    QString makeTlsFiles();

    RedisServerOptions m_options;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

}  // namespace mutt::test
