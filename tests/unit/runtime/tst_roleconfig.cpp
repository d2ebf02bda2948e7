// checkRoleConfig: what `muttd check-config --role` reports for settings
// that `muttd run` would reject or run degraded.

#include "runtime/RoleConfigCheck.h"
#include "runtime/RolePorts.h"

#include <QTest>

using namespace mutt;
using namespace mutt::runtime;

namespace {

RoleConfigInput allRolesInput()
{
    RoleConfigInput input;
    const QList<Role> roles = allRoles();
    input.roles = QSet<Role>(roles.cbegin(), roles.cend());
    input.settings.moogWebhookUrl = QStringLiteral("http://127.0.0.1:19401/events");
    input.settings.moogApiKey = QStringLiteral("moog-key");
    return input;
}

RoleConfigInput redisInput()
{
    RoleConfigInput input = allRolesInput();
    input.settings.embedded = false;
    input.settings.ingestApiKey = QStringLiteral("ingest-key");
    input.settings.webuiApiKey = QStringLiteral("webui-key");
    input.redisTlsExplicit = true;
    return input;
}

bool anyContains(const QStringList &lines, const QString &text)
{
    for (const QString &line : lines) {
        if (line.contains(text))
            return true;
    }
    return false;
}

}  // namespace

class TestRoleConfig final : public QObject {
    Q_OBJECT

private slots:
    void defaultsHaveNoFindings();
    void forwarderWithoutWebhookWarns();
    void webhookNotNeededWithoutForwarder();
    void forwarderWithoutMoogKeyWarns();
    void moogKeyNotNeededWithoutForwarder();
    void moogKeyFromVaultIsNote();
    void sharedPortWarnsWithBothVariables();
    void sameRolePortsWarn();
    void singlePortIsIntended();
    void redisWithoutKeysIsError();
    void redisKeysOnlyForTheirRoles();
    void redisKeysFromVaultAreNotes();
    void embeddedGeneratesKeys();
    void redisTlsDefaultNote();
    void portVariablesNameSharedPort();
};

void TestRoleConfig::defaultsHaveNoFindings()
{
    const RoleConfigFindings findings = checkRoleConfig(allRolesInput());

    QCOMPARE(findings.errors, QStringList());
    QCOMPARE(findings.warnings, QStringList());
    QCOMPARE(findings.notes, QStringList());
}

void TestRoleConfig::forwarderWithoutWebhookWarns()
{
    RoleConfigInput input = allRolesInput();
    input.settings.moogWebhookUrl.clear();

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.errors, QStringList());
    QCOMPARE(findings.warnings.size(), 1);
    QVERIFY2(findings.warnings.at(0).startsWith(QStringLiteral("MOOG_WEBHOOK_URL is not set")),
        qPrintable(findings.warnings.at(0)));
}

void TestRoleConfig::webhookNotNeededWithoutForwarder()
{
    RoleConfigInput input = allRolesInput();
    input.settings.moogWebhookUrl.clear();
    input.roles = {Role::Ingestor, Role::Alerter};

    QCOMPARE(checkRoleConfig(input).warnings, QStringList());
}

void TestRoleConfig::forwarderWithoutMoogKeyWarns()
{
    RoleConfigInput input = allRolesInput();
    input.settings.moogApiKey.clear();

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.errors, QStringList());
    QCOMPARE(findings.warnings.size(), 1);
    const QString &warning = findings.warnings.at(0);
    QVERIFY2(warning.startsWith(QStringLiteral("MOOG_API_KEY is not set")), qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("answers 401")), qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("mutt:dlq:moog")), qPrintable(warning));
}

void TestRoleConfig::moogKeyNotNeededWithoutForwarder()
{
    RoleConfigInput input = allRolesInput();
    input.settings.moogApiKey.clear();
    input.roles = {Role::Ingestor, Role::Alerter, Role::Api};

    QCOMPARE(checkRoleConfig(input).warnings, QStringList());
}

void TestRoleConfig::moogKeyFromVaultIsNote()
{
    RoleConfigInput input = allRolesInput();
    input.settings.moogApiKey.clear();
    input.settings.vaultAddr = QStringLiteral("https://127.0.0.1:19402");

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.warnings, QStringList());
    QVERIFY(anyContains(findings.notes, QStringLiteral("MOOG_API_KEY is not set, so the forwarder takes it")));
}

