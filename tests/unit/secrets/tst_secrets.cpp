// The secret store, the env/file source and the Vault source against the
// mock Vault (a real HTTP server on 127.0.0.1).

#include "MockVaultServer.h"
#include "TestCertificates.h"
#include "api/ApiAuth.h"
#include "config/SettingsLoader.h"
#include "config/secrets/SecretSources.h"
#include "config/secrets/SecretStore.h"
#include "config/secrets/VaultClient.h"
#include "config/secrets/VaultSecretSource.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace mutt;
using namespace mutt::config;
using namespace mutt::config::secrets;
using mutt::mockvault::MockVaultServer;
using mutt::mockvault::VaultMode;

namespace {

const QString kDataPath = QStringLiteral("secret/data/mutt");

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

}  // namespace

class TestSecrets final : public QObject {
    Q_OBJECT

private slots:
    void init();

    void storeMergeReportsChanges();
    void storeCallbacksSeeChanges();
    void storePasswordOrder_data();
    void storePasswordOrder();
    void passwordSourceSeesRotation();
    void webuiKeyRotation();
    void kvPath_data();
    void kvPath();
    void loaderRecordsSecretFiles();
    void loaderVaultNeedsRoleId();
    void loaderHidesRoleId();
    void loaderRejectsColonInPodName();
    void fileRereadPicksUpNewValue();

    void emptyNextFileWithdrawsKey();
    void vaultLogin();
    void vaultLoginWrongSecretId();
    void vaultReadWithMountAndPath();
    void vaultRenewal();
    void vaultDownNamesAddress();
    void vaultHangTimesOut();
    void vaultTlsNeedsCaCert();
    void sourceLoadsInitial();
    void sourcePicksUpRotation();
    void sourceRenewsShortToken();
    void sourceLogsInAgainAfterExpiry();
    void sourceStopsDuringHang();
    void sourceKeepsValuesWhileVaultFails_data();
    void sourceKeepsValuesWhileVaultFails();

private:
    VaultOptions options() const;

    QTemporaryDir m_dir;
    std::unique_ptr<MockVaultServer> m_vault;
};

void TestSecrets::init()
{
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(QStringLiteral("secret_id")), "mutt-secret-id\n");
    m_vault = std::make_unique<MockVaultServer>();
    QVERIFY(m_vault->listen());
    m_vault->putSecret(kDataPath,
        QJsonObject {{QStringLiteral("INGEST_API_KEY"), QStringLiteral("vault-ingest-key-1")},
            {QStringLiteral("MOOG_API_KEY"), QStringLiteral("vault-moog-key")},
            {QStringLiteral("REDIS_PASS_CURRENT"), QStringLiteral("redis-current")},
            {QStringLiteral("UNRELATED"), QStringLiteral("ignored")}});
}

VaultOptions TestSecrets::options() const
{
    VaultOptions out;
    out.address = m_vault->address();
    out.roleId = QStringLiteral("mutt-role");
    out.secretIdFile = m_dir.filePath(QStringLiteral("secret_id"));
    out.mount = QStringLiteral("secret");
    out.path = QStringLiteral("secret/mutt");
    out.timeoutMs = 2'000;
    return out;
}

void TestSecrets::storeMergeReportsChanges()
{
    SecretStore store;
    const QStringList first = store.merge({{QStringLiteral("MOOG_API_KEY"), QStringLiteral("abcd1")}});
    const QStringList same = store.merge({{QStringLiteral("MOOG_API_KEY"), QStringLiteral("abcd1")}});
    const quint64 version = store.version();
    const QStringList removed = store.merge({{QStringLiteral("MOOG_API_KEY"), QString()}});

    QCOMPARE(first, QStringList {QStringLiteral("MOOG_API_KEY")});
    QVERIFY(same.isEmpty());
    QCOMPARE(removed, QStringList {QStringLiteral("MOOG_API_KEY")});
    QVERIFY(store.version() > version);
    QVERIFY(store.value(QStringLiteral("MOOG_API_KEY")).isEmpty());
}

