// Fills the embedded queue store of a data directory with dead-letter items,
// for the console benchmark with a large DLQ (tests/bench/console-dlq.sh).
// The items are built with the engine's own code, so they are the bytes the
// pipeline writes:
// - mutt:dlq:moog gets alerts from alerter::items::alert() marked by
//   forwarder::markDeadLetter() (source "forwarder", retries exhausted after a
//   503, or a 400 rejection).
// - mutt:dlq:alerter gets ingested events marked by alerter::items::deadLetter()
//   (shed by backpressure, or _retry_count beyond ALERTER_MAX_RETRIES).
// The events are syslog messages and SNMP traps passed through the ingest
// Normalizer, received over the last 24 hours, oldest at the consumers' end.
// mutt:stats:accepted goes up by the item count, so the console's conservation
// check still balances.
//
// Usage: bench_fill_dlq DATA_DIR COUNT [MOOG_PERCENT=60]
// DATA_DIR must not be in use by a running engine (the store takes a lock).
#include "alerter/AlertItems.h"
#include "config/DataDirectory.h"
#include "event/Event.h"
#include "event/Normalizer.h"
#include "forwarder/DeadLetter.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"
#include "sql/SqlTypes.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QTimeZone>
#include <QUuid>

#include <chrono>
#include <cstdio>

using namespace mutt;

