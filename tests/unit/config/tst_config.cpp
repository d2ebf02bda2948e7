#include "config/DataDirectory.h"
#include "config/EnvFile.h"
#include "config/SettingNames.h"
#include "config/SettingsLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace mutt::config;

namespace {

using Vars = QHash<QString, QString>;

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

int posixMode(const QString &path)
{
    struct stat info { };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}

mutt::Result<Settings> loadWith(const Vars &env, const Vars &flags = {}, const QString &configFile = {})
{
    SettingsInput input;
    input.environment = env;
    input.flags = flags;
    input.configFile = configFile;
    SettingsLoader loader(input);
    return loader.load();
}

// A self-signed CA certificate (EC P-256, valid until 2126).
constexpr QByteArrayView kTestCaPem = "-----BEGIN CERTIFICATE-----\n"
                                      "MIIBhTCCASugAwIBAgIUD46d8DKjKz77+0Gbe3MO4EghEuwwCgYIKoZIzj0EAwIw\n"
                                      "FzEVMBMGA1UEAwwMbXV0dC10ZXN0LWNhMCAXDTI2MTIwNTAzMTEyMVoYDzIxMjYx\n"
                                      "MTExMDMxMTIxWjAXMRUwEwYDVQQDDAxtdXR0LXRlc3QtY2EwWTATBgcqhkjOPQIB\n"
                                      "BggqhkjOPQMBBwNCAAT4fOsK9qv/+vT+8rC/ugZFTjltl4SR8hBc8U323IZmH1Qp\n"
                                      "yBGzBOvmDjAm2Wsy+9JIpT1eUoSaguq2vbxY1I+go1MwUTAdBgNVHQ4EFgQUFa4D\n"
                                      "cpg0Qi9u9lerwbk8yj9BLLMwHwYDVR0jBBgwFoAUFa4Dcpg0Qi9u9lerwbk8yj9B\n"
                                      "LLMwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBu5O2g5bKntiwO\n"
                                      "LAQR0vJnU/uSohK+/ZkjmIM5Z/EjOQIhAKWDMxQhyF0oTR8FVhVtZS+2/tUDU4DX\n"
                                      "ZX3EAS1STnjn\n"
                                      "-----END CERTIFICATE-----\n";

// An environment that names `path` in the CA setting `name`, plus what that
// setting needs to be checked (VAULT_CACERT is only read with VAULT_ADDR).
Vars caFileEnvironment(const QString &name, const QString &path)
{
    Vars environment {{name, path}};
    if (name == u"VAULT_CACERT") {
        environment.insert(QStringLiteral("VAULT_ADDR"), QStringLiteral("https://127.0.0.1:8200"));
        environment.insert(QStringLiteral("VAULT_ROLE_ID"), QStringLiteral("role"));
    }
    if (name == u"REDIS_CA_CERT_PATH")
        environment.insert(QStringLiteral("REDIS_TLS_ENABLED"), QStringLiteral("true"));
    return environment;
}

}  // namespace

class ConfigTest final : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void precedence_data();
    void precedence();
    void aliases_data();
    void aliases();
    void booleans_data();
    void booleans();
    void rangeErrorsAllAtOnce();
    void badBooleanNamesAccepted();
    void secretFromFile();
    void unreadableSecretFile();
    void missingCaFile_data();
    void missingCaFile();
    void caFileWithoutCertificate_data();
    void caFileWithoutCertificate();
    void caFileWithCertificate_data();
    void caFileWithCertificate();
    void secretEnvBeatsFile();
    void envFile_data();
    void envFile();
    void envFileErrors_data();
    void envFileErrors();
    void unknownFileKeysWarn();
    void missingConfigFile();
    void describeSources();
    void nonLoopbackRefused();
    void nonLoopbackWithKey();
    void generatedKeys();
    void configuredKeyNotStored();
    void defaultDataDir();
    void podNameDefault();
    void podNameReservedCharacters_data();
    void podNameReservedCharacters();
    void unknownFlagNamesNearest();
    void unknownFlagNamesFarOff();
    void unknownFlagNamesKnownUnused();
    void runbookNamesPointAtSettings();
    void knownFlagNamesAccepted();
    void unknownFileKeySuggestsName();
    void describeListsGroupsOnce();
    void fileOriginWithoutNestedBrackets();
    void urlErrors_data();
    void urlErrors();
    void urlErrorsHideParserText_data();
    void urlErrorsHideParserText();
    void secondsNameTheUnit_data();
    void secondsNameTheUnit();
    void emptyHostRejected_data();
    void emptyHostRejected();
    void unsetHostKeepsDefault();
    void nestedProcessingPrefixes_data();
    void nestedProcessingPrefixes();
};

