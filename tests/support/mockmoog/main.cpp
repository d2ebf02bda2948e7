// mutt-mock-moog: the mock Moogsoft webhook as a process, for the demo,
// the integration tests and the benchmarks.

#include "MockMoogServer.h"
#include "ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

#include <cstdio>

int main(int argc, char **argv)
{
    const sigset_t stopSignals = mutt::testserver::blockStopSignals();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mutt-mock-moog"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mock Moogsoft event webhook that records posts and answers "
                                                    "as told through its /_control/ API."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
        QStringLiteral("TCP port to listen on (0: any free port)."), QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption hostOption(QStringLiteral("host"), QStringLiteral("Address to bind."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption tokenOption(QStringLiteral("token"),
        QStringLiteral("Expected bearer token; posts without it get 401."), QStringLiteral("token"));
    const QCommandLineOption threadsOption(QStringLiteral("io-threads"), QStringLiteral("HTTP I/O threads."),
        QStringLiteral("count"), QStringLiteral("2"));
    const QCommandLineOption certOption(QStringLiteral("tls-cert"),
        QStringLiteral("PEM certificate; with --tls-key serves HTTPS."), QStringLiteral("file"));
    const QCommandLineOption keyOption(
        QStringLiteral("tls-key"), QStringLiteral("PEM private key for --tls-cert."), QStringLiteral("file"));
    parser.addOptions({portOption, hostOption, tokenOption, threadsOption, certOption, keyOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const QHostAddress host(parser.value(hostOption));
    if (!portOk || port > 65535 || host.isNull()) {
        std::fprintf(stderr, "mutt-mock-moog: invalid --port or --host: give a port 0..65535 and an IP address\n");
        return 2;
    }

    mutt::mockmoog::MockMoogOptions options;
    options.token = parser.value(tokenOption).toUtf8();
    options.ioThreads = qMax(1, parser.value(threadsOption).toInt());
    options.tlsCertFile = parser.value(certOption);
    options.tlsKeyFile = parser.value(keyOption);
    mutt::mockmoog::MockMoogServer server(options);
    const mutt::Result<quint16> bound = server.listen(host, quint16(port));
    if (!bound) {
        std::fprintf(stderr, "mutt-mock-moog: cannot listen on %s:%u: %s\n", qPrintable(host.toString()), port,
            qPrintable(bound.error().message));
        return 1;
    }
    return mutt::testserver::serveUntilStopped(
        stopSignals, host.toString(), bound.value(), [&server]() { server.close(); });
}
