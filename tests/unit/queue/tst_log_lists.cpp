// LogLists on real files. The same random operations give the same lists as
// the embedded SQLite store, and batches survive reopen whole. An abandoned
// batch leaves no trace. A writer killed with SIGKILL keeps every committed
// batch and no partial one. Compaction keeps the lists and drops segments.
#include "queue/EmbeddedStore.h"
#include "queue/log/LogLists.h"

#include <QRandomGenerator>
#include <QtTest>

#include <cstdio>
#include <map>
#include <memory>
#include <thread>

using mutt::Status;
using namespace mutt::queue;

namespace {

using Dump = std::map<QString, QList<QByteArray>>;

Dump dumpLists(const LogLists &lists)
{
    Dump dump;
    for (const QString &key : lists.keys(QString()))
        dump[key] = lists.range(key, 0, -1);
    return dump;
}

Dump dumpStore(QueueStore &store)
{
    Dump dump;
    const auto keys = store.keys(QString());
    if (!keys)
        return dump;
    for (const QString &key : keys.value())
        dump[key] = store.range(key, 0, -1).valueOr({});
    return dump;
}

// A readable difference between two dumps, or an empty string when equal.
QString describeDifference(const Dump &actual, const Dump &expected)
{
    if (actual == expected)
        return {};
    QStringList lines;
    const auto describe = [](const Dump &dump) {
        QStringList parts;
        for (const auto &[key, items] : dump)
            parts.append(key + u'=' + QString::fromLatin1(items.join(',')));
        return parts.join(u' ');
    };
    lines.append(QStringLiteral("log lists: ") + describe(actual));
    lines.append(QStringLiteral("expected:  ") + describe(expected));
    return lines.join(u'\n');
}

template <typename T> QByteArray errorText(const mutt::Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

std::unique_ptr<LogLists> openLists(const QString &directory, const LogListsOptions &options = {})
{
    auto opened = LogLists::open(directory, options);
    if (!opened) {
        qWarning("open failed: %s", errorText(opened).constData());
        return nullptr;
    }
    return std::move(opened).value();
}

// Items of the killed writer's batch `batch`, of 45 to 85 bytes, so the
// writer starts a new 16 KiB segment about every 70 batches.
QByteArray writerItem(int batch, int index)
{
    return QByteArray::number(batch) + '-' + QByteArray::number(index) + ':' + QByteArray(40 + batch % 37, 'x');
}

// One batch of the killed writer: pushes three items, claims two into "p",
// removes the oldest of "p" and trims "q" to 500 items.
Status writeWriterBatch(LogLists &lists, int batch, bool flush)
{
    if (Status begun = lists.beginBatch(); !begun)
        return begun;
    const QString q = QStringLiteral("q");
    const QString p = QStringLiteral("p");
    (void)lists.pushHead(q, {writerItem(batch, 0), writerItem(batch, 1), writerItem(batch, 2)});
    const auto claimed = lists.moveTailToHead(q, p, 2);
    if (claimed && !claimed.value().isEmpty())
        (void)lists.removeEach(p, {claimed.value().first()}, true);
    (void)lists.trim(q, 500);
    return lists.commitBatch(flush);
}

constexpr auto kKillArgument = "--write-batches-until-killed";
constexpr int kWriterMaxBatches = 200'000;

LogListsOptions writerOptions()
{
    LogListsOptions options;
    options.log.segmentBytes = 16 * 1024;
    options.compactSlackBytes = 64 * 1024;
    return options;
}

// Child process mode: writes batches and prints the count after each commit
// that returned, until SIGKILL arrives.
int runKilledWriter(const QString &directory)
{
    auto lists = openLists(directory, writerOptions());
    if (!lists)
        return 2;
    for (int batch = 0; batch < kWriterMaxBatches; ++batch) {
        if (!writeWriterBatch(*lists, batch, batch % 64 == 63))
            return 3;
        std::printf("%d\n", batch + 1);
        std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::minutes(10));
    return 0;
}

}  // namespace

class tst_LogLists : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void sameListsAsEmbeddedStore();
    void rangeIndexRules();
    void writeOutsideBatchFails();
    void reopenAfterEachBatch();
    void abandonedBatchLeavesNoTrace();
    void killedWriterKeepsWholeBatches();
    void compactionKeepsListsDropsSegments();
    void snapshotAfterBatchesInItsSegment();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_LogLists::sameListsAsEmbeddedStore()
{
    auto opened = EmbeddedStore::open(path(QStringLiteral("queue.db")));
    QVERIFY2(opened.ok(), errorText(opened).constData());
    EmbeddedStore &store = *opened.value();
    // Small segments and slack, so segments rotate and snapshots happen.
    LogListsOptions options;
    options.log.segmentBytes = 4096;
    options.compactSlackBytes = 8192;
    const QString directory = path(QStringLiteral("lists"));
    auto lists = openLists(directory, options);
    QVERIFY(lists);

    const QStringList keys {QStringLiteral("q"), QStringLiteral("p"), QStringLiteral("dlq"), QStringLiteral("q:2")};
    QList<QByteArray> pool;
    for (int i = 0; i < 10; ++i)
        pool.append(QByteArray("item-") + QByteArray::number(i) + QByteArray(i * 7, 'z'));

    QRandomGenerator random(20261206);
    const auto pick = [&random](const auto &values) { return values[random.bounded(int(values.size()))]; };
    const auto pickItems = [&](int max) {
        QList<QByteArray> items;
        const int count = 1 + random.bounded(max);
        for (int i = 0; i < count; ++i)
            items.append(pick(pool));
        return items;
    };

    constexpr int kSteps = 3000;
    for (int step = 1; step <= kSteps; ++step) {
        const QString key = pick(keys);
        QString other = pick(keys);
        while (other == key)
            other = pick(keys);
        const int kind = random.bounded(9);
        QVERIFY(lists->beginBatch());
        if (kind <= 1) {
            const QList<QByteArray> items = pickItems(4);
            const bool head = kind == 0;
            QVERIFY(store.apply({head ? Op::pushHead(key, items) : Op::pushTail(key, items)}));
            QVERIFY(head ? lists->pushHead(key, items) : lists->pushTail(key, items));
        } else if (kind <= 3) {
            const QList<QByteArray> items = pickItems(3);
            const bool oldest = kind == 3;
            QList<Op> ops;
            for (const QByteArray &item : items)
                ops.append(oldest ? Op::removeOldest(key, item) : Op::remove(key, item));
            QVERIFY(store.apply(ops, Durability::Move));
            QVERIFY(lists->removeEach(key, items, oldest));
        } else if (kind == 4) {
            const qint64 limit = random.bounded(9);
            QVERIFY(store.apply({Op::trim(key, limit)}, Durability::Move));
            QVERIFY(lists->trim(key, limit));
        } else if (kind <= 6) {
            const int max = 1 + random.bounded(5);
            auto expected = store.claim(key, other, max, std::chrono::milliseconds(0));
            QVERIFY2(expected.ok(), errorText(expected).constData());
            auto moved = lists->moveTailToHead(key, other, max);
            QVERIFY(moved.ok());
            QCOMPARE(moved.value(), expected.value());
        } else if (kind == 7) {
            auto expected = store.returnAll(key, other);
            QVERIFY2(expected.ok(), errorText(expected).constData());
            auto moved = lists->moveAllToTail(key, other);
            QVERIFY(moved.ok());
            QCOMPARE(moved.value(), expected.value());
        } else {
            const qint64 start = random.bounded(17) - 8;
            const qint64 stop = random.bounded(17) - 8;
            auto expected = store.range(key, start, stop);
            QVERIFY(expected.ok());
            QCOMPARE(lists->range(key, start, stop), expected.value());
            QCOMPARE(lists->length(key), store.length(key).valueOr(-1));
        }
        QVERIFY(lists->commitBatch(step % 10 == 0));

        if (step % 50 == 0 || step == kSteps) {
            const QString difference = describeDifference(dumpLists(*lists), dumpStore(store));
            QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("step %1\n").arg(step) + difference));
        }
    }
    QCOMPARE(lists->keys(QStringLiteral("q")), store.keys(QStringLiteral("q")).valueOr({}));

    // The replay rebuilds the same lists from the snapshots and batches.
    QVERIFY(lists->log().segments().first() > 1);
    lists.reset();
    lists = openLists(directory, options);
    QVERIFY(lists);
    const QString difference = describeDifference(dumpLists(*lists), dumpStore(store));
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void tst_LogLists::rangeIndexRules()
{
    auto lists = openLists(path(QStringLiteral("lists")));
    QVERIFY(lists);
    QVERIFY(lists->beginBatch());
    QVERIFY(lists->pushHead(QStringLiteral("k"), {"a", "b", "c", "d"}));
    QVERIFY(lists->commitBatch(false));

    // pushHead puts the last item at the head, index 0.
    QCOMPARE(lists->range(QStringLiteral("k"), 0, -1), QList<QByteArray>({"d", "c", "b", "a"}));
    QCOMPARE(lists->range(QStringLiteral("k"), -2, -1), QList<QByteArray>({"b", "a"}));
    QCOMPARE(lists->range(QStringLiteral("k"), -100, 1), QList<QByteArray>({"d", "c"}));
    QCOMPARE(lists->range(QStringLiteral("k"), 2, 100), QList<QByteArray>({"b", "a"}));
    QVERIFY(lists->range(QStringLiteral("k"), 3, 1).isEmpty());
    QVERIFY(lists->range(QStringLiteral("k"), 4, 10).isEmpty());
    QVERIFY(lists->range(QStringLiteral("missing"), 0, -1).isEmpty());
    QCOMPARE(lists->length(QStringLiteral("missing")), 0);
}