void TestSecrets::storeCallbacksSeeChanges()
{
    SecretStore store;
    QStringList seen;
    const int id = store.onChange([&seen](const QStringList &changed) { seen += changed; });
    store.merge({{QStringLiteral("WEBUI_API_KEY"), QStringLiteral("web-1")}});
    store.removeCallback(id);
    store.merge({{QStringLiteral("WEBUI_API_KEY"), QStringLiteral("web-2")}});

    QCOMPARE(seen, QStringList {QStringLiteral("WEBUI_API_KEY")});
}

void TestSecrets::storePasswordOrder_data()
{
    QTest::addColumn<SecretStore::Values>("values");
    QTest::addColumn<QStringList>("redis");
    QTest::addColumn<QStringList>("db");

    QTest::newRow("current and next") << SecretStore::Values {{QStringLiteral("REDIS_PASS_CURRENT"),
                                                                  QStringLiteral("r1")},
        {QStringLiteral("REDIS_PASS_NEXT"), QStringLiteral("r2")},
        {QStringLiteral("DB_PASS_CURRENT"), QStringLiteral("d1")},
        {QStringLiteral("DB_PASS_NEXT"), QStringLiteral("d2")}}
                                      << QStringList {QStringLiteral("r1"), QStringLiteral("r2")}
                                      << QStringList {QStringLiteral("d1"), QStringLiteral("d2")};
    QTest::newRow("legacy names") << SecretStore::Values {{QStringLiteral("REDIS_PASS"), QStringLiteral("r0")},
        {QStringLiteral("DB_PASS"), QStringLiteral("d0")}}
                                  << QStringList {QStringLiteral("r0")} << QStringList {QStringLiteral("d0")};
    QTest::newRow("current wins over legacy")
        << SecretStore::Values {{QStringLiteral("REDIS_PASS"), QStringLiteral("r0")},
               {QStringLiteral("REDIS_PASS_CURRENT"), QStringLiteral("r1")}}
        << QStringList {QStringLiteral("r1")} << QStringList {};
    QTest::newRow("next only") << SecretStore::Values {{QStringLiteral("REDIS_PASS_NEXT"), QStringLiteral("r2")}}
                               << QStringList {QStringLiteral("r2")} << QStringList {};
    QTest::newRow("same twice") << SecretStore::Values {{QStringLiteral("DB_PASS_CURRENT"), QStringLiteral("d1")},
        {QStringLiteral("DB_PASS_NEXT"), QStringLiteral("d1")}}
                                << QStringList {} << QStringList {QStringLiteral("d1")};
}

void TestSecrets::storePasswordOrder()
{
    QFETCH(SecretStore::Values, values);
    QFETCH(QStringList, redis);
    QFETCH(QStringList, db);

    auto store = std::make_shared<SecretStore>();
    store->merge(values);
    Settings settings;
    settings.secrets = store;

    QCOMPARE(store->redisPasswords(), redis);
    QCOMPARE(store->dbPasswords(), db);
    QCOMPARE(redisPasswords(settings), redis);
    QCOMPARE(dbPasswords(settings), db);
}

void TestSecrets::passwordSourceSeesRotation()
{
    Settings settings;
    settings.redisPassCurrent = QStringLiteral("static-pass");
    const PasswordSource before = redisPasswordSource(settings);
    settings.secrets = std::make_shared<SecretStore>();
    settings.secrets->merge({{QStringLiteral("DB_PASS_CURRENT"), QStringLiteral("db-one")}});
    const PasswordSource db = dbPasswordSource(settings);

    settings.secrets->merge({{QStringLiteral("DB_PASS_CURRENT"), QStringLiteral("db-two")},
        {QStringLiteral("DB_PASS_NEXT"), QStringLiteral("db-one")}});

    QCOMPARE(before(), QStringList {QStringLiteral("static-pass")});
    QCOMPARE(db(), (QStringList {QStringLiteral("db-two"), QStringLiteral("db-one")}));
}

