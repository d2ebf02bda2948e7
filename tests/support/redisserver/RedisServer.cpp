#include "RedisServer.h"

#include "TestCertificates.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

namespace mutt::test {
namespace {

QString runTool(const QString &program, const QStringList &args, const QString &workDir, bool *ok)
{
    QProcess process;
    process.setWorkingDirectory(workDir);
    process.start(program, args);
    const bool finished = process.waitForFinished(20'000);
    const bool success = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (ok)
        *ok = success;
    if (!success)
        return QString::fromUtf8(process.readAllStandardError()).trimmed();
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options) : m_options(std::move(options)) { }

RedisServer::~RedisServer()
{
    kill();
}

bool RedisServer::available()
{
    return !QStandardPaths::findExecutable(QStringLiteral("redis-server")).isEmpty()
        && !QStandardPaths::findExecutable(QStringLiteral("redis-cli")).isEmpty();
}

QString RedisServer::start()
{
    if (running())
        return {};
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary directory");
    if (m_port == 0)
        m_port = freePort();
    if (m_options.tls && !QFile::exists(caCertPath())) {
        if (const QString error = makeTlsFiles(); !error.isEmpty())
            return error;
    }
    if (const QString error = writeConfig(); !error.isEmpty())
        return error;

    m_process = std::make_unique<QProcess>();
    m_process->setWorkingDirectory(m_dir.path());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("server.out")), QIODevice::Append);
    QStringList args {m_dir.filePath(QStringLiteral("redis.conf"))};
    if (m_options.sentinel)
        args.append(QStringLiteral("--sentinel"));
    m_process->start(QStringLiteral("redis-server"), args);
    if (!m_process->waitForStarted(10'000))
        return QStringLiteral("redis-server did not start: ") + m_process->errorString();

    QDeadlineTimer deadline(15'000);
    while (!deadline.hasExpired()) {
        bool ok = false;
        if (cli({QStringLiteral("PING")}, &ok) == u"PONG" && ok)
            return {};
        if (m_process->state() == QProcess::NotRunning)
            break;
        QThread::msleep(50);
    }
    QFile log(m_dir.filePath(QStringLiteral("server.out")));
    log.open(QIODevice::ReadOnly);
    return QStringLiteral("redis-server on port %1 did not answer PING: %2")
        .arg(m_port)
        .arg(QString::fromUtf8(log.readAll().right(800)));
}

bool RedisServer::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return true;
    m_process->terminate();
    if (m_process->waitForFinished(15'000))
        return true;
    return kill();
}

bool RedisServer::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return true;
    m_process->kill();
    return m_process->waitForFinished(10'000);
}

QString RedisServer::restart()
{
    stop();
    return start();
}

bool RedisServer::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString RedisServer::caCertPath() const
{
    return m_dir.filePath(QStringLiteral("ca.crt"));
}

QString RedisServer::cli(const QStringList &args, bool *ok) const
{
    QStringList full {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port)};
    if (!m_options.password.isEmpty() && !m_options.sentinel)
        full += {QStringLiteral("--no-auth-warning"), QStringLiteral("-a"), m_options.password};
    if (m_options.tls)
        full += {QStringLiteral("--tls"), QStringLiteral("--cacert"), caCertPath()};
    full += args;
    return runTool(QStringLiteral("redis-cli"), full, m_dir.path(), ok);
}

quint16 RedisServer::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QString RedisServer::writeConfig()
{
    QStringList lines {QStringLiteral("bind 127.0.0.1"), QStringLiteral("dir ") + m_dir.path(),
        QStringLiteral("daemonize no"), QStringLiteral("save \"\"")};
    if (m_options.tls) {
        lines += {QStringLiteral("port 0"), QStringLiteral("tls-port %1").arg(m_port),
            QStringLiteral("tls-cert-file ") + m_dir.filePath(QStringLiteral("server.crt")),
            QStringLiteral("tls-key-file ") + m_dir.filePath(QStringLiteral("server.key")),
            QStringLiteral("tls-ca-cert-file ") + caCertPath(), QStringLiteral("tls-auth-clients no")};
    } else {
        lines.append(QStringLiteral("port %1").arg(m_port));
    }
    if (m_options.sentinel) {
        const QString master = m_options.sentinelMaster;
        lines += {QStringLiteral("sentinel monitor %1 127.0.0.1 %2 1").arg(master).arg(m_options.sentinelMasterPort),
            QStringLiteral("sentinel down-after-milliseconds %1 2000").arg(master),
            QStringLiteral("sentinel failover-timeout %1 10000").arg(master)};
        if (!m_options.password.isEmpty())
            lines.append(QStringLiteral("sentinel auth-pass %1 %2").arg(master, m_options.password));
    } else {
        if (!m_options.password.isEmpty())
            lines += {QStringLiteral("requirepass ") + m_options.password,
                QStringLiteral("masterauth ") + m_options.password};
        if (m_options.appendOnly)
            lines += {QStringLiteral("appendonly yes"), QStringLiteral("appendfsync always")};
        if (m_options.replicaOf)
            lines.append(QStringLiteral("replicaof 127.0.0.1 %1").arg(*m_options.replicaOf));
    }
    lines += m_options.extraConfig;

    // Sentinel rewrites its file; only write it the first time.
    QFile file(m_dir.filePath(QStringLiteral("redis.conf")));
    if (m_options.sentinel && file.exists())
        return {};
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write ") + file.fileName();
    file.write(lines.join(u'\n').toUtf8() + '\n');
    return {};
}

QString RedisServer::makeTlsFiles()
{
    TestCertificates files;
    return files.make(m_dir.path());
}

}  // namespace mutt::test
