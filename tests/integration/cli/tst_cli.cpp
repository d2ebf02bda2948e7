// The muttd one-shot commands (check-config, rules) and mutt-console's
// --version and --help, run as child processes in a minimal environment:
// what a mistyped flag, setting, handling value or path does.

#include "ProcessTools.h"
#include "RedisServer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace mutt::itest;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

namespace {

struct Outcome {
    int exitCode = -1;
    QString out;
    QString err;
    [[nodiscard]] QString all() const { return out + err; }
};

constexpr QByteArrayView kSeedBundle = R"({"rules":[{"match_string":"LINK-DOWN","prod_handling":"Page_and_ticket",
"dev_handling":"Ignore","team_assignment":"NetOps"}],"dev_hosts":[],"teams":{}})";

}  // namespace

class TestCli final : public QObject {
    Q_OBJECT

private slots:
    void init();

    void unknownSetNameIsUsageError();
    void unknownSetNameInEveryCommand();
    void setWithoutEqualsShowsExample();
    void checkConfigForwarderWithoutWebhook();
    void checkConfigSharedPort();
    void checkConfigRedisWithoutKeys();
    void checkConfigBadRole();
    void importEmptyBundleNeedsFlag();
    void importWarnsOnHandlingTypo();
    void importJsonErrorHasLineAndColumn();
    void importListsEveryProblem();
    void exportMissingDataDirFails();
    void exportExistingDataDir();
    void migrateNamesBothSchemaVersions();
    void portInUseNamesVariable();
    void redisErrorAdviceOnce();
    void versionNamesAllocator();
    void consoleVersionWithoutDisplay();
    void consoleHelpWithoutDisplay();
    void consoleUnknownOptionWithoutDisplay();
    void consoleWithoutDisplayExplains();
    void consolePlatformOptionWithoutDisplay();
    void consoleWithSilentDisplayExplains();
    void sampleEnvFileNamesKnownSettings();
    void consoleWithSilentTcpDisplayExplains();
    void consoleWithSilentWaylandExplains();

private:
    Outcome run(const QString &program, const QStringList &arguments);
    QString writeFile(const QString &name, QByteArrayView content);

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());

    // Only what the programs need, so settings of the calling shell (MUTT_*,
    // ports, DISPLAY) do not leak in; HOME puts the default data directory
    // into the temporary folder.
    m_env = QProcessEnvironment();
    m_env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    m_env.insert(QStringLiteral("HOME"), m_dir->path());
    m_env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    m_env.insert(QStringLiteral("MOOG_WEBHOOK_URL"), QStringLiteral("http://127.0.0.1:19401/events"));
}

Outcome TestCli::run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.start(builtBinary(program), arguments);
    Outcome outcome;
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished();
        outcome.err = QStringLiteral("timed out");
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = QString::fromUtf8(process.readAllStandardOutput());
    outcome.err = QString::fromUtf8(process.readAllStandardError());
    return outcome;
}

QString TestCli::writeFile(const QString &name, QByteArrayView content)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(content.data(), content.size());
    return path;
}

void TestCli::unknownSetNameIsUsageError()
{
    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("check-config"), QStringLiteral("--set"), QStringLiteral("SERVER_PORT_INGESTR=18080")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("unknown setting SERVER_PORT_INGESTR")), qPrintable(result.all()));
    QVERIFY2(result.err.contains(QStringLiteral("did you mean SERVER_PORT_INGESTOR?")), qPrintable(result.all()));
    QVERIFY2(!result.all().contains(QStringLiteral("configuration is valid")), qPrintable(result.all()));
}

void TestCli::unknownSetNameInEveryCommand()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString bundle = writeFile(QStringLiteral("bundle.json"), kSeedBundle);
    const QList<QStringList> commands {
        {QStringLiteral("run"), QStringLiteral("--role"), QStringLiteral("ingestor")},
        {QStringLiteral("rules"), QStringLiteral("import"), bundle},
        {QStringLiteral("rules"), QStringLiteral("export")},
        {QStringLiteral("migrate")},
        {QStringLiteral("version")},
    };
    for (QStringList arguments : commands) {
        arguments += {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--set"), QStringLiteral("LOG_LEVL=debug")};

        const Outcome result = run(QStringLiteral("muttd"), arguments);

        QVERIFY2(result.exitCode == 2, qPrintable(arguments.join(u' ') + u'\n' + result.all()));
        QVERIFY2(result.err.contains(QStringLiteral("did you mean LOG_LEVEL?")), qPrintable(result.all()));
    }
    QVERIFY2(!QFileInfo::exists(dataDir), "no command may create the data directory after a usage error");
}