void TestSecrets::webuiKeyRotation()
{
    Settings settings;
    settings.secrets = std::make_shared<SecretStore>();
    settings.secrets->merge({{QStringLiteral("WEBUI_API_KEY"), QStringLiteral("web-old-key")}});
    const api::ApiAuth auth = api::ApiAuth::forSettings(settings);
    http::HttpRequest oldKey;
    oldKey.headers = {{QByteArray("X-API-KEY"), QByteArray("web-old-key")}};
    http::HttpRequest newKey;
    newKey.headers = {{QByteArray("X-API-KEY"), QByteArray("web-new-key")}};

    const bool oldBefore = !auth.refusal(oldKey);
    settings.secrets->merge({{QStringLiteral("WEBUI_API_KEY_NEXT"), QStringLiteral("web-new-key")}});
    const bool bothOld = !auth.refusal(oldKey);
    const bool bothNew = !auth.refusal(newKey);
    settings.secrets->merge({{QStringLiteral("WEBUI_API_KEY"), QStringLiteral("web-new-key")},
        {QStringLiteral("WEBUI_API_KEY_NEXT"), QString()}});

    QVERIFY(oldBefore);
    QVERIFY(bothOld);
    QVERIFY(bothNew);
    QVERIFY(auth.refusal(oldKey).has_value());
    QVERIFY(!auth.refusal(newKey));
}

void TestSecrets::kvPath_data()
{
    QTest::addColumn<QString>("mount");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");

    QTest::newRow("v2.5 default") << QStringLiteral("secret") << QStringLiteral("secret/mutt")
                                  << QStringLiteral("secret/data/mutt");
    QTest::newRow("plain path") << QStringLiteral("secret") << QStringLiteral("mutt")
                                << QStringLiteral("secret/data/mutt");
    QTest::newRow("nested path") << QStringLiteral("secret") << QStringLiteral("mutt/prod")
                                 << QStringLiteral("secret/data/mutt/prod");
    QTest::newRow("other mount") << QStringLiteral("kv") << QStringLiteral("secret/mutt")
                                 << QStringLiteral("kv/data/secret/mutt");
    QTest::newRow("slashes") << QStringLiteral("/kv/") << QStringLiteral("/kv/mutt") << QStringLiteral("kv/data/mutt");
}

void TestSecrets::kvPath()
{
    QFETCH(QString, mount);
    QFETCH(QString, path);
    QFETCH(QString, expected);

    QCOMPARE(VaultClient::kvDataPath(mount, path), expected);
}

void TestSecrets::loaderRecordsSecretFiles()
{
    const QString file = m_dir.filePath(QStringLiteral("redis_pass"));
    writeFile(file, "from-file\n");
    SettingsInput input;
    input.environment
        = {{QStringLiteral("REDIS_PASS_FILE"), file}, {QStringLiteral("DB_PASS_NEXT"), QStringLiteral("dbn")}};
    SettingsLoader loader(input);

    const Result<Settings> settings = loader.load();

    QVERIFY2(settings, settings ? "" : qPrintable(settings.error().message));
    QCOMPARE(settings.value().redisPass, QStringLiteral("from-file"));
    QCOMPARE(settings.value().secretFiles.value(QStringLiteral("REDIS_PASS")), file);
    QCOMPARE(redisPasswords(settings.value()), QStringList {QStringLiteral("from-file")});
    QCOMPARE(dbPasswords(settings.value()), QStringList {QStringLiteral("dbn")});
}

void TestSecrets::loaderVaultNeedsRoleId()
{
    SettingsInput input;
    input.environment = {{QStringLiteral("VAULT_ADDR"), QStringLiteral("http://127.0.0.1:1")}};
    SettingsLoader loader(input);

    const Result<Settings> settings = loader.load();

    QVERIFY(!settings);
    QVERIFY(settings.error().message.contains(QStringLiteral("VAULT_ROLE_ID")));
}

