// Secrets of a running muttd from Vault (the mock Vault on 127.0.0.1) and
// from NAME_FILE: rotation without restart, Vault down at start, and no
// secret ever in muttd's output.

#include "HttpCall.h"
#include "MockVaultServer.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace mutt::itest;
using mutt::mockvault::MockVaultServer;

namespace {

const QString kDataPath = QStringLiteral("secret/data/mutt");
const QByteArray kEvent = QByteArrayLiteral(
    R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"vault-host","message":"link down","syslog_severity":3})");

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

int postWithKey(const MuttdProcess &muttd, const QString &key)
{
    return httpPost(muttd.ingestUrl(), kEvent,
        {{QByteArray("Content-Type"), QByteArray("application/json")}, {QByteArray("X-API-KEY"), key.toUtf8()}})
        .status;
}

}  // namespace

class TestVault final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void rotationReachesRunningMuttd();
    void vaultDownAtStartNamesAddress();
    void sighupRereadsSecretFile();

private:
    void configure(MuttdProcess &muttd) const;

    QTemporaryDir m_dir;
    std::unique_ptr<MockVaultServer> m_vault;
};

void TestVault::init()
{
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(QStringLiteral("secret_id")), "itest-secret-id-4711\n");
    mutt::mockvault::MockVaultOptions options;
    options.roleId = QStringLiteral("itest-role-id-0815");
    options.secretId = QStringLiteral("itest-secret-id-4711");
    m_vault = std::make_unique<MockVaultServer>(options);
    QVERIFY(m_vault->listen());
    m_vault->putSecret(kDataPath,
        QJsonObject {{QStringLiteral("INGEST_API_KEY"), QStringLiteral("vault-ingest-old-key")},
            {QStringLiteral("MOOG_API_KEY"), QStringLiteral("vault-moog-secret")},
            {QStringLiteral("REDIS_PASS_CURRENT"), QStringLiteral("vault-redis-secret")}});
}

void TestVault::cleanup()
{
    m_vault.reset();
}

void TestVault::configure(MuttdProcess &muttd) const
{
    muttd.setEnv(QStringLiteral("VAULT_ADDR"), m_vault->address());
    muttd.setEnv(QStringLiteral("VAULT_ROLE_ID"), QStringLiteral("itest-role-id-0815"));
    muttd.setEnv(QStringLiteral("VAULT_SECRET_ID_FILE"), m_dir.filePath(QStringLiteral("secret_id")));
    muttd.setEnv(QStringLiteral("VAULT_SECRETS_REFRESH_INTERVAL"), QStringLiteral("1"));
    muttd.setEnv(QStringLiteral("VAULT_CLIENT_TIMEOUT"), QStringLiteral("3"));
    muttd.setEnv(QStringLiteral("MOOG_API_KEY"), QString());
    muttd.setEnv(QStringLiteral("LOG_LEVEL"), QStringLiteral("debug"));
}

void TestVault::rotationReachesRunningMuttd()
{
    QTemporaryDir data;
    MuttdProcess muttd(data.path());
    configure(muttd);
    QVERIFY(muttd.start(QStringLiteral("ingestor")));
    QVERIFY2(muttd.waitHealthy(), muttd.output().constData());
    QCOMPARE(postWithKey(muttd, QStringLiteral("vault-ingest-old-key")), 200);

    m_vault->putSecret(kDataPath,
        QJsonObject {{QStringLiteral("INGEST_API_KEY"), QStringLiteral("vault-ingest-new-key")},
            {QStringLiteral("MOOG_API_KEY"), QStringLiteral("vault-moog-secret")}});

    QTRY_COMPARE_WITH_TIMEOUT(postWithKey(muttd, QStringLiteral("vault-ingest-new-key")), 200, 15'000);
    QCOMPARE(postWithKey(muttd, QStringLiteral("vault-ingest-old-key")), 401);
    QVERIFY(m_vault->stats().value(QStringLiteral("reads")).toInt() >= 2);
    QCOMPARE(muttd.terminate(), 0);

    const QByteArray output = muttd.output();
    QVERIFY(output.contains("read secrets from vault"));
    for (const char *secret : {"vault-ingest-old-key", "vault-ingest-new-key", "vault-moog-secret",
             "vault-redis-secret", "itest-secret-id-4711", "itest-role-id-0815", "hvs.mock"})
        QVERIFY2(!output.contains(secret), secret);
}

void TestVault::vaultDownAtStartNamesAddress()
{
    const QString address = QStringLiteral("http://127.0.0.1:%1").arg(freePort());
    QTemporaryDir data;
    MuttdProcess muttd(data.path());
    configure(muttd);
    muttd.setEnv(QStringLiteral("VAULT_ADDR"), address);
    QString output;

    const int code = muttd.runCommand({QStringLiteral("run"), QStringLiteral("--role"), QStringLiteral("ingestor"),
                                          QStringLiteral("--embedded"), QStringLiteral("--data-dir"), data.path()},
        &output);

    QVERIFY(code != 0);
    QVERIFY2(output.contains(QStringLiteral("VAULT_ADDR=") + address), qPrintable(output));
    QVERIFY(!output.contains(QStringLiteral("itest-secret-id-4711")));
}

void TestVault::sighupRereadsSecretFile()
{
    const QString keyFile = m_dir.filePath(QStringLiteral("ingest_key"));
    writeFile(keyFile, "file-ingest-key-one\n");
    QTemporaryDir data;
    MuttdProcess muttd(data.path());
    // A set INGEST_API_KEY wins over INGEST_API_KEY_FILE, and the production
    // pass sets one. An empty value counts as unset.
    muttd.setEnv(QStringLiteral("INGEST_API_KEY"), QString());
    muttd.setEnv(QStringLiteral("INGEST_API_KEY_FILE"), keyFile);
    QVERIFY(muttd.start(QStringLiteral("ingestor")));
    QVERIFY2(muttd.waitHealthy(), muttd.output().constData());
    QCOMPARE(postWithKey(muttd, QStringLiteral("file-ingest-key-one")), 200);

    writeFile(keyFile, "file-ingest-key-two\n");
    QCOMPARE(::kill(pid_t(muttd.processId()), SIGHUP), 0);

    QTRY_COMPARE_WITH_TIMEOUT(postWithKey(muttd, QStringLiteral("file-ingest-key-two")), 200, 10'000);
    QCOMPARE(postWithKey(muttd, QStringLiteral("file-ingest-key-one")), 401);
    QVERIFY(muttd.running());
    QCOMPARE(muttd.terminate(), 0);
    QVERIFY(!muttd.output().contains("file-ingest-key"));
}

QTEST_GUILESS_MAIN(TestVault)
#include "tst_vault.moc"
