// mutt-mock-vault: the mock Vault as a process, for manual runs and demos.

#include "MockVaultServer.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>

#include <cstdio>

namespace {

// {"secret/data/mutt": {"INGEST_API_KEY": "..."}, ...}
bool seed(mutt::mockvault::MockVaultServer &server, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject secrets = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = secrets.constBegin(); it != secrets.constEnd(); ++it)
        server.putSecret(it.key(), it.value().toObject());
    return true;
}

}  // namespace

int main(int argc, char **argv)
{
    const sigset_t stopSignals = mutt::testserver::blockStopSignals();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mutt-mock-vault"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mock HashiCorp Vault: AppRole login, KV v2 read, token "
                                                    "lookup/renewal, steered through /_control/."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port (0: any free port)."),
        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption roleOption(QStringLiteral("role-id"), QStringLiteral("AppRole role_id to accept."),
        QStringLiteral("id"), QStringLiteral("mutt-role"));
    const QCommandLineOption secretOption(QStringLiteral("secret-id"), QStringLiteral("AppRole secret_id to accept."),
        QStringLiteral("id"), QStringLiteral("mutt-secret-id"));
    const QCommandLineOption ttlOption(QStringLiteral("token-ttl"), QStringLiteral("Token TTL in seconds."),
        QStringLiteral("seconds"), QStringLiteral("3600"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
        QStringLiteral("JSON file {\"<mount>/data/<path>\": {KEY: value}} loaded at start."), QStringLiteral("file"));
    parser.addOptions({portOption, roleOption, secretOption, ttlOption, seedOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "mutt-mock-vault: invalid --port; give 0..65535\n");
        return 2;
    }

    mutt::mockvault::MockVaultOptions options;
    options.roleId = parser.value(roleOption);
    options.secretId = parser.value(secretOption);
    options.tokenTtlSeconds = qMax(1, parser.value(ttlOption).toInt());
    mutt::mockvault::MockVaultServer server(options);
    if (parser.isSet(seedOption) && !seed(server, parser.value(seedOption))) {
        std::fprintf(stderr, "mutt-mock-vault: cannot read --seed %s\n", qPrintable(parser.value(seedOption)));
        return 2;
    }
    // Loopback only: the mock accepts any client and serves test secrets.
    const mutt::Result<quint16> bound = server.listen(QHostAddress::LocalHost, quint16(port));
    if (!bound) {
        std::fprintf(
            stderr, "mutt-mock-vault: cannot listen on 127.0.0.1:%u: %s\n", port, qPrintable(bound.error().message));
        return 1;
    }
    return mutt::testserver::serveUntilStopped(
        stopSignals, QStringLiteral("127.0.0.1"), bound.value(), [&server]() { server.close(); });
}