void tst_LogLists::writeOutsideBatchFails()
{
    auto lists = openLists(path(QStringLiteral("lists")));
    QVERIFY(lists);
    const Status pushed = lists->pushHead(QStringLiteral("k"), {"a"});
    QVERIFY(!pushed.ok());
    QCOMPARE(pushed.error().code, mutt::ErrorCode::InvalidInput);
    QVERIFY(!lists->moveTailToHead(QStringLiteral("k"), QStringLiteral("p"), 1).ok());
    QVERIFY(!lists->commitBatch(false).ok());
    QCOMPARE(lists->length(QStringLiteral("k")), 0);

    QVERIFY(lists->beginBatch());
    QVERIFY(!lists->beginBatch().ok());
}

void tst_LogLists::reopenAfterEachBatch()
{
    const QString directory = path(QStringLiteral("lists"));
    Dump expected;
    for (int batch = 0; batch < 6; ++batch) {
        auto lists = openLists(directory);
        QVERIFY(lists);
        const QString difference = describeDifference(dumpLists(*lists), expected);
        QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("batch %1\n").arg(batch) + difference));

        QVERIFY(lists->beginBatch());
        const QByteArray tag = QByteArray::number(batch);
        QVERIFY(lists->pushHead(QStringLiteral("q"), {tag + "a", tag + "b", tag + "a"}));
        QVERIFY(lists->pushTail(QStringLiteral("dlq"), {tag + "x"}));
        QVERIFY(lists->moveTailToHead(QStringLiteral("q"), QStringLiteral("p"), 2).ok());
        QVERIFY(lists->removeEach(QStringLiteral("p"), {tag + "a"}, true));
        QVERIFY(lists->removeEach(QStringLiteral("q"), {tag + "a", "absent"}, false));
        QVERIFY(lists->trim(QStringLiteral("dlq"), 3));
        if (batch == 4)
            QVERIFY(lists->moveAllToTail(QStringLiteral("p"), QStringLiteral("q")).ok());
        QVERIFY(lists->commitBatch(batch % 2 == 0));
        expected = dumpLists(*lists);
        QVERIFY(!expected.empty());
    }
    auto lists = openLists(directory);
    QVERIFY(lists);
    const QString difference = describeDifference(dumpLists(*lists), expected);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void tst_LogLists::abandonedBatchLeavesNoTrace()
{
    const QString directory = path(QStringLiteral("lists"));
    auto lists = openLists(directory);
    QVERIFY(lists);
    QVERIFY(lists->beginBatch());
    QVERIFY(lists->pushHead(QStringLiteral("q"), {"a", "b", "a", "c", "d"}));
    QVERIFY(lists->pushHead(QStringLiteral("p"), {"x", "y"}));
    QVERIFY(lists->pushTail(QStringLiteral("dlq"), {"old", "older"}));
    QVERIFY(lists->commitBatch(true));
    const Dump before = dumpLists(*lists);
    const qint64 liveBytes = lists->liveBytes();
    const QString segment = lists->log().segmentPath(lists->log().segments().last());
    const qint64 fileSize = QFileInfo(segment).size();

    QVERIFY(lists->beginBatch());
    QVERIFY(lists->pushHead(QStringLiteral("q"), {"e"}));
    QVERIFY(lists->pushTail(QStringLiteral("new"), {"n1", "n2"}));
    QVERIFY(lists->removeEach(QStringLiteral("q"), {"a", "c"}, false));
    QVERIFY(lists->removeEach(QStringLiteral("q"), {"a"}, true));
    QVERIFY(lists->moveTailToHead(QStringLiteral("q"), QStringLiteral("p"), 2).ok());
    QVERIFY(lists->moveTailToHead(QStringLiteral("p"), QStringLiteral("p"), 1).ok());
    QVERIFY(lists->moveAllToTail(QStringLiteral("p"), QStringLiteral("dlq")).ok());
    QVERIFY(lists->trim(QStringLiteral("dlq"), 1));
    QVERIFY(lists->trim(QStringLiteral("new"), 0));
    QVERIFY(dumpLists(*lists) != before);
    lists->abandonBatch();

    QString difference = describeDifference(dumpLists(*lists), before);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(lists->liveBytes(), liveBytes);
    QCOMPARE(QFileInfo(segment).size(), fileSize);
    QVERIFY(!lists->inBatch());

    lists.reset();
    lists = openLists(directory);
    QVERIFY(lists);
    difference = describeDifference(dumpLists(*lists), before);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void tst_LogLists::killedWriterKeepsWholeBatches()
{
    for (const int killAfter : {300, 2000}) {
        const QString directory = path(QStringLiteral("killed-%1").arg(killAfter));
        QProcess writer;
        writer.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kKillArgument), directory});
        QVERIFY(writer.waitForStarted());

        int committed = 0;
        QByteArray output;
        while (committed < killAfter) {
            QVERIFY2(writer.state() == QProcess::Running || writer.bytesAvailable() > 0,
                qPrintable(QStringLiteral("writer exited with code %1").arg(writer.exitCode())));
            writer.waitForReadyRead(1000);
            output += writer.readAllStandardOutput();
            const qsizetype end = output.lastIndexOf('\n');
            if (end < 0)
                continue;
            const qsizetype start = output.lastIndexOf('\n', end - 1) + 1;
            committed = output.mid(start, end - start).toInt();
        }
        writer.kill();
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        output += writer.readAllStandardOutput();
        committed = output.trimmed().split('\n').last().toInt();

        auto recovered = openLists(directory, writerOptions());
        QVERIFY(recovered);
        const Dump actual = dumpLists(*recovered);

        // Replays the writer's batches on a fresh directory until the lists
        // match: the match must come at `committed` batches or later, and a
        // partial batch would match no count.
        auto model = openLists(path(QStringLiteral("model-%1").arg(killAfter)), writerOptions());
        QVERIFY(model);
        int matched = -1;
        for (int batch = 0; batch <= committed + 1000 && matched < 0; ++batch) {
            // "p" gains one item per batch, so only an equal length can match.
            const bool sameLength = model->length(QStringLiteral("p")) == recovered->length(QStringLiteral("p"));
            if (batch >= committed && sameLength && dumpLists(*model) == actual)
                matched = batch;
            else
                QVERIFY(writeWriterBatch(*model, batch, false));
        }
        qInfo("writer killed after %d committed batches, %d recovered", committed, matched);
        QVERIFY2(matched >= committed,
            qPrintable(QStringLiteral("no batch count from %1 on gives the recovered lists").arg(committed)));
    }
}

