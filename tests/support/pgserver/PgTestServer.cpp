#include "PgTestServer.h"

#include "TestCertificates.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QVersionNumber>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mutt::pgtest {
namespace {

constexpr int kCommandTimeoutMs = 60'000;
const QString kServerUser = QStringLiteral("postgres");

QAtomicInteger<quint64> nextSerial {1};

QString uniqueSuffix()
{
    return QStringLiteral("%1_%2_%3")
        .arg(QCoreApplication::applicationPid())
        .arg(nextSerial.fetchAndAddRelaxed(1))
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

// The newest installed PostgreSQL's bin folder (Debian layout).
QString findBinDir()
{
    const QString fromEnv = qEnvironmentVariable("MUTT_TEST_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;

    QString best;
    QVersionNumber bestVersion;
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    for (const QString &entry : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber version = QVersionNumber::fromString(entry);
        if (QFile::exists(root.filePath(entry + QStringLiteral("/bin/initdb"))) && version > bestVersion) {
            bestVersion = version;
            best = root.filePath(entry + QStringLiteral("/bin"));
        }
    }
    return best;
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

Status chownToServerUser(const QString &path)
{
    const passwd *account = ::getpwnam("postgres");
    if (account == nullptr)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("there is no \"postgres\" user to run the private PostgreSQL cluster as; install the "
                           "postgresql package or set MUTT_TEST_PG_HOST/PORT/USER/PASSWORD"));
    if (::chown(QFile::encodeName(path).constData(), account->pw_uid, account->pw_gid) != 0)
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot hand %1 to the postgres user").arg(path));
    return {};
}

}  // namespace

PgTestServer::PgTestServer() = default;

PgTestServer::~PgTestServer()
{
    if (!m_running)
        return;
    if (!m_private) {
        for (const QString &name : QStringList(m_created))
            (void)dropDatabase(name);
        return;
    }
    (void)runAsServerUser(binary(QStringLiteral("pg_ctl")),
        {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-m"),
            QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
        kCommandTimeoutMs);
}

Status PgTestServer::start()
{
    const QString host = qEnvironmentVariable("MUTT_TEST_PG_HOST");
    if (host.isEmpty())
        return initPrivateCluster(false);

    m_host = host;
    m_port = quint16(qEnvironmentVariableIntValue("MUTT_TEST_PG_PORT"));
    m_user = qEnvironmentVariable("MUTT_TEST_PG_USER", QStringLiteral("postgres"));
    m_password = qEnvironmentVariable("MUTT_TEST_PG_PASSWORD");
    if (m_port == 0)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("MUTT_TEST_PG_PORT is not a port number"));
    m_running = true;
    return exec(QStringLiteral("postgres"), {QStringLiteral("SELECT 1")});
}

Status PgTestServer::startPrivate(bool tls)
{
    return initPrivateCluster(tls);
}

QString PgTestServer::binary(const QString &name) const
{
    return QDir(m_binDir).filePath(name);
}

Status PgTestServer::runAsServerUser(
    const QString &program, const QStringList &arguments, int timeoutMs, QString *output) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir ? m_dir->path() : QDir::tempPath());
    if (::geteuid() == 0)
        process.start(QStringLiteral("runuser"),
            QStringList {QStringLiteral("-u"), kServerUser, QStringLiteral("--"), program} + arguments);
    else
        process.start(program, arguments);

    const bool finished = process.waitForFinished(timeoutMs);
    const QString text = QString::fromLocal8Bit(process.readAll());
    if (output)
        *output = text;
    if (!finished) {
        process.kill();
        process.waitForFinished();
        return makeError(ErrorCode::Timeout, QStringLiteral("%1 did not finish: %2").arg(program, text));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("%1 failed (exit code %2): %3").arg(program).arg(process.exitCode()).arg(text));
    return {};
}

Status PgTestServer::initPrivateCluster(bool tls)
{
    m_binDir = findBinDir();
    if (m_binDir.isEmpty())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("no PostgreSQL server found in /usr/lib/postgresql/*/bin; install postgresql, set "
                           "MUTT_TEST_PG_BINDIR, or set MUTT_TEST_PG_HOST/PORT/USER/PASSWORD"));

    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/mutt-pg-XXXXXX"));
    if (!m_dir->isValid())
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create a temporary folder for PostgreSQL"));
    ::chmod(QFile::encodeName(m_dir->path()).constData(), 0755);
    for (const QString &sub : {QStringLiteral("data"), QStringLiteral("run")}) {
        if (!QDir(m_dir->path()).mkdir(sub))
            return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create %1").arg(m_dir->filePath(sub)));
        if (::geteuid() == 0) {
            if (auto owned = chownToServerUser(m_dir->filePath(sub)); !owned)
                return owned;
        }
    }

    // Password authentication over TCP (as production), so tests can
    // check password rotation; the Unix socket stays trusted.
    m_password = QStringLiteral("mutt-test-") + uniqueSuffix();
    const QString passwordFile = m_dir->filePath(QStringLiteral("run/pwfile"));
    {
        QFile file(passwordFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(m_password.toUtf8()) < 0)
            return makeError(ErrorCode::Unavailable, QStringLiteral("cannot write %1").arg(passwordFile));
    }
    if (::geteuid() == 0) {
        if (auto owned = chownToServerUser(passwordFile); !owned)
            return owned;
    }

    if (auto initialised = runAsServerUser(binary(QStringLiteral("initdb")),
            {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-U"), kServerUser,
                QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"),
                QStringLiteral("--pwfile=") + passwordFile, QStringLiteral("-E"), QStringLiteral("UTF8"),
                QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
            kCommandTimeoutMs);
        !initialised)
        return initialised;

    m_private = true;
    m_host = QStringLiteral("127.0.0.1");
    m_port = freeLoopbackPort();
    m_user = kServerUser;
    QFile::remove(passwordFile);
    if (tls) {
        if (auto made = makeServerCertificate(); !made)
            return made;
    }
    return startServer();
}