void ConfigTest::defaults()
{
    const auto settings = loadWith({});
    QVERIFY2(settings.ok(), qPrintable(settings.ok() ? QString() : settings.error().message));
    QCOMPARE(settings.value().ingestPort, quint16(8080));
    QCOMPARE(settings.value().alerterHealthPort, quint16(8081));
    QCOMPARE(settings.value().moogMetricsPort, quint16(9092));
    QCOMPARE(settings.value().bindAddress, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(settings.value().embedded);
}

void ConfigTest::precedence_data()
{
    QTest::addColumn<bool>("inFile");
    QTest::addColumn<bool>("inEnv");
    QTest::addColumn<bool>("inFlag");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("source");

    QTest::newRow("default") << false << false << false << 8080 << "default";
    QTest::newRow("file") << true << false << false << 1001 << "file";
    QTest::newRow("env over file") << true << true << false << 1002 << "env";
    QTest::newRow("flag over env") << true << true << true << 1003 << "flag";
    QTest::newRow("flag over file") << true << false << true << 1003 << "flag";
}

void ConfigTest::precedence()
{
    QFETCH(bool, inFile);
    QFETCH(bool, inEnv);
    QFETCH(bool, inFlag);
    QFETCH(int, expected);
    QFETCH(QString, source);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, inFile ? "SERVER_PORT_INGESTOR=1001\n" : "");

    SettingsInput input;
    input.configFile = path;
    if (inEnv)
        input.environment.insert(QStringLiteral("SERVER_PORT_INGESTOR"), QStringLiteral("1002"));
    if (inFlag)
        input.flags.insert(QStringLiteral("SERVER_PORT_INGESTOR"), QStringLiteral("1003"));
    SettingsLoader loader(input);
    const auto settings = loader.load();

    QVERIFY(settings.ok());
    QCOMPARE(int(settings.value().ingestPort), expected);
    QCOMPARE(settingSourceName(loader.source(QStringLiteral("SERVER_PORT_INGESTOR"))), source);
}

void ConfigTest::aliases_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("field");  // 0 alerter health, 1 alerter metrics, 2 moog health, 3 moog metrics

    QTest::newRow("HEALTH_PORT_ALERTER") << "HEALTH_PORT_ALERTER" << 0;
    QTest::newRow("ALERTER_HEALTH_PORT") << "ALERTER_HEALTH_PORT" << 0;
    QTest::newRow("METRICS_PORT_ALERTER") << "METRICS_PORT_ALERTER" << 1;
    QTest::newRow("ALERTER_METRICS_PORT") << "ALERTER_METRICS_PORT" << 1;
    QTest::newRow("HEALTH_PORT_MOOG") << "HEALTH_PORT_MOOG" << 2;
    QTest::newRow("MOOG_FORWARDER_HEALTH_PORT") << "MOOG_FORWARDER_HEALTH_PORT" << 2;
    QTest::newRow("METRICS_PORT_MOOG") << "METRICS_PORT_MOOG" << 3;
    QTest::newRow("MOOG_FORWARDER_METRICS_PORT") << "MOOG_FORWARDER_METRICS_PORT" << 3;
}

void ConfigTest::aliases()
{
    QFETCH(QString, name);
    QFETCH(int, field);

    const auto settings = loadWith({{name, QStringLiteral("12345")}});

    QVERIFY(settings.ok());
    const Settings &s = settings.value();
    const quint16 ports[] = {s.alerterHealthPort, s.alerterMetricsPort, s.moogHealthPort, s.moogMetricsPort};
    QCOMPARE(ports[field], quint16(12345));
}

void ConfigTest::booleans_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<bool>("expected");

    for (const char *word : {"true", "TRUE", "1", "yes", "Yes", "on", "ON"})
        QTest::newRow(word) << QString::fromLatin1(word) << true;
    for (const char *word : {"false", "False", "0", "no", "NO", "off", "Off"})
        QTest::newRow(word) << QString::fromLatin1(word) << false;
}

void ConfigTest::booleans()
{
    QFETCH(QString, raw);
    QFETCH(bool, expected);

    const auto settings
        = loadWith({{QStringLiteral("CIRCUIT_BREAKER_ENABLED"), raw}, {QStringLiteral("RATE_LIMIT_ENABLED"), raw}});

    QVERIFY(settings.ok());
    QCOMPARE(settings.value().circuitBreakerEnabled, expected);
    QCOMPARE(settings.value().rateLimitEnabled, expected);
}