void tst_LogLists::compactionKeepsListsDropsSegments()
{
    LogListsOptions options;
    options.log.segmentBytes = 1024;
    options.compactSlackBytes = 4096;
    const QString directory = path(QStringLiteral("lists"));
    auto lists = openLists(directory, options);
    QVERIFY(lists);

    for (int round = 0; round < 400; ++round) {
        QVERIFY(lists->beginBatch());
        const QByteArray item = QByteArray::number(round) + QByteArray(60, 'c');
        QVERIFY(lists->pushHead(QStringLiteral("q"), {item, item + "-2"}));
        QVERIFY(lists->removeEach(QStringLiteral("q"), {item}, true));
        if (round % 3 == 0)
            QVERIFY(lists->moveTailToHead(QStringLiteral("q"), QStringLiteral("keep"), 1).ok());
        QVERIFY(lists->trim(QStringLiteral("q"), 20));
        QVERIFY(lists->commitBatch(false));
        QVERIFY2(lists->logBytes() <= 2 * lists->liveBytes() + options.compactSlackBytes,
            qPrintable(QStringLiteral("round %1: %2 log bytes for %3 live bytes")
                           .arg(round)
                           .arg(lists->logBytes())
                           .arg(lists->liveBytes())));
    }
    const Dump before = dumpLists(*lists);
    QCOMPARE(lists->length(QStringLiteral("q")), 20);
    QCOMPARE(lists->length(QStringLiteral("keep")), 134);

    // Without compaction 400 batches of about 150 bytes take about 60 segments.
    const QList<quint64> segments = lists->log().segments();
    QVERIFY2(segments.first() > 10, qPrintable(QStringLiteral("oldest segment %1").arg(segments.first())));
    QVERIFY2(segments.size() < 20, qPrintable(QStringLiteral("%1 segments").arg(segments.size())));
    QVERIFY(!QFileInfo::exists(lists->log().segmentPath(1)));

    QVERIFY(lists->compact());
    QCOMPARE(dumpLists(*lists), before);
    lists.reset();
    lists = openLists(directory, options);
    QVERIFY(lists);
    const QString difference = describeDifference(dumpLists(*lists), before);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void tst_LogLists::snapshotAfterBatchesInItsSegment()
{
    // The snapshot lands in a segment that already contains batches whose
    // items were pushed in the segments it removes. Replay must start at
    // the snapshot, not at those batches.
    LogListsOptions options;
    options.log.segmentBytes = 1024;
    const QString directory = path(QStringLiteral("lists"));
    auto lists = openLists(directory, options);
    QVERIFY(lists);
    // Writes until the last segment has room for the snapshot (under 400
    // bytes) after some batches of about 115 bytes.
    quint64 lastSegment = 0;
    for (int round = 0; round < 1000; ++round) {
        QVERIFY(lists->beginBatch());
        QVERIFY(lists->pushHead(QStringLiteral("q"), {QByteArray::number(round) + QByteArray(90, 's')}));
        QVERIFY(lists->trim(QStringLiteral("q"), 2));
        QVERIFY(lists->pushTail(QStringLiteral("all"), {QByteArray::number(round)}));
        QVERIFY(lists->commitBatch(false));
        lastSegment = lists->log().segments().last();
        const qint64 used = QFileInfo(lists->log().segmentPath(lastSegment)).size();
        if (round >= 20 && used >= 200 && used <= 600)
            break;
    }
    QVERIFY(lastSegment >= 3);
    QVERIFY(lists->compact());
    QCOMPARE(lists->log().segments(), QList<quint64>({lastSegment}));
    const Dump before = dumpLists(*lists);
    QCOMPARE(lists->length(QStringLiteral("q")), 2);

    lists.reset();
    lists = openLists(directory, options);
    QVERIFY(lists);
    const QString difference = describeDifference(dumpLists(*lists), before);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], kKillArgument) == 0)
        return runKilledWriter(QString::fromLocal8Bit(argv[2]));
    QCoreApplication app(argc, argv);
    tst_LogLists test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_log_lists.moc"