void TestSecrets::loaderHidesRoleId()
{
    SettingsInput input;
    input.environment = {{QStringLiteral("VAULT_ADDR"), QStringLiteral("http://127.0.0.1:1")},
        {QStringLiteral("VAULT_ROLE_ID"), QStringLiteral("role-id-1234")}};
    SettingsLoader loader(input);

    const Result<Settings> settings = loader.load();

    QVERIFY(settings);
    QCOMPARE(settings.value().vaultRoleId, QStringLiteral("role-id-1234"));
    QVERIFY(!loader.describe(settings.value()).contains(QStringLiteral("role-id-1234")));
}

void TestSecrets::loaderRejectsColonInPodName()
{
    SettingsInput input;
    input.environment = {{QStringLiteral("POD_NAME"), QStringLiteral("alerter:1")}};
    SettingsLoader loader(input);

    const Result<Settings> settings = loader.load();

    QVERIFY(!settings);
    QVERIFY(settings.error().message.contains(QStringLiteral("POD_NAME")));
}

void TestSecrets::fileRereadPicksUpNewValue()
{
    const QString file = m_dir.filePath(QStringLiteral("ingest_key"));
    writeFile(file, "key-one");
    const QHash<QString, QString> files {{QStringLiteral("INGEST_API_KEY"), file},
        {QStringLiteral("MOOG_API_KEY"), m_dir.filePath(QStringLiteral("missing"))}};
    writeFile(file, "key-two\n");

    const FileReread reread = rereadFiles(files);

    QCOMPARE(reread.values.value(QStringLiteral("INGEST_API_KEY")), QStringLiteral("key-two"));
    QVERIFY(!reread.values.contains(QStringLiteral("MOOG_API_KEY")));
    QCOMPARE(reread.errors.size(), 1);
    QVERIFY(reread.errors.constFirst().contains(QStringLiteral("MOOG_API_KEY_FILE")));
}

// Emptying a *_NEXT file withdraws that key; an empty current key is kept.
void TestSecrets::emptyNextFileWithdrawsKey()
{
    const QString next = m_dir.filePath(QStringLiteral("ingest_key_next"));
    const QString current = m_dir.filePath(QStringLiteral("ingest_key"));
    writeFile(next, "\n");
    writeFile(current, "");
    SecretStore store;
    store.merge({{QStringLiteral("INGEST_API_KEY_NEXT"), QStringLiteral("leaked-next-key")},
        {QStringLiteral("INGEST_API_KEY"), QStringLiteral("current-key")}});

    const FileReread reread
        = rereadFiles({{QStringLiteral("INGEST_API_KEY_NEXT"), next}, {QStringLiteral("INGEST_API_KEY"), current}});
    store.merge(reread.values);

    QCOMPARE(store.ingestKeys(), QStringList {QStringLiteral("current-key")});
    QCOMPARE(reread.errors.size(), 1);
    QVERIFY(reread.errors.constFirst().contains(QStringLiteral("INGEST_API_KEY_FILE")));
}

void TestSecrets::vaultLogin()
{
    const VaultClient client(options());

    const Result<VaultToken> token = client.login();

    QVERIFY2(token, token ? "" : qPrintable(token.error().message));
    QVERIFY(!token.value().token.isEmpty());
    QCOMPARE(token.value().ttlSeconds, 3600);
    QCOMPARE(m_vault->stats().value(QStringLiteral("logins")).toInt(), 1);
}

void TestSecrets::vaultLoginWrongSecretId()
{
    writeFile(m_dir.filePath(QStringLiteral("secret_id")), "wrong");
    const VaultClient client(options());

    const Result<VaultToken> token = client.login();

    QVERIFY(!token);
    QVERIFY(token.error().message.contains(QStringLiteral("VAULT_ROLE_ID")));
    QVERIFY(!token.error().message.contains(QStringLiteral("wrong")));
}