// PostgreSQL refuses a key file that others can read, so the key belongs to
// the server user with mode 0600.
Status PgTestServer::makeServerCertificate()
{
    const QString dir = m_dir->filePath(QStringLiteral("tls"));
    if (!QDir(m_dir->path()).mkdir(QStringLiteral("tls")))
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create %1").arg(dir));
    test::TestCertificates files;
    if (const QString failed = files.make(dir); !failed.isEmpty())
        return makeError(ErrorCode::Unavailable, failed);
    ::chmod(QFile::encodeName(dir).constData(), 0755);
    ::chmod(QFile::encodeName(files.serverKey).constData(), 0600);
    if (::geteuid() == 0) {
        for (const QString &path : {files.serverCert, files.serverKey}) {
            if (auto owned = chownToServerUser(path); !owned)
                return owned;
        }
    }
    m_caCertPath = files.caCert;
    m_tlsOptions
        = QStringLiteral(" -c ssl=on -c ssl_cert_file=%1 -c ssl_key_file=%2").arg(files.serverCert, files.serverKey);
    return {};
}

Status PgTestServer::startServer()
{
    if (!m_private)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("only a private test cluster can be started"));

    // Durability settings off: a test cluster lives for one test process.
    const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off "
                                           "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
                                .arg(m_port)
                                .arg(m_dir->filePath(QStringLiteral("run")))
        + m_tlsOptions;
    if (auto started = runAsServerUser(binary(QStringLiteral("pg_ctl")),
            {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-l"),
                m_dir->filePath(QStringLiteral("run/server.log")), QStringLiteral("-o"), options, QStringLiteral("-w"),
                QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("start")},
            kCommandTimeoutMs);
        !started)
        return makeError(started.error().code, started.error().message + QStringLiteral("\n") + serverLog());
    m_running = true;
    return {};
}

Status PgTestServer::stopServer()
{
    if (!m_private)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("only a private test cluster can be stopped"));
    auto stopped = runAsServerUser(binary(QStringLiteral("pg_ctl")),
        {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-m"), QStringLiteral("fast"),
            QStringLiteral("-w"), QStringLiteral("stop")},
        kCommandTimeoutMs);
    if (stopped)
        m_running = false;
    return stopped;
}

QString PgTestServer::serverLog() const
{
    if (!m_dir)
        return {};
    QFile log(m_dir->filePath(QStringLiteral("run/server.log")));
    return log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll()) : QString();
}

sql::PostgresConfig PgTestServer::configFor(const QString &database) const
{
    sql::PostgresConfig config;
    config.host = m_host;
    config.port = m_port;
    config.database = database;
    config.user = m_user;
    const QString password = m_password;
    config.passwords = [password] { return QStringList {password}; };
    config.tlsEnabled = false;
    config.applicationName = QStringLiteral("mutt-test");
    return config;
}

Status PgTestServer::exec(const QString &database, const QStringList &statements)
{
    for (const QString &statement : statements) {
        if (auto ran = run(database, statement, nullptr); !ran)
            return ran;
    }
    return {};
}

Result<QVariant> PgTestServer::scalar(const QString &database, const QString &sql)
{
    QVariant value;
    if (auto ran = run(database, sql, &value); !ran)
        return ran.error();
    return value;
}

Status PgTestServer::run(const QString &database, const QString &sql, QVariant *firstValue)
{
    const QString connection = QStringLiteral("mutt-pgtest-admin-") + uniqueSuffix();
    Status result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(m_host);
        db.setPort(m_port);
        db.setDatabaseName(database);
        db.setUserName(m_user);
        db.setPassword(m_password);
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
        if (!db.open()) {
            result = makeError(ErrorCode::Unavailable,
                QStringLiteral("cannot connect to the test PostgreSQL %1:%2/%3 as %4: %5")
                    .arg(m_host)
                    .arg(m_port)
                    .arg(database, m_user, db.lastError().text()));
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                result = makeError(ErrorCode::Unavailable,
                    QStringLiteral("test statement failed: %1 (statement: %2)").arg(query.lastError().text(), sql));
            else if (firstValue && query.next())
                *firstValue = query.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

Result<sql::PostgresConfig> PgTestServer::createDatabase()
{
    if (!m_running)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the test PostgreSQL server is not running"));
    const QString name = QStringLiteral("mutt_t_") + uniqueSuffix();
    if (auto created = exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE %1").arg(name)}); !created)
        return created.error();
    m_created.append(name);
    return configFor(name);
}

Result<sql::PostgresConfig> PgTestServer::ensureDatabase(const QString &name, bool *created)
{
    *created = false;
    auto exists = scalar(
        QStringLiteral("postgres"), QStringLiteral("SELECT COUNT(*) FROM pg_database WHERE datname = '%1'").arg(name));
    if (!exists)
        return exists.error();
    if (exists.value().toInt() == 0) {
        if (auto made = exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE %1").arg(name)}); !made)
            return made.error();
        *created = true;
    }
    return configFor(name);
}

Status PgTestServer::dropDatabase(const QString &name)
{
    m_created.removeAll(name);
    return exec(QStringLiteral("postgres"), {QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name)});
}

}  // namespace mutt::pgtest
