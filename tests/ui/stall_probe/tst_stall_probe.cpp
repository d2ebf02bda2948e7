#include "common/StallProbe.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using mutt::ui::StallProbe;

namespace {

constexpr qint64 Ms = 1000;  // microseconds

QHash<QByteArray, QByteArray> parseReport(const QByteArray &text)
{
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype equals = line.indexOf('=');
        if (equals > 0)
            values.insert(line.left(equals), line.mid(equals + 1));
    }
    return values;
}

}  // namespace

// The probe's bookkeeping with chosen tick times, and one real run whose
// figures are checked for presence, never for speed.
class TestStallProbe final : public QObject {
    Q_OBJECT

private slots:
    void onTimeTicksAreNoStall()
    {
        StallProbe probe;
        for (qint64 tick = 1; tick <= 5; ++tick)
            probe.recordTick(tick * 10 * Ms);

        const StallProbe::Summary summary = probe.summary();
        QCOMPARE(summary.ticks, 5);
        QCOMPARE(summary.maxStallUs, 0);
        QCOMPARE(summary.stallsOverThreshold, 0);
        QCOMPARE(summary.runUs, 50 * Ms);
    }

    void longestGapBeyondIntervalIsMax()
    {
        StallProbe probe;
        probe.recordTick(10 * Ms);
        probe.recordTick(60 * Ms);  // 40 ms stall
        probe.recordTick(70 * Ms);
        probe.recordTick(300 * Ms);  // 220 ms stall
        probe.recordTick(420 * Ms);  // 110 ms stall

        const StallProbe::Summary summary = probe.summary();
        QCOMPARE(summary.maxStallUs, 220 * Ms);
        QCOMPARE(summary.maxStallAtUs, 300 * Ms);
        QCOMPARE(summary.stallsOverThreshold, 2);
        QCOMPARE(summary.stallsOverThresholdAtUs, (QList<qint64> {300 * Ms, 420 * Ms}));
    }

    void listedStallsAreBounded()
    {
        StallProbe probe;
        for (qint64 tick = 1; tick <= StallProbe::maxListedStalls + 5; ++tick)
            probe.recordTick(tick * 200 * Ms);

        QCOMPARE(probe.summary().stallsOverThreshold, StallProbe::maxListedStalls + 5);
        QCOMPARE(probe.summary().stallsOverThresholdAtUs.size(), StallProbe::maxListedStalls);
        QCOMPARE(probe.summary().stallsOverThresholdAtUs.constFirst(), 200 * Ms);
    }

    void stallAtThresholdIsNotCounted()
    {
        StallProbe probe(std::chrono::milliseconds(10), std::chrono::milliseconds(100));
        probe.recordTick(110 * Ms);  // exactly 100 ms beyond the interval

        QCOMPARE(probe.summary().maxStallUs, 100 * Ms);
        QCOMPARE(probe.summary().stallsOverThreshold, 0);
    }

    void startResetsFigures()
    {
        StallProbe probe;
        probe.recordTick(500 * Ms);
        probe.start();
        probe.stop();

        QCOMPARE(probe.summary().ticks, 0);
        QCOMPARE(probe.summary().maxStallUs, 0);
        QCOMPARE(probe.summary().intervalMs, 10);
        QCOMPARE(probe.summary().thresholdMs, 100);
    }

    void reportHasEveryField()
    {
        StallProbe::Summary summary;
        summary.intervalMs = 10;
        summary.thresholdMs = 100;
        summary.runUs = 30'000 * Ms;
        summary.ticks = 2900;
        summary.maxStallUs = 123'456;
        summary.maxStallAtUs = 4'200 * Ms;
        summary.stallsOverThreshold = 3;
        summary.stallsOverThresholdAtUs = {1'000 * Ms, 4'200 * Ms, 12'345 * Ms};

        const auto values = parseReport(StallProbe::report(summary));
        QCOMPARE(values.value("max_stall_ms"), QByteArray("123.5"));
        QCOMPARE(values.value("max_stall_at_s"), QByteArray("4.2"));
        QCOMPARE(values.value("stalls_over_threshold"), QByteArray("3"));
        QCOMPARE(values.value("stalls_over_threshold_at_s"), QByteArray("1.0,4.2,12.3"));
        QCOMPARE(values.value("threshold_ms"), QByteArray("100"));
        QCOMPARE(values.value("interval_ms"), QByteArray("10"));
        QCOMPARE(values.value("ticks"), QByteArray("2900"));
        QCOMPARE(values.value("run_s"), QByteArray("30.0"));
    }

    // A blocked event loop shows up as a stall; only its presence is checked.
    void blockedLoopIsRecorded()
    {
        StallProbe probe;
        probe.start();
        QTest::qWait(30);
        QThread::msleep(150);
        QTRY_VERIFY(probe.summary().ticks >= 3);
        probe.stop();

        QVERIFY(probe.summary().maxStallUs > 0);
        QVERIFY(!probe.isRunning());
    }

    void reportWrittenToFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("stalls.txt"));
        StallProbe probe;
        probe.recordTick(250 * Ms);

        QVERIFY(probe.writeReport(file).ok());
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(parseReport(written.readAll()).value("stalls_over_threshold"), QByteArray("1"));
    }

    void reportToMissingFolderFails()
    {
        QTemporaryDir dir;
        StallProbe probe;
        const mutt::Status written = probe.writeReport(dir.filePath(QStringLiteral("missing/stalls.txt")));

        QVERIFY(!written.ok());
        QVERIFY(written.error().message.contains(QStringLiteral("missing/stalls.txt")));
    }
};

QTEST_MAIN(TestStallProbe)
#include "tst_stall_probe.moc"