void ConfigTest::rangeErrorsAllAtOnce()
{
    const auto settings = loadWith({{QStringLiteral("SERVER_PORT_INGESTOR"), QStringLiteral("70000")},
        {QStringLiteral("MAX_INGEST_QUEUE_SIZE"), QStringLiteral("999")},
        {QStringLiteral("MOOG_RETRY_BASE_DELAY"), QStringLiteral("abc")},
        {QStringLiteral("ALERTER_HEALTH_PORT"), QStringLiteral("0")}});

    QVERIFY(!settings.ok());
    const QString message = settings.error().message;
    QVERIFY(message.contains(QStringLiteral("SERVER_PORT_INGESTOR=\"70000\"")));
    QVERIFY(message.contains(QStringLiteral("an integer from 1 to 65535")));
    QVERIFY(message.contains(QStringLiteral("MAX_INGEST_QUEUE_SIZE=\"999\"")));
    QVERIFY(message.contains(QStringLiteral("at least 1000")));
    QVERIFY(message.contains(QStringLiteral("MOOG_RETRY_BASE_DELAY=\"abc\"")));
    QVERIFY(message.contains(QStringLiteral("ALERTER_HEALTH_PORT=\"0\"")));
    QVERIFY(message.startsWith(QStringLiteral("4 configuration error(s)")));
}

void ConfigTest::badBooleanNamesAccepted()
{
    const auto settings = loadWith({{QStringLiteral("LOG_JSON_ENABLED"), QStringLiteral("maybe")}});

    QVERIFY(!settings.ok());
    QVERIFY(settings.error().message.contains(QStringLiteral("LOG_JSON_ENABLED=\"maybe\"")));
    QVERIFY(settings.error().message.contains(QStringLiteral("yes/no")));
}

void ConfigTest::secretFromFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("moog_key"));
    writeFile(path, "  s3cr3t-moog-key \n");

    SettingsInput input;
    input.environment.insert(QStringLiteral("MOOG_API_KEY_FILE"), path);
    SettingsLoader loader(input);
    const auto settings = loader.load();

    QVERIFY(settings.ok());
    QCOMPARE(settings.value().moogApiKey, QStringLiteral("s3cr3t-moog-key"));
    QCOMPARE(loader.origin(QStringLiteral("MOOG_API_KEY")), QStringLiteral("env MOOG_API_KEY_FILE"));
    const QString described = loader.describe(settings.value());
    QVERIFY(!described.contains(QStringLiteral("s3cr3t-moog-key")));
    QVERIFY(described.contains(QStringLiteral("set (15 chars)")));
}

void ConfigTest::unreadableSecretFile()
{
    const QString path = QStringLiteral("/nonexistent/mutt/ingest_key");
    const auto settings = loadWith({{QStringLiteral("INGEST_API_KEY_FILE"), path}});

    QVERIFY(!settings.ok());
    QVERIFY(settings.error().message.contains(path));
    QVERIFY(settings.error().message.contains(QStringLiteral("INGEST_API_KEY_FILE")));
}

void ConfigTest::missingCaFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("postgresql") << QStringLiteral("DB_TLS_CA_CERT_PATH");
    QTest::newRow("redis") << QStringLiteral("REDIS_CA_CERT_PATH");
    QTest::newRow("vault") << QStringLiteral("VAULT_CACERT");
    QTest::newRow("moog") << QStringLiteral("MOOG_CA_CERT_PATH");
}

void ConfigTest::missingCaFile()
{
    QFETCH(QString, name);
    const QString path = QStringLiteral("/nonexistent/mutt/ca.pem");

    const auto settings = loadWith(caFileEnvironment(name, path));

    QVERIFY(!settings.ok());
    QVERIFY2(
        settings.error().message.contains(name + QStringLiteral("=\"") + path + QStringLiteral("\" does not exist")),
        qPrintable(settings.error().message));
}

void ConfigTest::caFileWithoutCertificate_data()
{
    missingCaFile_data();
}

void ConfigTest::caFileWithoutCertificate()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ca.der"));
    writeFile(path, QByteArrayLiteral("\x30\x82\x01\x85 not a PEM file"));

    const auto settings = loadWith(caFileEnvironment(name, path));

    QVERIFY(!settings.ok());
    const QString message = settings.error().message;
    QVERIFY2(message.contains(name + QStringLiteral("=\"") + path + QStringLiteral("\" holds no PEM certificate")),
        qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("-----BEGIN CERTIFICATE-----")), qPrintable(message));
}

void ConfigTest::caFileWithCertificate_data()
{
    missingCaFile_data();
}

void ConfigTest::caFileWithCertificate()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ca.pem"));
    writeFile(path, kTestCaPem.toByteArray());

    const auto settings = loadWith(caFileEnvironment(name, path));

    // The Vault rows may fail on other Vault settings, never on the CA file.
    const QString message = settings.ok() ? QString() : settings.error().message;
    QVERIFY2(!message.contains(name), qPrintable(message));
}