void TestCli::setWithoutEqualsShowsExample()
{
    const Outcome result = run(
        QStringLiteral("muttd"), {QStringLiteral("check-config"), QStringLiteral("--set"), QStringLiteral("NOEQUALS")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("--set \"NOEQUALS\" is not NAME=VALUE")), qPrintable(result.all()));
    QVERIFY2(
        result.err.contains(QStringLiteral("for example --set SERVER_PORT_INGESTOR=18080")), qPrintable(result.all()));
    QVERIFY2(!result.out.contains(QStringLiteral("[ingestor]")), qPrintable(result.out));
}

void TestCli::checkConfigForwarderWithoutWebhook()
{
    m_env.remove(QStringLiteral("MOOG_WEBHOOK_URL"));

    const Outcome all = run(QStringLiteral("muttd"), {QStringLiteral("check-config")});
    QCOMPARE(all.exitCode, 0);
    QVERIFY2(all.out.contains(QStringLiteral("warning: MOOG_WEBHOOK_URL is not set")), qPrintable(all.all()));
    QVERIFY2(all.out.contains(QStringLiteral("with 1 warning(s) above")), qPrintable(all.out));

    const Outcome ingestor = run(QStringLiteral("muttd"),
        {QStringLiteral("check-config"), QStringLiteral("--role"), QStringLiteral("ingestor")});
    QCOMPARE(ingestor.exitCode, 0);
    QVERIFY2(!ingestor.out.contains(QStringLiteral("MOOG_WEBHOOK_URL is not set")), qPrintable(ingestor.out));
    QVERIFY2(ingestor.out.contains(QStringLiteral("configuration is valid for the roles ingestor\n")),
        qPrintable(ingestor.out));
}

void TestCli::checkConfigSharedPort()
{
    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("check-config"), QStringLiteral("--set"), QStringLiteral("SERVER_PORT_INGESTOR=8081")});

    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("warning: SERVER_PORT_INGESTOR and HEALTH_PORT_ALERTER are both 8081")),
        qPrintable(result.out));
}

void TestCli::checkConfigRedisWithoutKeys()
{
    m_env.insert(QStringLiteral("MUTT_BACKEND"), QStringLiteral("redis"));

    const Outcome ingestor = run(QStringLiteral("muttd"),
        {QStringLiteral("check-config"), QStringLiteral("--role"), QStringLiteral("ingestor")});
    QCOMPARE(ingestor.exitCode, 1);
    QVERIFY2(ingestor.err.contains(QStringLiteral("INGEST_API_KEY is not set")), qPrintable(ingestor.all()));
    QVERIFY2(!ingestor.all().contains(QStringLiteral("configuration is valid")), qPrintable(ingestor.all()));
    QVERIFY2(
        ingestor.out.contains(QStringLiteral("note: REDIS_TLS_ENABLED is true by default")), qPrintable(ingestor.out));

    const Outcome alerter = run(
        QStringLiteral("muttd"), {QStringLiteral("check-config"), QStringLiteral("--role"), QStringLiteral("alerter")});
    QCOMPARE(alerter.exitCode, 0);
    QVERIFY2(!alerter.all().contains(QStringLiteral("API_KEY is not set")), qPrintable(alerter.all()));
}

void TestCli::checkConfigBadRole()
{
    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("check-config"), QStringLiteral("--role"), QStringLiteral("alerterr")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("alerterr")), qPrintable(result.all()));
}

