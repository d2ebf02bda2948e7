// CPU cost per record of RecordLog appends with a group commit every 64
// records, with and without fdatasync, next to the embedded SQLite queue store
// taking the same records as pushHead batches of 64 (Durability::Move and
// Durability::Accept, MUTT_EMBEDDED_SYNC=full). CPU time is getrusage user +
// system of the whole process, so the store's worker thread counts too.
//
// Usage: bench_record_log [records=100000] [body_bytes=700]
#include "queue/EmbeddedStore.h"
#include "queue/log/RecordLog.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include <sys/resource.h>

using namespace mutt::queue;

namespace {

constexpr int kBatch = 64;
constexpr quint8 kPushRecord = 1;

struct Run {
    double cpuSeconds = 0;
    double systemSeconds = 0;  // the kernel's part of cpuSeconds
    double wallSeconds = 0;
    qint64 records = 0;

    [[nodiscard]] double cpuMicrosPerRecord() const { return cpuSeconds * 1e6 / double(records); }
    [[nodiscard]] double recordsPerSecond() const { return double(records) / wallSeconds; }
};

// User and system CPU seconds of the whole process.
std::pair<double, double> processCpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

// Measures `work`, which handles `records` records, in CPU and wall time.
template <typename Work> Run measure(qint64 records, Work work)
{
    const auto [userStart, systemStart] = processCpuSeconds();
    const auto wallStart = std::chrono::steady_clock::now();
    work();
    Run run;
    run.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    const auto [userEnd, systemEnd] = processCpuSeconds();
    run.systemSeconds = systemEnd - systemStart;
    run.cpuSeconds = userEnd - userStart + run.systemSeconds;
    run.records = records;
    return run;
}

[[noreturn]] void die(const char *what, const mutt::Error &error)
{
    std::fprintf(stderr, "%s: %s\n", what, qPrintable(error.toString()));
    std::exit(1);
}

Run runRecordLog(const QList<QByteArray> &bodies, bool flush)
{
    QTemporaryDir dir;
    auto opened
        = RecordLog::open(dir.path(), [](quint8, QByteArrayView, const RecordRef &) { return mutt::Status {}; });
    if (!opened)
        die("cannot open record log", opened.error());
    RecordLog &log = *opened.value();
    return measure(bodies.size(), [&] {
        for (qsizetype i = 0; i < bodies.size(); ++i) {
            if (auto appended = log.append(kPushRecord, bodies[i]); !appended)
                die("append failed", appended.error());
            if (i % kBatch == kBatch - 1 || i + 1 == bodies.size()) {
                if (mutt::Status committed = log.commit(flush); !committed)
                    die("commit failed", committed.error());
            }
        }
    });
}

Run runEmbeddedStore(const QList<QByteArray> &bodies, mutt::queue::Durability durability)
{
    QTemporaryDir dir;
    auto opened = EmbeddedStore::open(dir.filePath(QStringLiteral("bench.db")));
    if (!opened)
        die("cannot open store", opened.error());
    EmbeddedStore &store = *opened.value();
    QList<QList<Op>> batches;
    for (qsizetype i = 0; i < bodies.size(); i += kBatch)
        batches.append({Op::pushHead(QStringLiteral("mutt:ingest_queue"), bodies.mid(i, kBatch))});
    return measure(bodies.size(), [&] {
        for (const QList<Op> &batch : batches) {
            if (mutt::Status applied = store.apply(batch, durability); !applied)
                die("apply failed", applied.error());
        }
    });
}

void print(const char *name, const Run &run)
{
    std::printf("%-32s cpu_us_per_record=%7.3f (system %6.3f) records_per_s=%9.0f wall_s=%.3f\n", name,
        run.cpuMicrosPerRecord(), run.systemSeconds * 1e6 / double(run.records), run.recordsPerSecond(),
        run.wallSeconds);
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
    const int records = argument(args, 1, 100'000);
    const int bodyBytes = argument(args, 2, 700);

    QList<QByteArray> bodies;
    bodies.reserve(records);
    for (int i = 0; i < records; ++i) {
        QByteArray body = QByteArray::number(i) + ':';
        body.append(QByteArray(qMax(0, bodyBytes - int(body.size())), 'x'));
        bodies.append(body);
    }

    std::printf("bench_record_log records=%d body_bytes=%d batch=%d\n", records, bodyBytes, kBatch);
    const Run logNoFlush = runRecordLog(bodies, false);
    print("record_log flush=false", logNoFlush);
    const Run logFlush = runRecordLog(bodies, true);
    print("record_log flush=true", logFlush);
    const Run storeMove = runEmbeddedStore(bodies, Durability::Move);
    print("embedded_store durability=Move", storeMove);
    const Run storeAccept = runEmbeddedStore(bodies, Durability::Accept);
    print("embedded_store durability=Accept", storeAccept);
    std::printf("cpu ratio embedded Move / record_log flush=false: %.1f\n",
        storeMove.cpuMicrosPerRecord() / logNoFlush.cpuMicrosPerRecord());
    std::printf("cpu ratio embedded Accept / record_log flush=true: %.1f\n",
        storeAccept.cpuMicrosPerRecord() / logFlush.cpuMicrosPerRecord());
    return 0;
}
