// bench_forwarder: forwarder throughput to a mock Moogsoft receiver on
// 127.0.0.1. It pushes N alerts into a temporary embedded store, starts one
// forwarder and reports alerts/s from the first claim to the last delivery.
// The limit to compare with is the receiver's own capacity, measured with
// wrk against the same mutt-mock-moog process (pass its URL with --url).

#include "MockMoogServer.h"
#include "config/Settings.h"
#include "core/Log.h"
#include "forwarder/Forwarder.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <ctime>
#include <memory>

using namespace mutt;

namespace {

// CPU time of the whole process (every thread), in seconds.
double processCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

QByteArray alertJson(int index)
{
    QJsonObject raw;
    raw.insert(QStringLiteral("hostname"), QStringLiteral("bench-host-%1").arg(index % 500));
    raw.insert(QStringLiteral("message"),
        QStringLiteral("%LINK-3-UPDOWN: Interface Gi0/%1, changed state to down").arg(index % 48));
    QJsonObject alert;
    alert.insert(QStringLiteral("hostname"), QStringLiteral("bench-host-%1").arg(index % 500));
    alert.insert(QStringLiteral("team_assignment"), QStringLiteral("NETO"));
    alert.insert(QStringLiteral("severity"), QStringLiteral("Major"));
    alert.insert(QStringLiteral("message_body"), raw.value(QStringLiteral("message")));
    alert.insert(QStringLiteral("raw_json"), raw);
    alert.insert(QStringLiteral("_correlation_id"), QStringLiteral("bench-%1").arg(index));
    alert.insert(QStringLiteral("rule_id"), 1);
    alert.insert(QStringLiteral("handling"), QStringLiteral("forward"));
    alert.insert(QStringLiteral("signature"), QStringLiteral("bench-sig-%1").arg(index));
    return QJsonDocument(alert).toJson(QJsonDocument::Compact);
}

bool pushAlerts(queue::QueueStore &store, const QString &queueName, int count)
{
    constexpr int chunk = 1000;
    for (int first = 0; first < count; first += chunk) {
        QList<QByteArray> items;
        for (int i = first; i < std::min(count, first + chunk); ++i)
            items.append(alertJson(i));
        if (!store.apply({queue::Op::pushHead(queueName, items)}))
            return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Forwarder throughput to a mock Moogsoft receiver."));
    parser.addHelpOption();
    const QCommandLineOption alertsOption(QStringLiteral("alerts"), QStringLiteral("Alerts to forward."),
        QStringLiteral("count"), QStringLiteral("20000"));
    const QCommandLineOption inFlightOption(QStringLiteral("in-flight"), QStringLiteral("MOOG_MAX_IN_FLIGHT."),
        QStringLiteral("count"), QStringLiteral("16"));
    const QCommandLineOption urlOption(QStringLiteral("url"),
        QStringLiteral("Webhook URL of a running mutt-mock-moog; default: an "
                       "in-process mock on a free port."),
        QStringLiteral("url"));
    const QCommandLineOption tokenOption(QStringLiteral("token"),
        QStringLiteral("MOOG_API_KEY sent as the bearer token (the mock's --token)."), QStringLiteral("key"),
        QStringLiteral("bench-key"));
    const QCommandLineOption syncOption(QStringLiteral("sync"), QStringLiteral("Embedded store sync: full or normal."),
        QStringLiteral("mode"), QStringLiteral("full"));
    parser.addOptions({alertsOption, inFlightOption, urlOption, tokenOption, syncOption});
    parser.process(app);

    log::Options logOptions;
    logOptions.level = "warn";
    log::init(logOptions);

    const int alerts = std::max(1, parser.value(alertsOption).toInt());
    QTemporaryDir dir;
    queue::EmbeddedStoreOptions storeOptions;
    storeOptions.sync
        = queue::EmbeddedStoreOptions::syncFromName(parser.value(syncOption)).value_or(queue::EmbeddedSync::Full);
    auto opened = queue::EmbeddedStore::open(dir.filePath(QStringLiteral("bench.db")), storeOptions);
    if (!opened) {
        std::fprintf(stderr, "bench_forwarder: store did not open: %s\n", qPrintable(opened.error().toString()));
        return 1;
    }
    std::unique_ptr<queue::EmbeddedStore> store = std::move(opened).value();

    std::unique_ptr<mockmoog::MockMoogServer> mock;
    QString url = parser.value(urlOption);
    if (url.isEmpty()) {
        mock = std::make_unique<mockmoog::MockMoogServer>();
        if (!mock->listen(QHostAddress::LocalHost, 0)) {
            std::fprintf(stderr, "bench_forwarder: in-process mock did not listen\n");
            return 1;
        }
        url = mock->url();
    }

    config::Settings settings;
    settings.moogWebhookUrl = url;
    settings.moogApiKey = parser.value(tokenOption);
    settings.moogRateLimit = 1'000'000'000;  // measure the forwarder, not the limiter
    settings.moogMaxInFlight = std::max(1, parser.value(inFlightOption).toInt());
    settings.circuitBreakerThreshold = 1'000'000;
    if (!pushAlerts(*store, settings.alertQueue, alerts)) {
        std::fprintf(stderr, "bench_forwarder: pushing alerts failed\n");
        return 1;
    }

    metrics::MetricsRegistry registry;
    forwarder::Forwarder forwarder(settings, *store, *store, registry, QStringLiteral("bench"));
    QElapsedTimer elapsed;
    elapsed.start();
    const double cpuAtStart = processCpuSeconds();
    if (const Status started = forwarder.start(); !started) {
        std::fprintf(stderr, "bench_forwarder: %s\n", qPrintable(started.error().toString()));
        return 1;
    }
    while (store->counter(queue::keys::statForwarded).valueOr(0) < alerts && elapsed.elapsed() < 600'000)
        QThread::msleep(5);
    const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
    const double cpuSeconds = processCpuSeconds() - cpuAtStart;
    const qint64 delivered = store->counter(queue::keys::statForwarded).valueOr(0);
    forwarder.stop();

    std::printf("bench_forwarder alerts=%lld seconds=%.3f alerts_per_second=%.0f in_flight=%d sync=%s mock=%s "
                "dlq=%lld cpu_us_per_alert=%.1f\n",
        static_cast<long long>(delivered), seconds, double(delivered) / seconds, settings.moogMaxInFlight,
        qPrintable(queue::EmbeddedStoreOptions::syncName(storeOptions.sync)), mock ? "in-process" : qPrintable(url),
        static_cast<long long>(store->length(settings.moogDlq).valueOr(0)),
        delivered > 0 ? cpuSeconds * 1e6 / double(delivered) : 0.0);
    return delivered == alerts ? 0 : 1;
}