void TestCli::importEmptyBundleNeedsFlag()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString seed = writeFile(QStringLiteral("seed.json"), kSeedBundle);
    const QString empty = writeFile(QStringLiteral("empty.json"), R"({"rules":[],"dev_hosts":[],"teams":{}})");
    QCOMPARE(run(QStringLiteral("muttd"),
                 {QStringLiteral("rules"), QStringLiteral("import"), seed, QStringLiteral("--data-dir"), dataDir})
                 .exitCode,
        0);

    const Outcome rejected = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("import"), empty, QStringLiteral("--data-dir"), dataDir});
    QCOMPARE(rejected.exitCode, 2);
    QVERIFY2(rejected.err.contains(QStringLiteral("--allow-empty")), qPrintable(rejected.all()));
    const Outcome afterRejection = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--data-dir"), dataDir});
    QCOMPARE(afterRejection.exitCode, 0);
    QVERIFY2(afterRejection.out.contains(QStringLiteral("LINK-DOWN")), qPrintable(afterRejection.all()));

    const Outcome allowed = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("import"), empty, QStringLiteral("--allow-empty"),
            QStringLiteral("--data-dir"), dataDir});
    QCOMPARE(allowed.exitCode, 0);
    const Outcome emptied = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--data-dir"), dataDir});
    QCOMPARE(emptied.exitCode, 0);
    QVERIFY2(!emptied.out.contains(QStringLiteral("LINK-DOWN")), qPrintable(emptied.all()));
}

void TestCli::importWarnsOnHandlingTypo()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString bundle = writeFile(QStringLiteral("typo.json"),
        R"({"rules":[{"match_string":"A","prod_handling":"Page_only","dev_handling":"Ignore","team_assignment":"T"},
{"match_string":"B","prod_handling":"Page","dev_handling":"Ignore","team_assignment":"T"}],"dev_hosts":[],"teams":{}})");

    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("import"), bundle, QStringLiteral("--data-dir"), dataDir});

    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.err.contains(
                 QStringLiteral("warning: %1: rules[1].prod_handling \"Page\" does not forward").arg(bundle)),
        qPrintable(result.all()));
    QCOMPARE(result.err.count(QStringLiteral("does not forward")), 1);
    QVERIFY2(result.err.contains(QStringLiteral("note: %1: 2 rules without an id get new ids above all others "
                                                "(rules[0], rules[1])")
                                     .arg(bundle)),
        qPrintable(result.all()));
    QVERIFY2(result.out.contains(QStringLiteral("imported 2 rules")), qPrintable(result.all()));
}

void TestCli::importJsonErrorHasLineAndColumn()
{
    const QString bundle = writeFile(QStringLiteral("broken.json"), "{\n  \"rules\": [\n    {\"a\" 1}\n  ]\n}\n");

    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("import"), bundle, QStringLiteral("--data-dir"),
            m_dir->filePath(QStringLiteral("data"))});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("at line 3, column ")), qPrintable(result.all()));
}

void TestCli::importListsEveryProblem()
{
    const QString bundle = writeFile(QStringLiteral("three-problems.json"),
        R"({"rules":[{"priority":"high"},{"is_active":"yes"},{"match_string":"C","prod_handling":"Page",
"dev_handling":"Ignore","team_assignment":"T","syslog_severity":8}],"dev_hosts":[],"teams":{}})");

    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("import"), bundle, QStringLiteral("--data-dir"),
            m_dir->filePath(QStringLiteral("data"))});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("%1: 3 problems:\n").arg(bundle)), qPrintable(result.all()));
    QVERIFY2(result.err.contains(QStringLiteral("\n  rules[0].priority must be an integer")), qPrintable(result.all()));
    QVERIFY2(
        result.err.contains(QStringLiteral("\n  rules[1].is_active must be true or false")), qPrintable(result.all()));
    // The value problem comes in the same round, and a rejected bundle gets
    // no warnings about its handling values.
    QVERIFY2(result.err.contains(QStringLiteral("\n  rules[2].syslog_severity must be null or an integer from 0 to 7")),
        qPrintable(result.all()));
    QVERIFY2(!result.err.contains(QStringLiteral("warning:")), qPrintable(result.all()));
}

void TestCli::exportMissingDataDirFails()
{
    const QString typo = m_dir->filePath(QStringLiteral("typo-dir"));

    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--data-dir"), typo});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("the data directory %1 does not exist").arg(typo)),
        qPrintable(result.all()));
    QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
    QVERIFY(!QFileInfo::exists(typo));
}

