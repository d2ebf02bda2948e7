// RecordLog on real files: round trips, replay on reopen, torn tails cut at
// every byte, damage in the middle, segment rotation and removal, and a writer
// process killed with SIGKILL in the middle of its commits.
#include "queue/log/RecordLog.h"

#include <QtTest>

#include <cstdio>
#include <memory>
#include <thread>

using mutt::ErrorCode;
using mutt::Status;
using namespace mutt::queue;

namespace {

struct Replayed {
    quint8 type = 0;
    QByteArray body;
    RecordRef ref;
};

// Opens `directory` and collects every replayed record into `replayed`.
mutt::Result<std::unique_ptr<RecordLog>> openLog(
    const QString &directory, QList<Replayed> &replayed, const RecordLogOptions &options = {})
{
    replayed.clear();
    return RecordLog::open(
        directory,
        [&replayed](quint8 type, QByteArrayView body, const RecordRef &ref) {
            replayed.append(Replayed {type, body.toByteArray(), ref});
            return Status {};
        },
        options);
}

// Bodies of varied length, so frames start at varied offsets.
QByteArray recordBody(int index)
{
    return QByteArray("record-") + QByteArray::number(index) + ':' + QByteArray(index % 53, char('a' + index % 26));
}

// The error of `result` for a failure message, or nothing when it succeeded.
template <typename T> QByteArray errorText(const mutt::Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

constexpr auto kKillArgument = "--append-until-killed";
constexpr int kWriterCommitEvery = 8;
constexpr int kWriterMaxRecords = 200'000;

// Child process mode: appends records and prints the count after each commit
// that returned, until SIGKILL arrives (or the maximum is reached).
int runKilledWriter(const QString &directory)
{
    RecordLogOptions options;
    options.segmentBytes = 16 * 1024;
    auto opened = RecordLog::open(
        directory, [](quint8, QByteArrayView, const RecordRef &) { return Status {}; }, options);
    if (!opened)
        return 2;
    RecordLog &log = *opened.value();
    for (int i = 0; i < kWriterMaxRecords; ++i) {
        if (!log.append(quint8(i % 7), recordBody(i)))
            return 3;
        if (i % kWriterCommitEvery != kWriterCommitEvery - 1)
            continue;
        if (!log.commit(i % 256 == 255))
            return 4;
        std::printf("%d\n", i + 1);
        std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::minutes(10));
    return 0;
}

}  // namespace

class tst_RecordLog : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void roundTrip();
    void emptyLog();
    void reopenReplaysInOrder();
    void commitWithoutFlushSurvivesReopen();
    void tornTailAtEveryOffset();
    void tornHeaderIsRewritten();
    void crcDamageInLastRecordIsCut();
    void crcDamageInMiddleFails();
    void zeroFilledTailIsCut();
    void tornRecordInOlderSegmentFails();
    void badHeaderFails();
    void missingSegmentFails();
    void rotationAndRemoval();
    void removalRejectsNewestAndPending();
    void recordLargerThanSegment();
    void oversizedRecordRejected();
    void secondOpenFails();
    void unwritableDirectoryNamed();
    void killedWriterKeepsCommittedPrefix();

private:
    [[nodiscard]] QString logDir(const QString &name) const { return m_dir->filePath(name); }
    // Writes `count` records into a fresh log at `directory` and returns their refs.
    static QList<RecordRef> writeRecords(const QString &directory, int count, const RecordLogOptions &options = {});

    std::unique_ptr<QTemporaryDir> m_dir;  // a fresh one for each test
};

QList<RecordRef> tst_RecordLog::writeRecords(const QString &directory, int count, const RecordLogOptions &options)
{
    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed, options);
    if (!opened)
        return {};
    QList<RecordRef> refs;
    for (int i = 0; i < count; ++i)
        refs.append(opened.value()->append(quint8(i % 5), recordBody(i)).value());
    if (!opened.value()->commit(true))
        return {};
    return refs;
}

