#include "MuttdProcess.h"

#include "PgTestServer.h"
#include "ProcessTools.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>

namespace mutt::itest {
namespace {

const QStringList kPortVariables {
    QStringLiteral("SERVER_PORT_INGESTOR"),
    QStringLiteral("HEALTH_PORT_ALERTER"),
    QStringLiteral("METRICS_PORT_ALERTER"),
    QStringLiteral("HEALTH_PORT_MOOG"),
    QStringLiteral("METRICS_PORT_MOOG"),
    QStringLiteral("HEALTH_PORT_REMEDIATION"),
    QStringLiteral("METRICS_PORT_REMEDIATION"),
    QStringLiteral("SERVER_PORT_WEBUI"),
};

QString readTrimmed(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

void insertBackendEnvironment(const MuttdBackends &backends, QProcessEnvironment &env)
{
    env.insert(QStringLiteral("MUTT_BACKEND"), QStringLiteral("redis"));
    env.insert(QStringLiteral("REDIS_HOST"), backends.redisHost);
    env.insert(QStringLiteral("REDIS_PORT"), QString::number(backends.redisPort));
    env.insert(QStringLiteral("REDIS_TLS_ENABLED"), QStringLiteral("false"));
    env.insert(QStringLiteral("DB_HOST"), backends.dbHost);
    env.insert(QStringLiteral("DB_PORT"), QString::number(backends.dbPort));
    env.insert(QStringLiteral("DB_NAME"), backends.dbName);
    env.insert(QStringLiteral("DB_USER"), backends.dbUser);
    env.insert(QStringLiteral("DB_PASS_CURRENT"), backends.dbPassword);
    env.insert(QStringLiteral("DB_TLS_ENABLED"), QStringLiteral("false"));
    // Production mode generates no keys in the data directory.
    env.insert(QStringLiteral("INGEST_API_KEY"), QStringLiteral("itest-ingest-key-0123456789"));
    env.insert(QStringLiteral("WEBUI_API_KEY"), QStringLiteral("itest-webui-key-0123456789"));
}

// Points `env` at the shared Redis and a PostgreSQL database named after
// dataDir; returns why it could not.
QString configureProductionBackends(const QString &dataDir, QProcessEnvironment &env)
{
    const QString redisHost = qEnvironmentVariable("MUTT_TEST_REDIS_HOST");
    const QString redisPort = qEnvironmentVariable("MUTT_TEST_REDIS_PORT");
    if (redisHost.isEmpty() || redisPort.isEmpty() || qEnvironmentVariable("MUTT_TEST_PG_HOST").isEmpty())
        return QStringLiteral("MUTT_TEST_QUEUE_BACKEND=redis needs MUTT_TEST_REDIS_HOST/PORT and MUTT_TEST_PG_*; "
                              "run eval \"$(tests/services/start-services.sh)\" first");

    pgtest::PgTestServer server;
    if (auto started = server.start(); !started)
        return started.error().toString();
    const QByteArray digest = QCryptographicHash::hash(dataDir.toUtf8(), QCryptographicHash::Sha1).toHex().left(20);
    bool created = false;
    auto database = server.ensureDatabase(QStringLiteral("mutt_it_") + QString::fromLatin1(digest), &created);
    if (!database)
        return database.error().toString();

    if (created) {
        QProcess flush;
        flush.start(QStringLiteral("redis-cli"),
            {QStringLiteral("-h"), redisHost, QStringLiteral("-p"), redisPort, QStringLiteral("FLUSHALL")});
        if (!flush.waitForFinished(30'000) || flush.exitCode() != 0)
            return QStringLiteral("redis-cli FLUSHALL on %1:%2 failed").arg(redisHost, redisPort);
    }

    MuttdBackends backends;
    backends.redisHost = redisHost;
    backends.redisPort = quint16(redisPort.toUInt());
    backends.dbHost = server.host();
    backends.dbPort = server.port();
    backends.dbName = database.value().database;
    backends.dbUser = server.user();
    backends.dbPassword = server.password();
    insertBackendEnvironment(backends, env);
    return {};
}

}  // namespace

bool productionTestBackends()
{
    return qEnvironmentVariable("MUTT_TEST_QUEUE_BACKEND").trimmed().toLower() == QStringLiteral("redis");
}

MuttdProcess::MuttdProcess(QString dataDir)
    : m_dataDir(std::move(dataDir))
    , m_env(QProcessEnvironment::systemEnvironment())
{
    for (const QString &variable : kPortVariables)
        m_env.insert(variable, QString::number(freePort()));
    m_env.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("info"));
    m_env.insert(QStringLiteral("MOOG_API_KEY"), QStringLiteral("itest-moog-token"));
    m_production = productionTestBackends();
    if (m_production)
        m_setupError = configureProductionBackends(m_dataDir, m_env);
}

MuttdProcess::MuttdProcess(QString dataDir, const MuttdBackends &backends)
    : m_dataDir(std::move(dataDir))
    , m_env(QProcessEnvironment::systemEnvironment())
    , m_production(true)
{
    for (const QString &variable : kPortVariables)
        m_env.insert(variable, QString::number(freePort()));
    m_env.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("info"));
    m_env.insert(QStringLiteral("MOOG_API_KEY"), QStringLiteral("itest-moog-token"));
    insertBackendEnvironment(backends, m_env);
}

MuttdProcess::~MuttdProcess()
{
    if (running())
        terminate(10'000);
}

void MuttdProcess::setEnv(const QString &name, const QString &value)
{
    m_env.insert(name, value);
}

int MuttdProcess::runCommand(const QStringList &arguments, QString *output, int timeoutMs)
{
    if (!m_setupError.isEmpty()) {
        if (output)
            *output = m_setupError;
        return -1;
    }
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(builtBinary(QStringLiteral("muttd")), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        if (output)
            *output = QStringLiteral("timed out: ") + QString::fromUtf8(process.readAll());
        return -1;
    }
    if (output)
        *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

int MuttdProcess::importSeedRules(QString *output)
{
    // rules import rejects a data directory that does not exist.
    QDir().mkpath(m_dataDir);
    return runCommand({QStringLiteral("rules"), QStringLiteral("import"),
                          QStringLiteral(MUTT_SOURCE_DIR "/resources/seed/mutt_v25_seed.json"),
                          QStringLiteral("--data-dir"), m_dataDir},
        output);
}

bool MuttdProcess::start(const QString &roles, const QStringList &extraArguments)
{
    if (!m_setupError.isEmpty()) {
        qWarning("muttd not started: %s", qPrintable(m_setupError));
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(m_env);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments {QStringLiteral("run"), QStringLiteral("--role"), roles};
    if (!m_production)
        arguments.append(QStringLiteral("--embedded"));
    arguments += {QStringLiteral("--data-dir"), m_dataDir};
    arguments += extraArguments;
    m_process->start(builtBinary(QStringLiteral("muttd")), arguments);
    return m_process->waitForStarted(10'000);
}

bool MuttdProcess::waitHealthy(int timeoutMs)
{
    return waitHealthyOn(QStringLiteral("SERVER_PORT_INGESTOR"), timeoutMs);
}

qint64 MuttdProcess::processId() const
{
    return running() ? m_process->processId() : 0;
}

bool MuttdProcess::waitHealthyOn(const QString &variable, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!running())
            return false;
        const HttpReply reply = httpGet(QStringLiteral("http://127.0.0.1:%1/health").arg(port(variable)), {}, 1'000);
        if (reply.status == 200)
            return true;
        QThread::msleep(100);
    }
    return false;
}

void MuttdProcess::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10'000);
    output();
}

int MuttdProcess::terminate(int timeoutMs)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : -1;
    m_process->terminate();
    if (!m_process->waitForFinished(timeoutMs)) {
        kill();
        return -1;
    }
    output();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

bool MuttdProcess::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

quint16 MuttdProcess::port(const QString &variable) const
{
    return quint16(m_env.value(variable).toUInt());
}

QString MuttdProcess::envValue(const QString &name) const
{
    return m_env.value(name);
}

QString MuttdProcess::ingestUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/ingest").arg(port(QStringLiteral("SERVER_PORT_INGESTOR")));
}

QString MuttdProcess::apiBase() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port(QStringLiteral("SERVER_PORT_WEBUI")));
}

QString MuttdProcess::ingestKey() const
{
    const QString configured = m_env.value(QStringLiteral("INGEST_API_KEY"));
    return configured.isEmpty() ? readTrimmed(QDir(m_dataDir).filePath(QStringLiteral("ingest_api_key"))) : configured;
}

QString MuttdProcess::webuiKey() const
{
    const QString configured = m_env.value(QStringLiteral("WEBUI_API_KEY"));
    return configured.isEmpty() ? readTrimmed(QDir(m_dataDir).filePath(QStringLiteral("webui_api_key"))) : configured;
}

QJsonObject MuttdProcess::status() const
{
    const HttpReply reply = httpGet(
        apiBase() + QStringLiteral("/api/v2/status"), {{QByteArray("X-API-KEY"), webuiKey().toUtf8()}}, 10'000);
    return reply.status == 200 ? reply.json() : QJsonObject {};
}

QByteArray MuttdProcess::output()
{
    if (m_process)
        m_output += m_process->readAll();
    return m_output;
}

HttpReply MuttdProcess::postEvents(
    const QByteArray &body, const QByteArray &contentType, const HeaderList &extraHeaders) const
{
    HeaderList headers {{QByteArray("Content-Type"), contentType}, {QByteArray("X-API-KEY"), ingestKey().toUtf8()}};
    headers += extraHeaders;
    return httpPost(ingestUrl(), body, headers, 30'000);
}

}  // namespace mutt::itest
