// Ingest throughput of the embedded queue store: N producer threads each
// apply M batches of 100 items with applyAsync (as the ingest path does),
// into a temporary store, once with sync=full and once with sync=normal.
//
// Usage: bench_queue_push [threads=4] [batches=500] [payload_bytes=400]
#include "queue/EmbeddedStore.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <semaphore>
#include <thread>
#include <vector>

using namespace mutt::queue;

namespace {

constexpr int kItemsPerBatch = 100;
constexpr int kInFlightPerThread = 16;

struct Run {
    double seconds = 0;
    qint64 events = 0;
    int failures = 0;
};

QList<Op> makeBatch(int thread, int batch, const QByteArray &padding)
{
    QList<QByteArray> items;
    items.reserve(kItemsPerBatch);
    for (int i = 0; i < kItemsPerBatch; ++i)
        items.append(
            QByteArray::number(thread) + ':' + QByteArray::number(batch) + ':' + QByteArray::number(i) + ':' + padding);
    return {Op::pushHead(QStringLiteral("mutt:ingest_queue"), std::move(items)),
        Op::increment(QStringLiteral("mutt:stats:accepted"), kItemsPerBatch)};
}

void produce(EmbeddedStore &store, int thread, int batches, const QByteArray &padding, std::atomic<int> &failures)
{
    // Shared, so a callback still inside release() never touches a destroyed semaphore.
    auto inFlight = std::make_shared<std::counting_semaphore<kInFlightPerThread>>(kInFlightPerThread);
    for (int b = 0; b < batches; ++b) {
        QList<Op> batch = makeBatch(thread, b, padding);
        inFlight->acquire();
        store.applyAsync(std::move(batch), [inFlight, &failures](mutt::Status status) {
            if (!status)
                failures.fetch_add(1);
            inFlight->release();
        });
    }
    for (int i = 0; i < kInFlightPerThread; ++i)
        inFlight->acquire();
}

Run runOnce(EmbeddedSync sync, int threads, int batches, int payloadBytes)
{
    QTemporaryDir dir;
    EmbeddedStoreOptions options;
    options.sync = sync;
    auto opened = EmbeddedStore::open(dir.filePath(QStringLiteral("bench.db")), options);
    if (!opened) {
        std::fprintf(stderr, "cannot open store: %s\n", qPrintable(opened.error().toString()));
        std::exit(1);
    }
    EmbeddedStore &store = *opened.value();
    const QByteArray padding(payloadBytes, 'x');
    std::atomic<int> failures {0};

    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t)
        producers.emplace_back([&, t] { produce(store, t, batches, padding, failures); });
    for (auto &producer : producers)
        producer.join();
    const auto end = std::chrono::steady_clock::now();

    Run run;
    run.seconds = std::chrono::duration<double>(end - start).count();
    run.events = store.length(QStringLiteral("mutt:ingest_queue")).valueOr(0);
    run.failures = failures.load();
    return run;
}

int argument(const QStringList &args, int index, int fallback)
{
    bool ok = false;
    const int value = index < args.size() ? args[index].toInt(&ok) : fallback;
    return ok && value > 0 ? value : fallback;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int threads = argument(args, 1, 4);
    const int batches = argument(args, 2, 500);
    const int payloadBytes = argument(args, 3, 400);

    std::printf("bench_queue_push threads=%d batches=%d items_per_batch=%d payload_bytes=%d\n", threads, batches,
        kItemsPerBatch, payloadBytes);
    for (EmbeddedSync sync : {EmbeddedSync::Full, EmbeddedSync::Normal}) {
        const Run run = runOnce(sync, threads, batches, payloadBytes);
        std::printf("sync=%-6s events=%lld seconds=%.3f events_per_s=%.0f failures=%d\n",
            qPrintable(EmbeddedStoreOptions::syncName(sync)), static_cast<long long>(run.events), run.seconds,
            double(run.events) / run.seconds, run.failures);
    }
    return 0;
}