void ConfigTest::secretEnvBeatsFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("key"));
    writeFile(path, "from-file-key");

    const auto settings = loadWith({{QStringLiteral("WEBUI_API_KEY"), QStringLiteral("from-env-key")},
        {QStringLiteral("WEBUI_API_KEY_FILE"), path}});

    QVERIFY(settings.ok());
    QCOMPARE(settings.value().webuiApiKey, QStringLiteral("from-env-key"));
}

void ConfigTest::envFile_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("value");

    QTest::newRow("bare") << QByteArray("A=value\n") << "value";
    QTest::newRow("export") << QByteArray("export A=value\n") << "value";
    QTest::newRow("spaces around") << QByteArray("  A = value  \n") << "value";
    QTest::newRow("double quoted") << QByteArray("A=\"two words\"\n") << "two words";
    QTest::newRow("single quoted") << QByteArray("A='two words'\n") << "two words";
    QTest::newRow("single keeps backslash") << QByteArray("A='a\\nb'\n") << "a\\nb";
    QTest::newRow("double escapes") << QByteArray("A=\"say \\\"hi\\\" \\$HOME\"\n") << "say \"hi\" $HOME";
    QTest::newRow("hash in quotes") << QByteArray("A=\"a # b\"\n") << "a # b";
    QTest::newRow("inline comment") << QByteArray("A=value # note\n") << "value";
    QTest::newRow("hash inside bare") << QByteArray("A=a#b\n") << "a#b";
    QTest::newRow("comment after quote") << QByteArray("A='x' # note\n") << "x";
    QTest::newRow("comments and blanks") << QByteArray("# c\n\n   # d\nA=1\n") << "1";
    QTest::newRow("crlf") << QByteArray("A=value\r\n") << "value";
    QTest::newRow("empty") << QByteArray("A=\n") << "";
    QTest::newRow("equals in value") << QByteArray("A=x=y\n") << "x=y";
    QTest::newRow("no expansion") << QByteArray("A=$HOME\n") << "$HOME";
    QTest::newRow("last wins") << QByteArray("A=1\nA=2\n") << "2";
}

void ConfigTest::envFile()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, value);

    const EnvFileContent content = EnvFile::parse(text);

    QVERIFY(content.errors.isEmpty());
    QVERIFY(!content.entries.isEmpty());
    QCOMPARE(content.entries.constLast().name, QStringLiteral("A"));
    QCOMPARE(content.entries.constLast().value, value);
}

void ConfigTest::envFileErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no equals") << QByteArray("A=1\nJUSTAWORD\n") << "line 2: expected NAME=VALUE";
    QTest::newRow("bad name") << QByteArray("1A=x\n") << "line 1: \"1A\" is not a variable name";
    QTest::newRow("unclosed double") << QByteArray("A=\"open\n") << "line 1: A: the double quote is not closed";
    QTest::newRow("unclosed single") << QByteArray("A='open\n") << "line 1: A: the single quote is not closed";
    QTest::newRow("text after quote") << QByteArray("A='x'y\n") << "line 1: A: unexpected text after";
}

void ConfigTest::envFileErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);

    const EnvFileContent content = EnvFile::parse(text);

    QCOMPARE(content.errors.size(), 1);
    QVERIFY2(content.errors.constFirst().startsWith(expected), qPrintable(content.errors.constFirst()));
}

void ConfigTest::unknownFileKeysWarn()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, "OTEL_ENABLED=true\nSERVER_PORT_INGESTR=1\nLOG_LEVEL=DEBUG\n");

    SettingsInput input;
    input.configFile = path;
    SettingsLoader loader(input);
    const auto settings = loader.load();

    QVERIFY(settings.ok());
    QCOMPARE(settings.value().logLevel, QStringLiteral("debug"));
    QCOMPARE(loader.warnings().size(), 2);
    QVERIFY(loader.warnings().at(0).contains(QStringLiteral("OTEL_ENABLED")));
    QVERIFY(loader.warnings().at(1).contains(QStringLiteral("SERVER_PORT_INGESTR")));
}

void ConfigTest::missingConfigFile()
{
    const auto settings = loadWith({}, {}, QStringLiteral("/nonexistent/mutt.env"));

    QVERIFY(!settings.ok());
    QVERIFY(settings.error().message.contains(QStringLiteral("/nonexistent/mutt.env")));
}

