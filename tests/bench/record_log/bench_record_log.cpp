// CPU cost per record of RecordLog appends with a group commit every 64
// records, with and without fdatasync, next to the embedded SQLite queue store
// taking the same records as pushHead batches of 64 (Durability::Move and
// Durability::Accept, MUTT_EMBEDDED_SYNC=full). CPU time is getrusage user +
// system of the whole process, so the store's worker thread counts too.
//
// Usage: bench_record_log [records=100000] [body_bytes=700]
#include "CpuRun.h"
#include "queue/EmbeddedStore.h"
#include "queue/log/RecordLog.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

using namespace mutt::queue;

namespace {

constexpr int kBatch = 64;
constexpr quint8 kPushRecord = 1;

using mutt::bench::CpuRun;
using mutt::bench::die;
using mutt::bench::measure;

CpuRun runRecordLog(const QList<QByteArray> &bodies, bool flush)
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

CpuRun runEmbeddedStore(const QList<QByteArray> &bodies, mutt::queue::Durability durability)
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

void print(const char *name, const CpuRun &run)
{
    std::printf("%-32s cpu_us_per_record=%7.3f (system %6.3f) records_per_s=%9.0f wall_s=%.3f\n", name,
        run.cpuMicrosPerItem(), run.systemMicrosPerItem(), run.itemsPerSecond(), run.wallSeconds);
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
    const CpuRun logNoFlush = runRecordLog(bodies, false);
    print("record_log flush=false", logNoFlush);
    const CpuRun logFlush = runRecordLog(bodies, true);
    print("record_log flush=true", logFlush);
    const CpuRun storeMove = runEmbeddedStore(bodies, Durability::Move);
    print("embedded_store durability=Move", storeMove);
    const CpuRun storeAccept = runEmbeddedStore(bodies, Durability::Accept);
    print("embedded_store durability=Accept", storeAccept);
    std::printf("cpu ratio embedded Move / record_log flush=false: %.1f\n",
        storeMove.cpuMicrosPerItem() / logNoFlush.cpuMicrosPerItem());
    std::printf("cpu ratio embedded Accept / record_log flush=true: %.1f\n",
        storeAccept.cpuMicrosPerItem() / logFlush.cpuMicrosPerItem());
    return 0;
}