void tst_RecordLog::roundTrip()
{
    QList<Replayed> replayed;
    auto opened = openLog(logDir(QStringLiteral("log")), replayed);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    RecordLog &log = *opened.value();

    const RecordRef first = log.append(1, "alpha").value();
    const RecordRef second = log.append(2, "").value();
    const RecordRef third = log.append(3, QByteArray(700, 'x')).value();
    QCOMPARE(first.segment, quint64(1));
    QCOMPARE(first.offset, quint64(RecordLog::kHeaderBytes));
    QCOMPARE(second.offset, first.offset + RecordLog::kFrameHeaderBytes + 5);
    QCOMPARE(third.size, quint32(700));

    // Buffered records read back before they are written.
    QCOMPARE(log.read(first).value(), QByteArray("alpha"));
    QCOMPARE(log.read(third).value(), QByteArray(700, 'x'));
    QVERIFY(!QFile::exists(log.segmentPath(1)));

    QVERIFY(log.commit(true));
    QCOMPARE(log.read(first).value(), QByteArray("alpha"));
    QCOMPARE(log.read(second).value(), QByteArray());
    QCOMPARE(log.read(third).value(), QByteArray(700, 'x'));
    QCOMPARE(log.segments(), QList<quint64>({1}));
    QCOMPARE(QFileInfo(log.segmentPath(1)).size(), qint64(third.offset + RecordLog::kFrameHeaderBytes + 700));

    RecordRef stale = first;
    stale.size = 4;
    QCOMPARE(log.read(stale).error().code, ErrorCode::InvalidInput);
}

void tst_RecordLog::emptyLog()
{
    const QString directory = logDir(QStringLiteral("not/yet/there"));
    QList<Replayed> replayed;
    {
        auto opened = openLog(directory, replayed);
        QVERIFY2(opened.ok(), errorText(opened).constData());
        QVERIFY(opened.value()->segments().isEmpty());
        QVERIFY(opened.value()->commit(true));
        QVERIFY(opened.value()->removeSegmentsBefore(5));
    }
    QVERIFY(QDir(directory).exists());
    auto reopened = openLog(directory, replayed);
    QVERIFY(reopened.ok());
    QVERIFY(replayed.isEmpty());
    QVERIFY(reopened.value()->segments().isEmpty());
    QCOMPARE(reopened.value()->read(RecordRef {1, 8, 1}).error().code, ErrorCode::NotFound);
}

void tst_RecordLog::reopenReplaysInOrder()
{
    const QString directory = logDir(QStringLiteral("log"));
    const QList<RecordRef> refs = writeRecords(directory, 300);
    QCOMPARE(refs.size(), 300);

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    QCOMPARE(replayed.size(), 300);
    for (int i = 0; i < 300; ++i) {
        QCOMPARE(replayed[i].type, quint8(i % 5));
        QCOMPARE(replayed[i].body, recordBody(i));
        QCOMPARE(replayed[i].ref, refs[i]);
        QCOMPARE(opened.value()->read(refs[i]).value(), recordBody(i));
    }

    // Appends continue after the replayed records.
    const RecordRef next = opened.value()->append(9, "after").value();
    QCOMPARE(next.offset, refs.last().offset + RecordLog::kFrameHeaderBytes + refs.last().size);
    QVERIFY(opened.value()->commit(false));
    opened.value().reset();  // releases the directory lock
    opened = openLog(directory, replayed);
    QCOMPARE(replayed.size(), 301);
    QCOMPARE(replayed.last().body, QByteArray("after"));
}

void tst_RecordLog::commitWithoutFlushSurvivesReopen()
{
    const QString directory = logDir(QStringLiteral("log"));
    QList<Replayed> replayed;
    {
        auto opened = openLog(directory, replayed);
        QVERIFY(opened.ok());
        for (int i = 0; i < 10; ++i)
            QVERIFY(opened.value()->append(0, recordBody(i)).ok());
        QVERIFY(opened.value()->commit(false));
        // Not committed: lost when the log is closed.
        QVERIFY(opened.value()->append(0, "uncommitted").ok());
    }
    auto reopened = openLog(directory, replayed);
    QVERIFY(reopened.ok());
    QCOMPARE(replayed.size(), 10);
    QCOMPARE(replayed.last().body, recordBody(9));
}

