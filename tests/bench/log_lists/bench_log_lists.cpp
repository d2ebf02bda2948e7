// CPU cost per item of the forwarder's list pattern on LogLists and on the
// embedded SQLite queue store (default MUTT_EMBEDDED_SYNC=full). Each round
// pushes 64 items to "q" (LogLists: one batch with flush; store: apply with
// Durability::Accept), claims 64 from "q" into "p" (one batch without flush;
// store: claim()) and removes each of them from "p" oldest first (one batch
// without flush; store: apply with Durability::Move). CPU time is getrusage
// user + system of the whole process, so the store's worker thread counts too.
// Both runs include building the items, which the items_only line measures.
//
// Usage: bench_log_lists [rounds=2000] [item_bytes=700]
#include "CpuRun.h"
#include "queue/EmbeddedStore.h"
#include "queue/log/LogLists.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

using namespace mutt::queue;

namespace {

constexpr int kBatch = 64;

using mutt::bench::CpuRun;
using mutt::bench::die;
using mutt::bench::measure;

void check(const char *what, const mutt::Status &status)
{
    if (!status)
        die(what, status.error());
}

// The items of a claim, which must be a full batch because the round
// pushed one just before.
QList<QByteArray> claimedItems(const mutt::Result<QList<QByteArray>> &claimed)
{
    if (!claimed)
        die("claim failed", claimed.error());
    if (claimed.value().size() != kBatch) {
        std::fprintf(stderr, "claim returned %lld items, expected %d\n", qlonglong(claimed.value().size()), kBatch);
        std::exit(1);
    }
    return claimed.value();
}

// The items of round `round`, distinct across rounds as the forwarder's are.
QList<QByteArray> roundItems(int round, int itemBytes)
{
    QList<QByteArray> items;
    for (int i = 0; i < kBatch; ++i) {
        QByteArray item = QByteArray::number(round) + '-' + QByteArray::number(i) + ':';
        item.append(QByteArray(qMax(0, itemBytes - int(item.size())), 'x'));
        items.append(item);
    }
    return items;
}

// Builds the rounds' items only: the part of both runs' CPU that is not the
// lists' work.
CpuRun runItemsOnly(int rounds, int itemBytes)
{
    qint64 bytes = 0;
    const CpuRun run = measure(qint64(rounds) * kBatch, [&] {
        for (int round = 0; round < rounds; ++round) {
            for (const QByteArray &item : roundItems(round, itemBytes))
                bytes += item.size();
        }
    });
    if (bytes != qint64(rounds) * kBatch * itemBytes)
        std::fprintf(stderr, "items only: built %lld bytes\n", qlonglong(bytes));
    return run;
}

CpuRun runLogLists(int rounds, int itemBytes)
{
    QTemporaryDir dir;
    auto opened = LogLists::open(dir.path());
    if (!opened)
        die("cannot open log lists", opened.error());
    LogLists &lists = *opened.value();
    const QString q = QStringLiteral("q");
    const QString p = QStringLiteral("p");
    return measure(qint64(rounds) * kBatch, [&] {
        for (int round = 0; round < rounds; ++round) {
            check("begin failed", lists.beginBatch());
            check("push failed", lists.pushHead(q, roundItems(round, itemBytes)));
            check("commit failed", lists.commitBatch(true));

            check("begin failed", lists.beginBatch());
            const QList<QByteArray> claimed = claimedItems(lists.moveTailToHead(q, p, kBatch));
            check("commit failed", lists.commitBatch(false));

            check("begin failed", lists.beginBatch());
            check("remove failed", lists.removeEach(p, claimed, true));
            check("commit failed", lists.commitBatch(false));
        }
    });
}

CpuRun runEmbeddedStore(int rounds, int itemBytes)
{
    QTemporaryDir dir;
    auto opened = EmbeddedStore::open(dir.filePath(QStringLiteral("bench.db")));
    if (!opened)
        die("cannot open store", opened.error());
    EmbeddedStore &store = *opened.value();
    const QString q = QStringLiteral("q");
    const QString p = QStringLiteral("p");
    return measure(qint64(rounds) * kBatch, [&] {
        for (int round = 0; round < rounds; ++round) {
            check("push failed", store.apply({Op::pushHead(q, roundItems(round, itemBytes))}, Durability::Accept));

            const QList<QByteArray> claimed = claimedItems(store.claim(q, p, kBatch, std::chrono::milliseconds(0)));

            QList<Op> removals;
            for (const QByteArray &item : claimed)
                removals.append(Op::removeOldest(p, item));
            check("remove failed", store.apply(removals, Durability::Move));
        }
    });
}

void print(const char *name, const CpuRun &run)
{
    std::printf("%-16s cpu_us_per_item=%7.3f (system %6.3f) items_per_s=%9.0f wall_s=%.3f\n", name,
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
    const int rounds = argument(args, 1, 2000);
    const int itemBytes = argument(args, 2, 700);

    std::printf("bench_log_lists rounds=%d item_bytes=%d batch=%d\n", rounds, itemBytes, kBatch);
    print("items_only", runItemsOnly(rounds, itemBytes));
    const CpuRun lists = runLogLists(rounds, itemBytes);
    print("log_lists", lists);
    const CpuRun store = runEmbeddedStore(rounds, itemBytes);
    print("embedded_store", store);
    std::printf("cpu ratio embedded_store / log_lists: %.1f\n", store.cpuMicrosPerItem() / lists.cpuMicrosPerItem());
    return 0;
}
