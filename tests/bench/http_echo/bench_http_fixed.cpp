// Serves POST and GET /ingest with a fixed 200 JSON response on 127.0.0.1.
//   bench_http_fixed --port 8080 --threads 2
// Runs until SIGINT or SIGTERM.

#include "core/Log.h"
#include "http/HttpServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

// A signal handler can reach only global state. The pipe wakes the event loop,
// which then quits, so the server closes its connections before exit.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fixed-answer HTTP server for benchmarks"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port to listen on (0 picks one)."),
        QStringLiteral("port"), QStringLiteral("8080")});
    parser.addOption(
        {QStringLiteral("threads"), QStringLiteral("I/O threads."), QStringLiteral("count"), QStringLiteral("2")});
    parser.process(app);

    mutt::http::HttpServerOptions options;
    options.name = QStringLiteral("bench");
    options.ioThreads = parser.value(QStringLiteral("threads")).toInt();
    mutt::http::HttpServer server(options);

    // Built once and shared, so the response costs no allocation per request.
    const mutt::http::HttpResponse fixedResponse
        = mutt::http::HttpResponse::text(200, QByteArrayLiteral(R"({"status":"queued","queue_depth":0,"accepted":1})"),
            QByteArrayLiteral("application/json"));
    const auto handler = [fixedResponse](const mutt::http::HttpRequest &, mutt::http::HttpResponder responder) {
        responder.send(fixedResponse);
    };
    server.route("POST", "/ingest", handler);
    server.route("GET", "/ingest", handler);

    const auto port = server.listen(QHostAddress::LocalHost, quint16(parser.value(QStringLiteral("port")).toUInt()));
    if (!port) {
        std::fprintf(stderr, "%s\n", qPrintable(port.error().toString()));
        return 1;
    }
    std::printf("listening on 127.0.0.1:%u\n", unsigned(port.value()));
    std::fflush(stdout);

    if (::pipe(g_signalPipe) != 0)
        return 1;
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    return app.exec();
}
