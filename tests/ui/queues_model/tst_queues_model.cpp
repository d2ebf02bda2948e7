#include "queues/QueuesModel.h"

#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using mutt::runtime::EngineStatus;
using mutt::runtime::QueueInfo;
using mutt::ui::QueuesModel;

namespace {

const QDateTime Start = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

QueueInfo queue(const QString &name, QueueInfo::Kind kind, qint64 depth)
{
    QueueInfo info;
    info.name = name;
    info.kind = kind;
    info.depth = depth;
    return info;
}

EngineStatus sample(qint64 secondsFromStart, qint64 accepted, QList<QueueInfo> queues)
{
    EngineStatus status;
    status.sampledAt = Start.addSecs(secondsFromStart);
    status.conservation.accepted = accepted;
    status.queues = std::move(queues);
    return status;
}

QString cell(const QueuesModel &model, const QString &queueName, int column)
{
    return model.index(model.rowOf(queueName), column).data().toString();
}

}  // namespace

class TestQueuesModel final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void ingestRates_data()
    {
        QTest::addColumn<qint64>("depthBefore");
        QTest::addColumn<qint64>("depthAfter");
        QTest::addColumn<qint64>("acceptedDelta");
        QTest::addColumn<double>("in");
        QTest::addColumn<double>("out");

        // 10 s between the samples.
        QTest::newRow("growing") << qint64(100) << qint64(600) << qint64(1500) << 150.0 << 100.0;
        QTest::newRow("draining") << qint64(1000) << qint64(0) << qint64(500) << 50.0 << 150.0;
        QTest::newRow("steady") << qint64(40) << qint64(40) << qint64(200) << 20.0 << 20.0;
        QTest::newRow("idle") << qint64(0) << qint64(0) << qint64(0) << 0.0 << 0.0;
    }

    void ingestRates()
    {
        QFETCH(qint64, depthBefore);
        QFETCH(qint64, depthAfter);
        QFETCH(qint64, acceptedDelta);
        QFETCH(double, in);
        QFETCH(double, out);
        const QString name = QStringLiteral("mutt:ingest_queue");

        QueuesModel model;
        model.updateStatus(sample(0, 1000, {queue(name, QueueInfo::Kind::Queue, depthBefore)}));
        model.updateStatus(sample(10, 1000 + acceptedDelta, {queue(name, QueueInfo::Kind::Queue, depthAfter)}));

        const mutt::ui::QueueFlow &flow = model.flowAt(model.rowOf(name));
        QVERIFY(flow.inPerSec.has_value());
        QVERIFY(flow.outPerSec.has_value());
        QCOMPARE(*flow.inPerSec, in);
        QCOMPARE(*flow.outPerSec, out);
        QVERIFY(!flow.inIsLowerBound);
    }

    void otherQueueRatesAreLowerBounds()
    {
        const QString name = QStringLiteral("mutt:alert_queue");
        QueuesModel model;
        model.updateStatus(sample(0, 0, {queue(name, QueueInfo::Kind::Queue, 300)}));
        model.updateStatus(sample(10, 0, {queue(name, QueueInfo::Kind::Queue, 100)}));

        const mutt::ui::QueueFlow &flow = model.flowAt(model.rowOf(name));
        QVERIFY(flow.outIsLowerBound);
        QCOMPARE(flow.outPerSec.value_or(-1), 20.0);
        QCOMPARE(cell(model, name, QueuesModel::OutRate), QStringLiteral("≥ 20.0"));
        QCOMPARE(cell(model, name, QueuesModel::InRate), QStringLiteral("—"));
    }

    void firstSampleHasNoRates()
    {
        const QString name = QStringLiteral("mutt:ingest_queue");
        QueuesModel model;
        model.updateStatus(sample(0, 10, {queue(name, QueueInfo::Kind::Queue, 5)}));

        QCOMPARE(cell(model, name, QueuesModel::InRate), QStringLiteral("—"));
        QCOMPARE(cell(model, name, QueuesModel::DrainOrFill), QStringLiteral("—"));
    }

    void drainOrFill_data()
    {
        QTest::addColumn<qint64>("depthBefore");
        QTest::addColumn<qint64>("depthAfter");
        QTest::addColumn<QString>("text");

        // Ingest queue, cap 1,000,000, 10 s apart.
        QTest::newRow("drains 900 at 10/s") << qint64(1000) << qint64(900) << QStringLiteral("empty in 1 min 30 s");
        QTest::newRow("fills 999,000 at 100/s") << qint64(0) << qint64(1000) << QStringLiteral("full in 2 h 46 min");
        QTest::newRow("empty") << qint64(0) << qint64(0) << QStringLiteral("empty");
        QTest::newRow("stuck") << qint64(50) << qint64(50) << QStringLiteral("not moving");
    }

    void drainOrFill()
    {
        QFETCH(qint64, depthBefore);
        QFETCH(qint64, depthAfter);
        QFETCH(QString, text);
        const QString name = QStringLiteral("mutt:ingest_queue");

        QueuesModel model;
        model.updateStatus(sample(0, 0, {queue(name, QueueInfo::Kind::Queue, depthBefore)}));
        model.updateStatus(sample(10, 0, {queue(name, QueueInfo::Kind::Queue, depthAfter)}));

        QCOMPARE(cell(model, name, QueuesModel::DrainOrFill), text);
    }

    void growingQueueWithoutCapShowsRate()
    {
        const QString name = QStringLiteral("mutt:dlq:moog");
        QueuesModel model;
        model.updateStatus(sample(0, 0, {queue(name, QueueInfo::Kind::Dlq, 0)}));
        model.updateStatus(sample(10, 0, {queue(name, QueueInfo::Kind::Dlq, 50)}));

        QCOMPARE(cell(model, name, QueuesModel::DrainOrFill), QStringLiteral("growing 5.0/s"));
    }

    void orphanFlag_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("hasHeartbeat");
        QTest::addColumn<bool>("orphan");

        QTest::newRow("processing, heartbeat") << int(QueueInfo::Kind::Processing) << true << false;
        QTest::newRow("processing, no heartbeat") << int(QueueInfo::Kind::Processing) << false << true;
        QTest::newRow("queue, no heartbeat") << int(QueueInfo::Kind::Queue) << false << false;
    }

    void orphanFlag()
    {
        QFETCH(int, kind);
        QFETCH(bool, hasHeartbeat);
        QFETCH(bool, orphan);

        QueueInfo info = queue(QStringLiteral("mutt:processing:alerter:pod-1"), QueueInfo::Kind(kind), 3);
        info.worker = QStringLiteral("pod-1");
        if (hasHeartbeat)
            info.heartbeatAgeMs = 4000;

        QueuesModel model;
        model.updateStatus(sample(0, 0, {info}));

        const QModelIndex index = model.index(0, QueuesModel::Heartbeat);
        QCOMPARE(index.data(QueuesModel::OrphanRole).toBool(), orphan);
        QCOMPARE(index.data().toString().contains(QStringLiteral("orphaned")), orphan);
    }

    void updatesWithoutReset()
    {
        const QString ingest = QStringLiteral("mutt:ingest_queue");
        const QString alert = QStringLiteral("mutt:alert_queue");
        const QString dlq = QStringLiteral("mutt:dlq:moog");
        QueuesModel model;
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QItemSelectionModel selection(&model);

        model.updateStatus(
            sample(0, 0, {queue(ingest, QueueInfo::Kind::Queue, 1), queue(alert, QueueInfo::Kind::Queue, 2)}));
        selection.select(model.index(model.rowOf(alert), 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);

        model.updateStatus(sample(1, 5,
            {queue(ingest, QueueInfo::Kind::Queue, 3), queue(alert, QueueInfo::Kind::Queue, 4),
                queue(dlq, QueueInfo::Kind::Dlq, 1)}));
        model.updateStatus(
            sample(2, 9, {queue(alert, QueueInfo::Kind::Queue, 6), queue(dlq, QueueInfo::Kind::Dlq, 1)}));

        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(removed.count(), 1);
        QVERIFY(changed.count() >= 2);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(selection.isRowSelected(model.rowOf(alert), {}));
        QCOMPARE(cell(model, alert, QueuesModel::Depth), QStringLiteral("6"));
    }

    void restartedCounterGivesNoNegativeRate()
    {
        const QString name = QStringLiteral("mutt:ingest_queue");
        QueuesModel model;
        model.updateStatus(sample(0, 5000, {queue(name, QueueInfo::Kind::Queue, 10)}));
        model.updateStatus(sample(10, 20, {queue(name, QueueInfo::Kind::Queue, 10)}));

        const mutt::ui::QueueFlow &flow = model.flowAt(0);
        QVERIFY(flow.inIsLowerBound);
        QVERIFY(flow.inPerSec.value_or(-1) >= 0.0);
    }
};

QTEST_MAIN(TestQueuesModel)
#include "tst_queues_model.moc"