void tst_RecordLog::tornTailAtEveryOffset()
{
    const QString source = logDir(QStringLiteral("source"));
    const QList<RecordRef> refs = writeRecords(source, 5);
    QCOMPARE(refs.size(), 5);
    const QByteArray whole = fileBytes(source + QStringLiteral("/000000000001.seg"));
    const qint64 lastStart = qint64(refs.last().offset);
    QCOMPARE(whole.size(), lastStart + RecordLog::kFrameHeaderBytes + refs.last().size);

    for (qint64 cut = lastStart; cut < whole.size(); ++cut) {
        const QString directory = logDir(QStringLiteral("cut-%1").arg(cut));
        const QString segment = directory + QStringLiteral("/000000000001.seg");
        QVERIFY(QDir().mkpath(directory));
        QVERIFY(writeFile(segment, whole.left(cut)));

        QList<Replayed> replayed;
        auto opened = openLog(directory, replayed);
        QVERIFY2(opened.ok(), QByteArray("cut at " + QByteArray::number(cut) + ": " + errorText(opened)).constData());
        QCOMPARE(replayed.size(), 4);
        QCOMPARE(replayed.last().body, recordBody(3));
        QCOMPARE(QFileInfo(segment).size(), lastStart);

        const RecordRef added = opened.value()->append(7, "new").value();
        QCOMPARE(added.offset, quint64(lastStart));
        QVERIFY(opened.value()->commit(true));
        opened.value().reset();  // releases the directory lock
        opened = openLog(directory, replayed);
        QVERIFY(opened.ok());
        QCOMPARE(replayed.size(), 5);
        QCOMPARE(replayed.last().body, QByteArray("new"));
        QCOMPARE(replayed.last().type, quint8(7));
    }
}

void tst_RecordLog::tornHeaderIsRewritten()
{
    const QString directory = logDir(QStringLiteral("log"));
    QVERIFY(QDir().mkpath(directory));
    QVERIFY(writeFile(directory + QStringLiteral("/000000000001.seg"), "MUT"));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    QVERIFY(replayed.isEmpty());
    QCOMPARE(opened.value()->append(1, "x").value().offset, quint64(RecordLog::kHeaderBytes));
    QVERIFY(opened.value()->commit(true));
    opened.value().reset();  // releases the directory lock
    opened = openLog(directory, replayed);
    QVERIFY(opened.ok());
    QCOMPARE(replayed.size(), 1);
}

void tst_RecordLog::crcDamageInLastRecordIsCut()
{
    const QString directory = logDir(QStringLiteral("log"));
    const QList<RecordRef> refs = writeRecords(directory, 5);
    const QString segment = directory + QStringLiteral("/000000000001.seg");
    QByteArray bytes = fileBytes(segment);
    bytes[qsizetype(refs.last().offset) + RecordLog::kFrameHeaderBytes + 2] ^= 0x01;
    QVERIFY(writeFile(segment, bytes));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    QCOMPARE(replayed.size(), 4);
    QCOMPARE(QFileInfo(segment).size(), qint64(refs.last().offset));
}

void tst_RecordLog::crcDamageInMiddleFails()
{
    const QString directory = logDir(QStringLiteral("log"));
    const QList<RecordRef> refs = writeRecords(directory, 5);
    const QString segment = directory + QStringLiteral("/000000000001.seg");
    QByteArray bytes = fileBytes(segment);
    bytes[qsizetype(refs[2].offset) + RecordLog::kFrameHeaderBytes + 1] ^= 0x40;
    QVERIFY(writeFile(segment, bytes));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::InvalidInput);
    const QString message = opened.error().message;
    QVERIFY2(message.contains(segment), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("offset %1").arg(refs[2].offset)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("CRC mismatch")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("restore")), qPrintable(message));
    // Nothing was cut off.
    QCOMPARE(fileBytes(segment), bytes);
}

void tst_RecordLog::zeroFilledTailIsCut()
{
    // Some file systems extend a file with zeros when power fails before its data is written.
    const QString directory = logDir(QStringLiteral("log"));
    const QList<RecordRef> refs = writeRecords(directory, 5);
    const QString segment = directory + QStringLiteral("/000000000001.seg");
    const QByteArray written = fileBytes(segment);
    QVERIFY(writeFile(segment, written + QByteArray(64 * 1024, '\0')));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    QCOMPARE(replayed.size(), 5);
    QCOMPARE(fileBytes(segment), written);
}

void tst_RecordLog::tornRecordInOlderSegmentFails()
{
    const QString directory = logDir(QStringLiteral("log"));
    RecordLogOptions options;
    options.segmentBytes = 512;
    writeRecords(directory, 40, options);
    const QString first = directory + QStringLiteral("/000000000001.seg");
    QVERIFY(QFile::exists(directory + QStringLiteral("/000000000002.seg")));
    const QByteArray bytes = fileBytes(first);
    QVERIFY(writeFile(first, bytes.left(bytes.size() - 3)));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed, options);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::InvalidInput);
    QVERIFY2(opened.error().message.contains(first), qPrintable(opened.error().message));
    QCOMPARE(fileBytes(first).size(), bytes.size() - 3);
}