void ConfigTest::describeSources()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, "SERVER_PORT_WEBUI=9000\n");

    SettingsInput input;
    input.configFile = path;
    input.environment.insert(QStringLiteral("ALERTER_HEALTH_PORT"), QStringLiteral("9001"));
    input.environment.insert(QStringLiteral("INGEST_API_KEY"), QStringLiteral("abcdefgh"));
    input.flags.insert(QStringLiteral("MUTT_SINGLE_PORT"), QStringLiteral("true"));
    SettingsLoader loader(input);
    const auto settings = loader.load();
    QVERIFY(settings.ok());
    const QString text = loader.describe(settings.value());

    QVERIFY(text.contains(QStringLiteral("file ") + path + QStringLiteral(" line 1")));
    QVERIFY(text.contains(QStringLiteral("env ALERTER_HEALTH_PORT")));
    QVERIFY(text.contains(QStringLiteral("flag")));
    QVERIFY(text.contains(QStringLiteral("set (8 chars)")));
    QVERIFY(text.contains(QStringLiteral("not set")));
    QVERIFY(!text.contains(QStringLiteral("abcdefgh")));
}

void ConfigTest::nonLoopbackRefused()
{
    const auto settings = loadWith({{QStringLiteral("MUTT_BIND_ADDRESS"), QStringLiteral("0.0.0.0")}});

    QVERIFY(!settings.ok());
    QVERIFY(settings.error().message.contains(QStringLiteral("MUTT_BIND_ADDRESS=0.0.0.0")));
    QVERIFY(settings.error().message.contains(QStringLiteral("INGEST_API_KEY")));
}

void ConfigTest::nonLoopbackWithKey()
{
    const auto settings = loadWith({{QStringLiteral("INGEST_API_KEY"), QStringLiteral("a-configured-key")}},
        {{QStringLiteral("MUTT_BIND_ADDRESS"), QStringLiteral("0.0.0.0")}});

    QVERIFY(settings.ok());
    QCOMPARE(settings.value().bindAddress, QHostAddress(QHostAddress::AnyIPv4));
}

void ConfigTest::generatedKeys()
{
    QTemporaryDir root;
    const QString dataDir = root.filePath(QStringLiteral("nested/mutt"));
    auto settings = loadWith({{QStringLiteral("MUTT_DATA_DIR"), dataDir}});
    QVERIFY(settings.ok());
    Settings first = settings.value();

    const auto prepared = DataDirectory::prepare(first);

    QVERIFY(prepared.ok());
    QVERIFY(prepared.value().ingestKey().has_value());
    QVERIFY(prepared.value().ingestKey()->createdNow);
    QCOMPARE(first.ingestApiKey.size(), 64);
    QCOMPARE(first.webuiApiKey.size(), 64);
    QVERIFY(first.ingestApiKey != first.webuiApiKey);
    const QString keyPath = prepared.value().ingestKey()->path;
    QCOMPARE(keyPath, dataDir + QStringLiteral("/ingest_api_key"));
    QCOMPARE(posixMode(keyPath), 0600);
    QCOMPARE(posixMode(dataDir), 0700);

    Settings second = settings.value();
    const auto again = DataDirectory::prepare(second);
    QVERIFY(again.ok());
    QVERIFY(!again.value().ingestKey()->createdNow);
    QCOMPARE(second.ingestApiKey, first.ingestApiKey);
    QCOMPARE(second.webuiApiKey, first.webuiApiKey);
}

void ConfigTest::configuredKeyNotStored()
{
    QTemporaryDir root;
    auto settings = loadWith({{QStringLiteral("MUTT_DATA_DIR"), root.path()},
        {QStringLiteral("INGEST_API_KEY"), QStringLiteral("operator-key")}});
    QVERIFY(settings.ok());
    Settings s = settings.value();

    const auto prepared = DataDirectory::prepare(s);

    QVERIFY(prepared.ok());
    QVERIFY(!prepared.value().ingestKey().has_value());
    QCOMPARE(s.ingestApiKey, QStringLiteral("operator-key"));
    QVERIFY(!QFile::exists(root.filePath(QStringLiteral("ingest_api_key"))));
}

void ConfigTest::defaultDataDir()
{
    QCOMPARE(SettingsLoader::defaultDataDir({{QStringLiteral("XDG_DATA_HOME"), QStringLiteral("/x/data")}}),
        QStringLiteral("/x/data/mutt"));
    QCOMPARE(SettingsLoader::defaultDataDir({{QStringLiteral("HOME"), QStringLiteral("/home/u")}}),
        QStringLiteral("/home/u/.local/share/mutt"));
}

void ConfigTest::podNameDefault()
{
    const QString name = SettingsLoader::defaultPodName(QStringLiteral("alerter"));

    QVERIFY(name.startsWith(QStringLiteral("alerter-")));
    QVERIFY(name.contains(QString::number(QCoreApplication::applicationPid())));
    QVERIFY(name != SettingsLoader::defaultPodName(QStringLiteral("alerter")));
}