void TestSecrets::vaultReadWithMountAndPath()
{
    const VaultClient client(options());
    const Result<VaultToken> token = client.login();
    QVERIFY(token);

    const Result<SecretStore::Values> values = client.readSecrets(token.value().token);

    QVERIFY2(values, values ? "" : qPrintable(values.error().message));
    QCOMPARE(values.value().value(QStringLiteral("INGEST_API_KEY")), QStringLiteral("vault-ingest-key-1"));
    QCOMPARE(values.value().value(QStringLiteral("REDIS_PASS_CURRENT")), QStringLiteral("redis-current"));
}

void TestSecrets::vaultRenewal()
{
    m_vault->setTokenTtl(100);
    const VaultClient client(options());
    const Result<VaultToken> token = client.login();
    QVERIFY(token);
    m_vault->setTokenTtl(500);

    const Result<VaultToken> looked = client.lookupSelf(token.value().token);
    const Result<VaultToken> renewed = client.renewSelf(token.value().token);
    m_vault->expireTokens();
    const Result<VaultToken> expired = client.lookupSelf(token.value().token);

    QVERIFY(looked);
    QVERIFY(looked.value().ttlSeconds <= 100);
    QVERIFY(renewed);
    QCOMPARE(renewed.value().ttlSeconds, 500);
    QCOMPARE(renewed.value().token, token.value().token);
    QVERIFY(!expired);
    QVERIFY(expired.error().message.contains(QStringLiteral("403")));
}

void TestSecrets::vaultDownNamesAddress()
{
    VaultOptions down = options();
    const QString address = m_vault->address();
    m_vault.reset();
    down.address = address;
    const VaultClient client(down);

    const Result<VaultToken> token = client.login();

    QVERIFY(!token);
    QCOMPARE(token.error().code, ErrorCode::Unavailable);
    QVERIFY(token.error().message.contains(QStringLiteral("VAULT_ADDR=") + address));
}

void TestSecrets::vaultHangTimesOut()
{
    m_vault->setMode(VaultMode::Hang);
    VaultOptions quick = options();
    quick.timeoutMs = 500;
    const VaultClient client(quick);

    const Result<VaultToken> token = client.login();
    m_vault->setMode(VaultMode::Normal);

    QVERIFY(!token);
    QVERIFY(token.error().message.contains(QStringLiteral("VAULT_ADDR")));
}

void TestSecrets::vaultTlsNeedsCaCert()
{
    mutt::test::TestCertificates certs;
    QCOMPARE(certs.make(m_dir.path(), QStringLiteral("vault-")), QString());
    mutt::mockvault::MockVaultOptions tls;
    tls.tlsCertFile = certs.serverCert;
    tls.tlsKeyFile = certs.serverKey;
    m_vault = std::make_unique<MockVaultServer>(tls);
    QVERIFY(m_vault->listen());
    VaultOptions trusted = options();
    trusted.caCertFile = certs.caCert;

    const Result<VaultToken> withCa = VaultClient(trusted).login();
    const Result<VaultToken> withoutCa = VaultClient(options()).login();

    QVERIFY(m_vault->address().startsWith(QStringLiteral("https://")));
    QVERIFY2(withCa, withCa ? "" : qPrintable(withCa.error().message));
    QVERIFY(!withoutCa);
    QVERIFY(withoutCa.error().message.contains(QStringLiteral("VAULT_CACERT")));
}

void TestSecrets::sourceLoadsInitial()
{
    auto store = std::make_shared<SecretStore>();
    VaultSecretSource source(options(), VaultTiming {}, store);

    const Result<SecretStore::Values> values = source.loadInitial();

    QVERIFY(values);
    QCOMPARE(store->value(QStringLiteral("MOOG_API_KEY")), QStringLiteral("vault-moog-key"));
    QVERIFY(store->value(QStringLiteral("UNRELATED")).isEmpty());
}