void tst_RecordLog::badHeaderFails()
{
    const QString directory = logDir(QStringLiteral("log"));
    writeRecords(directory, 2);
    const QString segment = directory + QStringLiteral("/000000000001.seg");
    QByteArray bytes = fileBytes(segment);

    QList<Replayed> replayed;
    bytes[7] = char(2);
    QVERIFY(writeFile(segment, bytes));
    auto opened = openLog(directory, replayed);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().message.contains(segment), qPrintable(opened.error().message));
    QVERIFY2(opened.error().message.contains(QStringLiteral("format version 2")), qPrintable(opened.error().message));

    bytes[0] = 'X';
    QVERIFY(writeFile(segment, bytes));
    opened = openLog(directory, replayed);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().message.contains(QStringLiteral("does not start with a record log header")),
        qPrintable(opened.error().message));
    QVERIFY(replayed.isEmpty());
}

void tst_RecordLog::missingSegmentFails()
{
    const QString directory = logDir(QStringLiteral("log"));
    RecordLogOptions options;
    options.segmentBytes = 512;
    writeRecords(directory, 60, options);
    const QString second = directory + QStringLiteral("/000000000002.seg");
    QVERIFY(QFile::exists(directory + QStringLiteral("/000000000003.seg")));
    QVERIFY(QFile::remove(second));

    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed, options);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().message.contains(second), qPrintable(opened.error().message));
    QVERIFY2(opened.error().message.contains(QStringLiteral("missing")), qPrintable(opened.error().message));
}

void tst_RecordLog::rotationAndRemoval()
{
    const QString directory = logDir(QStringLiteral("log"));
    RecordLogOptions options;
    options.segmentBytes = 1024;
    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed, options);
    QVERIFY(opened.ok());
    RecordLog &log = *opened.value();
    QList<RecordRef> refs;
    for (int i = 0; i < 50; ++i)
        refs.append(log.append(0, QByteArray(100, char('A' + i % 26))).value());
    QVERIFY(log.commit(true));

    const QList<quint64> segments = log.segments();
    QVERIFY(segments.size() >= 5);
    QCOMPARE(segments.first(), quint64(1));
    for (quint64 number : segments) {
        QVERIFY(QFileInfo(log.segmentPath(number)).size() <= options.segmentBytes);
        QVERIFY(QFileInfo(log.segmentPath(number)).size() > RecordLog::kHeaderBytes);
    }

    const quint64 newest = segments.last();
    QVERIFY(log.removeSegmentsBefore(newest));
    QCOMPARE(log.segments(), QList<quint64>({newest}));
    QVERIFY(!QFile::exists(log.segmentPath(1)));
    QCOMPARE(QDir(directory).entryList(QDir::Files).size(), 1);
    QCOMPARE(log.read(refs.first()).error().code, ErrorCode::NotFound);
    QCOMPARE(log.read(refs.last()).value(), QByteArray(100, char('A' + 49 % 26)));

    opened.value().reset();
    auto reopened = openLog(directory, replayed, options);
    QVERIFY2(reopened.ok(), errorText(reopened).constData());
    QVERIFY(!replayed.isEmpty());
    QCOMPARE(replayed.first().ref.segment, newest);
    QCOMPARE(replayed.last().ref, refs.last());

    // Appends go on in the newest segment, not a new segment 1.
    const RecordRef next = reopened.value()->append(0, "next").value();
    QVERIFY(next.segment >= newest);
}

void tst_RecordLog::removalRejectsNewestAndPending()
{
    RecordLogOptions options;
    options.segmentBytes = 256;
    QList<Replayed> replayed;
    auto opened = openLog(logDir(QStringLiteral("log")), replayed, options);
    QVERIFY(opened.ok());
    RecordLog &log = *opened.value();
    for (int i = 0; i < 10; ++i)
        QVERIFY(log.append(0, QByteArray(100, 'z')).ok());
    const quint64 newest = log.segments().last();
    QVERIFY(newest > 2);

    QCOMPARE(log.removeSegmentsBefore(newest + 1).error().code, ErrorCode::InvalidInput);
    QCOMPARE(log.removeSegmentsBefore(newest).error().code, ErrorCode::Conflict);
    QVERIFY(log.commit(false));
    QVERIFY(log.removeSegmentsBefore(newest));
    QCOMPARE(log.segments(), QList<quint64>({newest}));
}