void ConfigTest::podNameReservedCharacters_data()
{
    QTest::addColumn<QString>("pod");

    QTest::newRow("colon") << QStringLiteral("host:alerter");
    QTest::newRow("space") << QStringLiteral("host alerter");
    QTest::newRow("lane mark") << QStringLiteral("host-alerter#1");
}

void ConfigTest::podNameReservedCharacters()
{
    QFETCH(QString, pod);

    const auto settings = loadWith({{QStringLiteral("POD_NAME"), pod}});

    QVERIFY(!settings.ok());
    QVERIFY2(settings.error().message.contains(QStringLiteral("POD_NAME=\"") + pod + u'"'),
        qPrintable(settings.error().message));
}

void ConfigTest::unknownFlagNamesNearest()
{
    const QStringList errors = unknownFlagErrors({{QStringLiteral("SERVER_PORT_INGESTR"), QStringLiteral("18080")}});

    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).contains(QStringLiteral("unknown setting SERVER_PORT_INGESTR")), qPrintable(errors.at(0)));
    QVERIFY2(errors.at(0).contains(QStringLiteral("did you mean SERVER_PORT_INGESTOR?")), qPrintable(errors.at(0)));
    QVERIFY2(!errors.at(0).contains(QStringLiteral("18080")), qPrintable(errors.at(0)));
}

void ConfigTest::unknownFlagNamesFarOff()
{
    QCOMPARE(nearestSettingName(QStringLiteral("COMPLETELY_DIFFERENT")), QString());

    const QStringList errors = unknownFlagErrors({{QStringLiteral("COMPLETELY_DIFFERENT"), QStringLiteral("1")}});

    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).contains(QStringLiteral("check the spelling")), qPrintable(errors.at(0)));
    QVERIFY2(!errors.at(0).contains(QStringLiteral("did you mean")), qPrintable(errors.at(0)));
}

// The incident runbook's names for the Moogsoft timeout and rate limit,
// which no MUTT version reads, point at the settings that do the job.
void ConfigTest::runbookNamesPointAtSettings()
{
    QCOMPARE(nearestSettingName(QStringLiteral("MOOG_TIMEOUT")), QStringLiteral("MOOG_WEBHOOK_TIMEOUT"));
    QCOMPARE(nearestSettingName(QStringLiteral("RATE_LIMIT_MAX_REQUESTS")), QStringLiteral("MOOG_RATE_LIMIT"));

    const QStringList errors = unknownFlagErrors({{QStringLiteral("MOOG_TIMEOUT"), QStringLiteral("30")}});
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).contains(QStringLiteral("did you mean MOOG_WEBHOOK_TIMEOUT?")), qPrintable(errors.at(0)));
}

void ConfigTest::unknownFlagNamesKnownUnused()
{
    const QStringList errors = unknownFlagErrors({{QStringLiteral("OTEL_ENABLED"), QStringLiteral("true")}});

    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).contains(QStringLiteral("does not read")), qPrintable(errors.at(0)));
}

void ConfigTest::knownFlagNamesAccepted()
{
    const Vars flags {{QStringLiteral("SERVER_PORT_INGESTOR"), QStringLiteral("1")},
        {QStringLiteral("ALERTER_HEALTH_PORT"), QStringLiteral("2")},
        {QStringLiteral("MOOG_API_KEY_FILE"), QStringLiteral("/x")},
        {QStringLiteral("MUTT_DATA_DIR"), QStringLiteral("/x")}, {QStringLiteral("LOG_LEVEL"), QStringLiteral("info")},
        {QStringLiteral("MUTT_CONFIG_FILE"), QStringLiteral("/x")}};

    QCOMPARE(unknownFlagErrors(flags), QStringList());
}

void ConfigTest::unknownFileKeySuggestsName()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, "SERVER_PORT_INGESTR=1\n");

    SettingsInput input;
    input.configFile = path;
    SettingsLoader loader(input);
    const auto settings = loader.load();

    QVERIFY(settings.ok());
    QCOMPARE(loader.warnings().size(), 1);
    QVERIFY2(loader.warnings().at(0).contains(QStringLiteral("did you mean SERVER_PORT_INGESTOR?")),
        qPrintable(loader.warnings().at(0)));
}

void ConfigTest::describeListsGroupsOnce()
{
    SettingsLoader loader(SettingsInput {});
    const auto settings = loader.load();
    QVERIFY(settings.ok());

    const QString text = loader.describe(settings.value());

    for (const QString &group : {QStringLiteral("[vault]"), QStringLiteral("[secrets]")}) {
        QVERIFY2(text.contains(group), qPrintable(group));
        QCOMPARE(text.count(group), 1);
    }
}