void TestCli::exportExistingDataDir()
{
    const QString empty = m_dir->filePath(QStringLiteral("empty-dir"));
    QVERIFY(QDir().mkpath(empty));

    const Outcome noStore = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--data-dir"), empty});
    QCOMPARE(noStore.exitCode, 2);
    QVERIFY2(noStore.err.contains(QStringLiteral("holds no SQL store (mutt.db)")), qPrintable(noStore.all()));
    QVERIFY(!QFileInfo::exists(QDir(empty).filePath(QStringLiteral("mutt.db"))));

    QCOMPARE(
        run(QStringLiteral("muttd"), {QStringLiteral("migrate"), QStringLiteral("--data-dir"), empty}).exitCode, 0);
    const Outcome migrated = run(QStringLiteral("muttd"),
        {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--data-dir"), empty});
    QCOMPARE(migrated.exitCode, 0);
    QVERIFY2(migrated.out.contains(QStringLiteral("\"rules\"")), qPrintable(migrated.all()));

    // Commands that serve no requests create no API key files.
    QVERIFY(!QFileInfo::exists(QDir(empty).filePath(QStringLiteral("ingest_api_key"))));
    QVERIFY(!QFileInfo::exists(QDir(empty).filePath(QStringLiteral("webui_api_key"))));
}

// `muttd migrate` upgrades the SQL store and the embedded queue store, whose
// schema versions differ, so its output names each store with its version.
void TestCli::migrateNamesBothSchemaVersions()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const Outcome result
        = run(QStringLiteral("muttd"), {QStringLiteral("migrate"), QStringLiteral("--data-dir"), dataDir});

    QCOMPARE(result.exitCode, 0);
    const QRegularExpression sqlLine(
        QStringLiteral("^SQL store schema version [1-9][0-9]* in %1$")
            .arg(QRegularExpression::escape(QDir(dataDir).filePath(QStringLiteral("mutt.db")))),
        QRegularExpression::MultilineOption);
    QVERIFY2(sqlLine.match(result.out).hasMatch(), qPrintable(result.all()));
    const QRegularExpression queueLine(
        QStringLiteral("^queue store schema version [1-9][0-9]* in %1$")
            .arg(QRegularExpression::escape(QDir(dataDir).filePath(QStringLiteral("queue.db")))),
        QRegularExpression::MultilineOption);
    QVERIFY2(queueLine.match(result.out).hasMatch(), qPrintable(result.all()));
}

void TestCli::portInUseNamesVariable()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));

    const Outcome result = run(QStringLiteral("muttd"),
        {QStringLiteral("run"), QStringLiteral("--role"), QStringLiteral("ingestor"), QStringLiteral("--data-dir"),
            m_dir->filePath(QStringLiteral("data")), QStringLiteral("--set"),
            QStringLiteral("SERVER_PORT_INGESTOR=%1").arg(holder.serverPort())});

    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("SERVER_PORT_INGESTOR sets this port (roles ingestor)")),
        qPrintable(result.all()));
}

// A wrong password already carries its advice; the general Redis advice
// is not added after it.
void TestCli::redisErrorAdviceOnce()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
    RedisServerOptions options;
    options.password = QStringLiteral("right-password");
    RedisServer redis(options);
    const QString started = redis.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    m_env.insert(QStringLiteral("MUTT_BACKEND"), QStringLiteral("redis"));
    m_env.insert(QStringLiteral("REDIS_TLS_ENABLED"), QStringLiteral("false"));
    m_env.insert(QStringLiteral("REDIS_HOST"), redis.host());
    m_env.insert(QStringLiteral("REDIS_PORT"), QString::number(redis.port()));
    m_env.insert(QStringLiteral("REDIS_PASS"), QStringLiteral("wrong-password"));

    const Outcome result = run(QStringLiteral("muttd"), {QStringLiteral("migrate")});

    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("check REDIS_PASS_CURRENT/REDIS_PASS_NEXT")), qPrintable(result.all()));
    QVERIFY2(!result.err.contains(QStringLiteral("the Redis passwords")), qPrintable(result.all()));
}