void tst_RecordLog::recordLargerThanSegment()
{
    const QString directory = logDir(QStringLiteral("log"));
    RecordLogOptions options;
    options.segmentBytes = 1024;
    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed, options);
    QVERIFY(opened.ok());
    const QByteArray big(5000, 'B');
    const RecordRef small = opened.value()->append(1, "small").value();
    const RecordRef large = opened.value()->append(2, big).value();
    const RecordRef after = opened.value()->append(3, "after").value();
    QCOMPARE(small.segment, quint64(1));
    QCOMPARE(large.segment, quint64(2));
    QCOMPARE(large.offset, quint64(RecordLog::kHeaderBytes));
    QCOMPARE(after.segment, quint64(3));
    QVERIFY(opened.value()->commit(true));
    QCOMPARE(opened.value()->read(large).value(), big);

    opened.value().reset();  // releases the directory lock
    opened = openLog(directory, replayed, options);
    QVERIFY2(opened.ok(), errorText(opened).constData());
    QCOMPARE(replayed.size(), 3);
    QCOMPARE(replayed[1].body, big);
    QCOMPARE(replayed[1].ref, large);
    QCOMPARE(opened.value()->read(large).value(), big);
}

void tst_RecordLog::oversizedRecordRejected()
{
    QList<Replayed> replayed;
    auto opened = openLog(logDir(QStringLiteral("log")), replayed);
    QVERIFY(opened.ok());
    // The size is checked before the body is read, so the view never needs the memory.
    static const char byte = 0;
    const QByteArrayView oversized(&byte, qsizetype(RecordLog::kMaxBodyBytes) + 1);
    const auto appended = opened.value()->append(0, oversized);
    QVERIFY(!appended.ok());
    QCOMPARE(appended.error().code, ErrorCode::InvalidInput);
    QVERIFY(opened.value()->segments().isEmpty());
}

void tst_RecordLog::secondOpenFails()
{
    const QString directory = logDir(QStringLiteral("log"));
    QList<Replayed> replayed;
    auto first = openLog(directory, replayed);
    QVERIFY(first.ok());
    QList<Replayed> replayedAgain;
    auto second = openLog(directory, replayedAgain);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, ErrorCode::Conflict);
    QVERIFY2(second.error().message.contains(directory), qPrintable(second.error().message));
}

void tst_RecordLog::unwritableDirectoryNamed()
{
    // A path below a regular file cannot become a directory, even for root.
    const QString file = logDir(QStringLiteral("plain-file"));
    QVERIFY(writeFile(file, "x"));
    const QString directory = file + QStringLiteral("/log");
    QList<Replayed> replayed;
    auto opened = openLog(directory, replayed);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY2(opened.error().message.contains(directory), qPrintable(opened.error().message));
}

void tst_RecordLog::killedWriterKeepsCommittedPrefix()
{
    for (const int killAfter : {500, 3000, 9000}) {
        const QString directory = logDir(QStringLiteral("killed-%1").arg(killAfter));
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
        const QList<QByteArray> lines = output.trimmed().split('\n');
        committed = lines.last().toInt();
        QVERIFY(committed >= killAfter);

        QList<Replayed> replayed;
        auto opened = openLog(directory, replayed);
        QVERIFY2(opened.ok(), errorText(opened).constData());
        qInfo("writer killed after %d committed records, %lld replayed", committed, qlonglong(replayed.size()));
        QVERIFY2(replayed.size() >= committed,
            qPrintable(QStringLiteral("%1 records replayed, %2 committed").arg(replayed.size()).arg(committed)));
        for (int i = 0; i < replayed.size(); ++i) {
            QCOMPARE(replayed[i].type, quint8(i % 7));
            QCOMPARE(replayed[i].body, recordBody(i));
        }
        QVERIFY(opened.value()->segments().size() > 1);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], kKillArgument) == 0)
        return runKilledWriter(QString::fromLocal8Bit(argv[2]));
    QCoreApplication app(argc, argv);
    tst_RecordLog test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_record_log.moc"