void ConfigTest::fileOriginWithoutNestedBrackets()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, "# comment\n\nLOG_LEVEL=verbose\n");

    const auto settings = loadWith({}, {}, path);

    QVERIFY(!settings.ok());
    const QString expected = QStringLiteral("LOG_LEVEL=\"verbose\" (file %1 line 3)").arg(path);
    QVERIFY2(settings.error().message.contains(expected), qPrintable(settings.error().message));
}

void ConfigTest::urlErrors_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("problem");

    QTest::newRow("webhook port") << "MOOG_WEBHOOK_URL"
                                  << "http://127.0.0.1:99999/x"
                                  << "(env): the port must be a number from 1 to 65535";
    QTest::newRow("webhook host") << "MOOG_WEBHOOK_URL"
                                  << "http:///x"
                                  << "(env): the host is missing";
    QTest::newRow("webhook scheme") << "MOOG_WEBHOOK_URL"
                                    << "ftp://moog.example.com/x"
                                    << "(env): it must start with http:// or https://";
    QTest::newRow("webhook path with a space") << "MOOG_WEBHOOK_URL"
                                               << "http://127.0.0.1:19399/events with space"
                                               << "(env): it is not a valid URL";
    QTest::newRow("webhook bad escape") << "MOOG_WEBHOOK_URL"
                                        << "http://127.0.0.1:8443/ev%zz"
                                        << "(env): it is not a valid URL";
    QTest::newRow("vault port") << "VAULT_ADDR"
                                << "https://vault.example.com:0x20"
                                << "(env): the port must be a number from 1 to 65535";
    QTest::newRow("webhook address without scheme")
        << "MOOG_WEBHOOK_URL"
        << "127.0.0.1:8080/events"
        << "(env): it must start with http:// or https://, so write http://127.0.0.1:8080/events, or "
           "https://127.0.0.1:8080/events when the server uses TLS";
    QTest::newRow("webhook name without scheme")
        << "MOOG_WEBHOOK_URL"
        << "moog.example.com:8443/events"
        << "(env): it must start with http:// or https://, so write http://moog.example.com:8443/events";
    QTest::newRow("vault without scheme") << "VAULT_ADDR"
                                          << "vault.example.com:8200"
                                          << "(env): it must start with http:// or https://, so write "
                                             "http://vault.example.com:8200";
}

void ConfigTest::urlErrors()
{
    QFETCH(QString, variable);
    QFETCH(QString, url);
    QFETCH(QString, problem);
    Vars environment {{variable, url}};
    if (variable == u"VAULT_ADDR") {
        environment.insert(QStringLiteral("VAULT_ROLE_ID"), QStringLiteral("role"));
        environment.insert(QStringLiteral("VAULT_SECRET_ID_FILE"), QStringLiteral("/run/secret_id"));
    }

    const auto settings = loadWith(environment);

    QVERIFY(!settings.ok());
    const QString expected = QStringLiteral("%1=\"%2\" %3").arg(variable, url, problem);
    QVERIFY2(settings.error().message.contains(expected), qPrintable(settings.error().message));
}

// Qt's URL parser reports its internals ("Relative URL's path component
// contains ':' before any '/'; source was ..."), which name neither the
// problem nor the fix.
void ConfigTest::urlErrorsHideParserText_data()
{
    QTest::addColumn<QString>("url");

    QTest::newRow("address without scheme") << "127.0.0.1:8080/events";
    QTest::newRow("name without scheme") << "moog:8080/events";
    QTest::newRow("path with a space") << "http://127.0.0.1:19399/events with space";
    QTest::newRow("port") << "http://127.0.0.1:99999/x";
}

void ConfigTest::urlErrorsHideParserText()
{
    QFETCH(QString, url);

    const auto settings = loadWith({{QStringLiteral("MOOG_WEBHOOK_URL"), url}});

    QVERIFY(!settings.ok());
    const QString &message = settings.error().message;
    QVERIFY2(!message.contains(QStringLiteral("source was")), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("Relative URL")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("http://")), qPrintable(message));
}

void ConfigTest::secondsNameTheUnit_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("suffix s") << "MOOG_WEBHOOK_TIMEOUT"
                              << "10s"
                              << "MOOG_WEBHOOK_TIMEOUT=\"10s\" (env): expected a whole number of seconds from 1 to "
                                 "300, written without a unit, such as MOOG_WEBHOOK_TIMEOUT=10";
    QTest::newRow("suffix sec") << "CIRCUIT_BREAKER_TIMEOUT"
                                << "60 sec"
                                << "such as CIRCUIT_BREAKER_TIMEOUT=60";
    QTest::newRow("minutes get the default") << "REMEDIATION_INTERVAL"
                                             << "5m"
                                             << "a whole number of seconds from 1 to 86400, written without a "
                                                "unit, such as REMEDIATION_INTERVAL=300";
    QTest::newRow("out of range gets the default") << "MOOG_WEBHOOK_TIMEOUT"
                                                   << "900s"
                                                   << "such as MOOG_WEBHOOK_TIMEOUT=10";
    QTest::newRow("fraction") << "MOOG_RETRY_BASE_DELAY"
                              << "0.5s"
                              << "a number of seconds from 0 to 3600, written without a unit, such as "
                                 "MOOG_RETRY_BASE_DELAY=0.5";
    QTest::newRow("fraction of a whole-number setting") << "MOOG_WEBHOOK_TIMEOUT"
                                                        << "2.5s"
                                                        << "such as MOOG_WEBHOOK_TIMEOUT=10";
}