// `muttd version` names the allocator that serves malloc, so a user can
// tell a jemalloc build from one with the C library's malloc.
void TestCli::versionNamesAllocator()
{
    const Outcome result = run(QStringLiteral("muttd"), {QStringLiteral("version")});

    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.startsWith(QStringLiteral("muttd ")), qPrintable(result.all()));
    const QString expected
        = MUTT_EXPECT_JEMALLOC ? QStringLiteral("; jemalloc 5.") : QStringLiteral("; C library malloc)");
    QVERIFY2(result.out.contains(expected), qPrintable(result.all()));
}

void TestCli::consoleVersionWithoutDisplay()
{
    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--version")});

    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral(MUTT_VERSION)), qPrintable(result.all()));
}

void TestCli::consoleHelpWithoutDisplay()
{
    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--help")});

    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("--embedded")), qPrintable(result.all()));
}

void TestCli::consoleUnknownOptionWithoutDisplay()
{
    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--embeded")});

    // QCommandLineParser ends the program with exit code 1 on an unknown option.
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("embeded")), qPrintable(result.all()));
    QVERIFY2(!result.err.contains(QStringLiteral("No display")), qPrintable(result.all()));
}

void TestCli::consoleWithoutDisplayExplains()
{
    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--embedded")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("No display found")), qPrintable(result.all()));
    QVERIFY2(result.err.contains(QStringLiteral("xvfb-run")), qPrintable(result.all()));
}

// QApplication takes -platform itself, so without DISPLAY the console must
// reach it: the invalid --quit-after value is then the error reported.
void TestCli::consolePlatformOptionWithoutDisplay()
{
    for (const QString &option : {QStringLiteral("-platform"), QStringLiteral("--platform")}) {
        const Outcome result = run(
            QStringLiteral("mutt-console"), {option, QStringLiteral("offscreen"), QStringLiteral("--quit-after=abc")});

        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("--quit-after")), qPrintable(result.all()));
        QVERIFY2(!result.err.contains(QStringLiteral("Unknown option")), qPrintable(result.all()));
        QVERIFY2(!result.err.contains(QStringLiteral("No display")), qPrintable(result.all()));
    }
}

// A DISPLAY left over from a closed session (a shell in tmux, for example)
// names a local X display that nothing serves.
void TestCli::consoleWithSilentDisplayExplains()
{
    int number = 4242;
    while (QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(number)))
        ++number;
    const QString display = QStringLiteral(":%1").arg(number);
    m_env.insert(QStringLiteral("DISPLAY"), display);

    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--embedded")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("No X server answers on DISPLAY=%1.").arg(display)),
        qPrintable(result.all()));
    QVERIFY2(result.err.contains(QStringLiteral("xvfb-run")), qPrintable(result.all()));
}

void TestCli::consoleWithSilentTcpDisplayExplains()
{
    // A port that was just free, as the display number ssh -X would set.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    QVERIFY(port > 6000);
    for (const QString &host : {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}) {
        const QString display = QStringLiteral("%1:%2.0").arg(host).arg(port - 6000);
        m_env.insert(QStringLiteral("DISPLAY"), display);

        const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--embedded")});

        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("No X server answers on DISPLAY=%1.").arg(display)),
            qPrintable(result.all()));
    }
}

void TestCli::consoleWithSilentWaylandExplains()
{
    const QString socket = m_dir->filePath(QStringLiteral("wayland-9"));
    m_env.insert(QStringLiteral("WAYLAND_DISPLAY"), socket);

    const Outcome result = run(QStringLiteral("mutt-console"), {QStringLiteral("--embedded")});

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("No Wayland compositor answers on WAYLAND_DISPLAY=%1.").arg(socket)),
        qPrintable(result.all()));
}

void TestCli::sampleEnvFileNamesKnownSettings()
{
    // The secret files of the sample do not exist here, so check-config
    // reports them; every key of the sample must still be a known setting.
    const QString sample = QStringLiteral(MUTT_SOURCE_DIR "/installer/mutt.env.example");
    QVERIFY(QFileInfo::exists(sample));

    const Outcome result
        = run(QStringLiteral("muttd"), {QStringLiteral("check-config"), QStringLiteral("--config"), sample});

    QVERIFY2(!result.all().contains(QStringLiteral("unknown setting")), qPrintable(result.all()));
    QVERIFY2(result.all().contains(QStringLiteral("MOOG_API_KEY_FILE=\"/etc/mutt/secrets/moog_api_key\"")),
        qPrintable(result.all()));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