void TestRoleConfig::sharedPortWarnsWithBothVariables()
{
    RoleConfigInput input = allRolesInput();
    input.settings.ingestPort = input.settings.alerterHealthPort;

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.warnings.size(), 1);
    const QString &warning = findings.warnings.at(0);
    QVERIFY2(warning.startsWith(QStringLiteral("SERVER_PORT_INGESTOR and HEALTH_PORT_ALERTER are both 8081")),
        qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("MUTT_SINGLE_PORT=true")), qPrintable(warning));
}

void TestRoleConfig::sameRolePortsWarn()
{
    RoleConfigInput input = allRolesInput();
    input.settings.alerterMetricsPort = input.settings.alerterHealthPort;

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.warnings.size(), 1);
    const QString &warning = findings.warnings.at(0);
    QVERIFY2(warning.startsWith(QStringLiteral("HEALTH_PORT_ALERTER and METRICS_PORT_ALERTER are both 8081")),
        qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("the alerter role serves health and metrics on one listener")),
        qPrintable(warning));
}

void TestRoleConfig::singlePortIsIntended()
{
    RoleConfigInput input = allRolesInput();
    input.settings.singlePort = true;

    QCOMPARE(checkRoleConfig(input).warnings, QStringList());
}

void TestRoleConfig::redisWithoutKeysIsError()
{
    RoleConfigInput input = redisInput();
    input.settings.ingestApiKey.clear();
    input.settings.webuiApiKey.clear();

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.errors.size(), 2);
    QVERIFY2(findings.errors.at(0).startsWith(QStringLiteral("INGEST_API_KEY is not set")),
        qPrintable(findings.errors.at(0)));
    QVERIFY2(findings.errors.at(1).startsWith(QStringLiteral("WEBUI_API_KEY is not set")),
        qPrintable(findings.errors.at(1)));
}

void TestRoleConfig::redisKeysOnlyForTheirRoles()
{
    RoleConfigInput input = redisInput();
    input.settings.ingestApiKey.clear();
    input.settings.webuiApiKey.clear();
    input.roles = {Role::Alerter, Role::Forwarder, Role::Remediation};

    QCOMPARE(checkRoleConfig(input).errors, QStringList());
}

void TestRoleConfig::redisKeysFromVaultAreNotes()
{
    RoleConfigInput input = redisInput();
    input.settings.ingestApiKey.clear();
    input.settings.vaultAddr = QStringLiteral("https://127.0.0.1:19402");

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.errors, QStringList());
    QVERIFY(anyContains(findings.notes, QStringLiteral("INGEST_API_KEY is not set, so the ingestor role takes it")));
}

void TestRoleConfig::embeddedGeneratesKeys()
{
    RoleConfigInput input = allRolesInput();
    input.settings.ingestApiKey.clear();
    input.settings.webuiApiKey.clear();

    QCOMPARE(checkRoleConfig(input).errors, QStringList());
}

void TestRoleConfig::redisTlsDefaultNote()
{
    RoleConfigInput input = redisInput();
    input.redisTlsExplicit = false;

    const RoleConfigFindings findings = checkRoleConfig(input);

    QCOMPARE(findings.notes.size(), 1);
    QVERIFY2(
        findings.notes.at(0).contains(QStringLiteral("REDIS_TLS_ENABLED=false")), qPrintable(findings.notes.at(0)));
}

void TestRoleConfig::portVariablesNameSharedPort()
{
    config::Settings settings;
    settings.ingestPort = settings.webuiPort;

    QCOMPARE(portVariables(settings, {Role::Ingestor, Role::Api}, settings.webuiPort),
        QStringLiteral("SERVER_PORT_INGESTOR, SERVER_PORT_WEBUI"));
    QCOMPARE(
        portVariables(settings, {Role::Alerter}, settings.alerterMetricsPort), QStringLiteral("METRICS_PORT_ALERTER"));
}

QTEST_GUILESS_MAIN(TestRoleConfig)
#include "tst_roleconfig.moc"