void TestSecrets::sourcePicksUpRotation()
{
    auto store = std::make_shared<SecretStore>();
    VaultSecretSource source(options(), VaultTiming {3600, 300, 1}, store);
    QVERIFY(source.loadInitial());
    std::atomic<int> changes {0};
    store->onChange([&changes](const QStringList &) { ++changes; });
    source.start();

    m_vault->putSecret(
        kDataPath, QJsonObject {{QStringLiteral("INGEST_API_KEY"), QStringLiteral("vault-ingest-key-2")}});

    QTRY_COMPARE_WITH_TIMEOUT(
        store->value(QStringLiteral("INGEST_API_KEY")), QStringLiteral("vault-ingest-key-2"), 10'000);
    QCOMPARE(store->value(QStringLiteral("MOOG_API_KEY")), QStringLiteral("vault-moog-key"));
    QVERIFY(changes.load() >= 1);
    source.stop();
}

void TestSecrets::sourceRenewsShortToken()
{
    m_vault->setTokenTtl(4);
    auto store = std::make_shared<SecretStore>();
    VaultSecretSource source(options(), VaultTiming {3600, 300, 300}, store);
    QVERIFY(source.loadInitial());
    source.start();

    QTRY_VERIFY_WITH_TIMEOUT(m_vault->stats().value(QStringLiteral("renewals")).toInt() >= 1, 15'000);
    QCOMPARE(m_vault->stats().value(QStringLiteral("logins")).toInt(), 1);
    QVERIFY(source.lastError().isEmpty());
    source.stop();
}

void TestSecrets::sourceLogsInAgainAfterExpiry()
{
    auto store = std::make_shared<SecretStore>();
    VaultSecretSource source(options(), VaultTiming {3600, 300, 1}, store);
    QVERIFY(source.loadInitial());
    source.start();

    m_vault->expireTokens();
    m_vault->putSecret(kDataPath, QJsonObject {{QStringLiteral("INGEST_API_KEY"), QStringLiteral("after-expiry")}});

    QTRY_COMPARE_WITH_TIMEOUT(store->value(QStringLiteral("INGEST_API_KEY")), QStringLiteral("after-expiry"), 10'000);
    QVERIFY(m_vault->stats().value(QStringLiteral("logins")).toInt() >= 2);
    source.stop();
}

void TestSecrets::sourceStopsDuringHang()
{
    auto store = std::make_shared<SecretStore>();
    VaultOptions slow = options();
    slow.timeoutMs = 60'000;
    VaultSecretSource source(slow, VaultTiming {3600, 300, 1}, store);
    QVERIFY(source.loadInitial());
    source.start();
    m_vault->setMode(VaultMode::Hang);
    QTRY_VERIFY_WITH_TIMEOUT(m_vault->hanging() > 0, 10'000);

    QElapsedTimer elapsed;
    elapsed.start();
    source.stop();

    // Far below the 60 s request timeout: stop() aborted the request.
    QVERIFY(elapsed.elapsed() < 30'000);
    m_vault->setMode(VaultMode::Normal);
}

void TestSecrets::sourceKeepsValuesWhileVaultFails_data()
{
    QTest::addColumn<VaultMode>("mode");

    QTest::newRow("5xx") << VaultMode::ServerError;
    QTest::newRow("403") << VaultMode::Forbidden;
    QTest::newRow("hang") << VaultMode::Hang;
}

void TestSecrets::sourceKeepsValuesWhileVaultFails()
{
    QFETCH(VaultMode, mode);

    auto store = std::make_shared<SecretStore>();
    VaultOptions quick = options();
    quick.timeoutMs = 500;
    VaultSecretSource source(quick, VaultTiming {3600, 300, 1}, store);
    QVERIFY(source.loadInitial());
    source.start();

    m_vault->setMode(mode);
    QTRY_VERIFY_WITH_TIMEOUT(!source.lastError().isEmpty(), 10'000);
    const QString error = source.lastError();
    const QString kept = store->value(QStringLiteral("INGEST_API_KEY"));
    m_vault->setMode(VaultMode::Normal);
    QTRY_VERIFY_WITH_TIMEOUT(source.lastError().isEmpty(), 10'000);
    source.stop();

    QVERIFY(error.contains(QStringLiteral("VAULT_ADDR")));
    QCOMPARE(kept, QStringLiteral("vault-ingest-key-1"));
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