void ConfigTest::secondsNameTheUnit()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, expected);

    const auto settings = loadWith({{variable, value}});

    QVERIFY(!settings.ok());
    QVERIFY2(settings.error().message.contains(expected), qPrintable(settings.error().message));
}

void ConfigTest::emptyHostRejected_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("layer");
    QTest::addColumn<QString>("where");

    QTest::newRow("REDIS_HOST flag") << "REDIS_HOST"
                                     << "flag"
                                     << "(flag)";
    QTest::newRow("REDIS_HOST env") << "REDIS_HOST"
                                    << "env"
                                    << "(env)";
    QTest::newRow("REDIS_HOST file") << "REDIS_HOST"
                                     << "file"
                                     << "(file ";
    QTest::newRow("DB_HOST env") << "DB_HOST"
                                 << "env"
                                 << "(env)";
}

// MUTT v2.5 read an empty value as unset, so `REDIS_HOST=` in a broken
// template pointed the daemon at localhost without a word.
void ConfigTest::emptyHostRejected()
{
    QFETCH(QString, variable);
    QFETCH(QString, layer);
    QFETCH(QString, where);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mutt.env"));
    writeFile(path, "MUTT_BACKEND=redis\n" + variable.toUtf8() + "=\n");

    Vars env;
    Vars flags;
    if (layer == u"env")
        env.insert(variable, QStringLiteral(" "));
    else if (layer == u"flag")
        flags.insert(variable, QString());
    const auto settings = loadWith(env, flags, layer == u"file" ? path : QString());

    QVERIFY(!settings.ok());
    const QString &message = settings.error().message;
    QVERIFY2(message.contains(QStringLiteral("%1 is set but empty %2").arg(variable, where)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("default localhost")), qPrintable(message));
}

void ConfigTest::unsetHostKeepsDefault()
{
    SettingsInput input;
    input.environment = {{QStringLiteral("MUTT_BACKEND"), QStringLiteral("redis")}};
    SettingsLoader loader(input);

    const auto settings = loader.load();

    QVERIFY2(settings.ok(), settings.ok() ? "" : qPrintable(settings.error().message));
    QCOMPARE(settings.value().redisHost, QStringLiteral("localhost"));
    QCOMPARE(settings.value().dbHost, QStringLiteral("localhost"));
    QCOMPARE(loader.source(QStringLiteral("REDIS_HOST")), SettingSource::Default);
}

void ConfigTest::nestedProcessingPrefixes_data()
{
    QTest::addColumn<QString>("alerterPrefix");
    QTest::addColumn<QString>("moogPrefix");

    // The forwarder's janitor would move the lists of live alerters
    // (mutt:processing:alerter:<pod>) into the alert queue.
    QTest::newRow("alerter lists under the forwarder prefix")
        << QStringLiteral("mutt:processing:alerter") << QStringLiteral("mutt:processing");
    QTest::newRow("forwarder lists under the alerter prefix")
        << QStringLiteral("mutt:processing") << QStringLiteral("mutt:processing:moog");
    QTest::newRow("one prefix for both") << QStringLiteral("acme:processing") << QStringLiteral("acme:processing");
}

void ConfigTest::nestedProcessingPrefixes()
{
    QFETCH(QString, alerterPrefix);
    QFETCH(QString, moogPrefix);

    const auto settings = loadWith({{QStringLiteral("ALERTER_PROCESSING_LIST_PREFIX"), alerterPrefix},
        {QStringLiteral("MOOG_PROCESSING_LIST_PREFIX"), moogPrefix}});

    QVERIFY(!settings.ok());
    QVERIFY2(
        settings.error().message.contains(QStringLiteral("ALERTER_PROCESSING_LIST_PREFIX=\"%1\"").arg(alerterPrefix)),
        qPrintable(settings.error().message));
    QVERIFY2(settings.error().message.contains(QStringLiteral("MOOG_PROCESSING_LIST_PREFIX=\"%1\"").arg(moogPrefix)),
        qPrintable(settings.error().message));
}

QTEST_GUILESS_MAIN(ConfigTest)
#include "tst_config.moc"