namespace {

// Items per store apply: big enough that the commits do not dominate, small
// enough that one batch stays a few megabytes.
constexpr int kBatchItems = 5000;
constexpr qint64 kSpanMs = 24LL * 3600 * 1000;

struct Sample {
    const char *json;  // client event without hostname and timestamp
    bool trap;
};

// NOLINTBEGIN(cert-err58-cpp)
const Sample kSamples[] = {
    {R"({"message":"%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down","syslog_severity":3,)"
     R"("source_type":"cisco-ios"})",
        false},
    {R"({"message":"%PIX-1-106021: Deny protocol 47 src outside:203.0.113.45 dst inside:192.168.10.5",)"
     R"("syslog_severity":"Critical","source_type":"cisco-asa"})",
        false},
    {R"({"message":"CRITICAL: power supply 2 failed on chassis 1","syslog_severity":2,"source_type":"junos"})", false},
    {R"({"trap_oid":"1.3.6.1.6.3.1.1.5.3","variables":["@{oid=1.3.6.1.2.1.2.2.1.1; value=2}",)"
     R"("@{oid=1.3.6.1.2.1.2.2.1.8; value=2}"],"severity":"Major","source_ip":"192.0.2.17"})",
        true},
};
// NOLINTEND(cert-err58-cpp)

QString hostFor(qint64 index)
{
    return QStringLiteral("edge-router-%1.dc%2.example.com").arg(index % 997, 3, 10, QLatin1Char('0')).arg(index % 4);
}

// One ingested event, as the ingestor puts it on mutt:ingest_queue.
Result<event::Event> ingestedEvent(qint64 index, const QDateTime &receivedAt)
{
    const Sample &sample = kSamples[index % std::size(kSamples)];
    rapidjson::Document document;
    if (Status parsed = event::json::parse(sample.json, document, document.GetAllocator()); !parsed)
        return parsed.error();
    const QByteArray host = hostFor(index).toUtf8();
    const QByteArray time = event::formatTimestamp(receivedAt.addSecs(-2)).toUtf8();
    auto &allocator = document.GetAllocator();
    document.AddMember(rapidjson::StringRef(sample.trap ? "agent_address" : "hostname"),
        rapidjson::Value(host.constData(), allocator), allocator);
    document.AddMember("timestamp", rapidjson::Value(time.constData(), allocator), allocator);

    const event::IngestStamp stamp {
        QUuid::createUuid().toString(QUuid::WithoutBraces), event::formatTimestamp(receivedAt)};
    static const event::Normalizer normalizer;
    if (Status normalized = normalizer.normalize(document, allocator, stamp); !normalized)
        return normalized.error();
    return event::Event::fromValue(document);
}

QByteArray moogDeadLetter(event::Event &event, qint64 index, const QDateTime &deadAt)
{
    sql::AlertRule rule;
    rule.id = 1 + index % 5;
    rule.teamAssignment = QStringLiteral("NETO");
    const QByteArray alert = alerter::items::alert(event, rule, QStringLiteral("Page_and_ticket"));
    Result<event::Event> parsed = event::Event::parse(alert);
    if (!parsed)
        return forwarder::wrapRawDeadLetter(alert, {parsed.error().message, 0, QStringLiteral("forwarder"), 0});

    const bool rejected = index % 10 == 0;
    forwarder::DeadLetterInfo info;
    info.source = QStringLiteral("forwarder");
    info.atMs = deadAt.toMSecsSinceEpoch();
    info.lastStatus = rejected ? 400 : 503;
    info.reason = rejected ? QStringLiteral(R"(Moogsoft answered 400: {"error":"missing field severity"})")
                           : QStringLiteral("retries exhausted after 6 attempts: last answer 503");
    if (!rejected)  // the forwarder sets the count when it schedules a retry
        parsed.value().setInteger(event::fields::moogRetryCount, 5);
    forwarder::markDeadLetter(parsed.value(), info);
    return parsed.value().toJson();
}

QByteArray alerterDeadLetter(event::Event &event, qint64 index, const QDateTime &deadAt)
{
    if (index % 3 == 0) {
        event.setInteger(event::fields::retryCount, 4);
        return alerter::items::deadLetter(
            event, QStringLiteral("_retry_count 4 exceeds ALERTER_MAX_RETRIES 3"), deadAt);
    }
    return alerter::items::deadLetter(event, QStringLiteral("shed: alert queue depth 2417 > threshold 2000"), deadAt);
}

qint64 argumentOr(const QStringList &args, int index, qint64 fallback)
{
    if (index >= args.size())
        return fallback;
    bool ok = false;
    const qint64 value = args[index].toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const qint64 count = argumentOr(args, 2, -1);
    const qint64 moogPercent = argumentOr(args, 3, 60);
    if (args.size() < 3 || count < 1 || moogPercent < 0 || moogPercent > 100) {
        std::fprintf(stderr,
            "usage: bench_fill_dlq DATA_DIR COUNT [MOOG_PERCENT=60]\n"
            "  COUNT is a whole number of items >= 1; MOOG_PERCENT (0-100) of them go to %s, the rest to %s\n",
            qPrintable(queue::keys::moogDlq), qPrintable(queue::keys::alerterDlq));
        return 2;
    }

    config::Settings settings;
    settings.dataDir = QDir(args[1]).absolutePath();
    Result<config::DataDirectory> directory = config::DataDirectory::prepare(settings);
    if (!directory) {
        std::fprintf(stderr, "bench_fill_dlq: %s\n", qPrintable(directory.error().message));
        return 1;
    }
    queue::EmbeddedStoreOptions options;
    options.sync = queue::EmbeddedSync::Normal;  // a benchmark fill, so losing it on power loss does not matter
    auto opened = queue::EmbeddedStore::open(directory.value().queueStorePath(), options);
    if (!opened) {
        std::fprintf(stderr, "bench_fill_dlq: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    queue::EmbeddedStore &store = *opened.value();

    const auto started = std::chrono::steady_clock::now();
    const qint64 newestMs = QDateTime::currentMSecsSinceEpoch();
    qint64 bytes = 0;
    qint64 moogItems = 0;
    for (qint64 first = 0; first < count; first += kBatchItems) {
        const qint64 last = std::min(count, first + kBatchItems);
        QList<QByteArray> moog;
        QList<QByteArray> alerter;
        for (qint64 index = first; index < last; ++index) {
            // Oldest first: pushHead keeps the first item deepest, at the consumers' end.
            const QDateTime receivedAt
                = QDateTime::fromMSecsSinceEpoch(newestMs - kSpanMs + kSpanMs * index / count, QTimeZone::utc());
            Result<event::Event> event = ingestedEvent(index, receivedAt);
            if (!event) {
                std::fprintf(stderr, "bench_fill_dlq: sample event %lld is invalid: %s\n",
                    static_cast<long long>(index), qPrintable(event.error().message));
                return 1;
            }
            const QDateTime deadAt = receivedAt.addSecs(40);
            const bool toMoog = index % 100 < moogPercent;
            QByteArray item = toMoog ? moogDeadLetter(event.value(), index, deadAt)
                                     : alerterDeadLetter(event.value(), index, deadAt);
            bytes += item.size();
            (toMoog ? moog : alerter).append(std::move(item));
        }
        moogItems += moog.size();

        QList<queue::Op> ops;
        if (!moog.isEmpty())
            ops.append(queue::Op::pushHead(queue::keys::moogDlq, std::move(moog)));
        if (!alerter.isEmpty())
            ops.append(queue::Op::pushHead(queue::keys::alerterDlq, std::move(alerter)));
        ops.append(queue::Op::increment(queue::keys::statAccepted, last - first));
        if (Status applied = store.apply(ops); !applied) {
            std::fprintf(stderr, "bench_fill_dlq: writing items %lld-%lld failed: %s\n", static_cast<long long>(first),
                static_cast<long long>(last - 1), qPrintable(applied.error().message));
            return 1;
        }
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("bench_fill_dlq items=%lld moog=%lld alerter=%lld mean_bytes=%lld seconds=%.1f store=%s\n",
        static_cast<long long>(count), static_cast<long long>(moogItems), static_cast<long long>(count - moogItems),
        static_cast<long long>(bytes / count), seconds, qPrintable(directory.value().queueStorePath()));
    return 0;
}
