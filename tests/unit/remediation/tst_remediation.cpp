// Remediation against the real embedded queue store and the real mock
// Moogsoft server on 127.0.0.1.

#include "StoreMoogBed.h"
#include "queue/Coordination.h"
#include "queue/QueueNames.h"
#include "remediation/Remediation.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <memory>

using namespace mutt;

namespace {

constexpr int waitMs = 15'000;

struct Fixture : mockmoog::StoreMoogBed {
    bool open()
    {
        if (!openBed())
            return false;
        settings.moogHealthTimeout = 1;
        settings.moogRateLimit = 1000;
        settings.moogRatePeriod = 1;
        settings.remediationBatchSize = 10;
        settings.maxPoisonRetries = 3;
        settings.circuitBreakerThreshold = 3;
        settings.circuitBreakerTimeout = 300;
        settings.remediationInterval = 300;
        return true;
    }

    static QByteArray moogDlqItem(int index, int replayCount = -1)
    {
        QJsonObject item;
        item.insert(QStringLiteral("hostname"), QStringLiteral("host-%1").arg(index));
        item.insert(QStringLiteral("message_body"), QStringLiteral("fan failure %1").arg(index));
        item.insert(QStringLiteral("_correlation_id"), QStringLiteral("corr-%1").arg(index));
        item.insert(QStringLiteral("_moog_retry_count"), 6);
        if (replayCount >= 0)
            item.insert(QStringLiteral("_replay_count"), replayCount);
        item.insert(
            QStringLiteral("_dlq_reason"), QStringLiteral("retries exhausted after 6 attempts: last answer 503"));
        item.insert(QStringLiteral("_dlq_at"), QStringLiteral("2025-01-15T14:30:22.123Z"));
        item.insert(QStringLiteral("_dlq_last_status"), 503);
        item.insert(QStringLiteral("_dlq_source"), QStringLiteral("forwarder"));
        return QJsonDocument(item).toJson(QJsonDocument::Compact);
    }

    static QByteArray alerterDlqItem(int index)
    {
        QJsonObject item;
        item.insert(QStringLiteral("hostname"), QStringLiteral("host-%1").arg(index));
        item.insert(QStringLiteral("message"), QStringLiteral("disk full %1").arg(index));
        item.insert(QStringLiteral("_correlation_id"), QStringLiteral("event-%1").arg(index));
        item.insert(QStringLiteral("_retry_count"), 4);
        item.insert(QStringLiteral("_dlq_reason"), QStringLiteral("database unavailable"));
        item.insert(QStringLiteral("_dlq_source"), QStringLiteral("alerter"));
        return QJsonDocument(item).toJson(QJsonDocument::Compact);
    }
};

// The embedded store's coordination, except that the first reads of
// remediation_interval fail as during a Redis outage.
class FailingConfigReads final : public queue::Coordination {
public:
    FailingConfigReads(queue::Coordination &inner, int failures) : m_inner(inner), m_failures(failures) { }

    Result<queue::CircuitDecision> circuitAcquire(
        const QString &name, const queue::CircuitPolicy &policy, qint64 nowMs) override
    {
        return m_inner.circuitAcquire(name, policy, nowMs);
    }
    Result<queue::CircuitRecordResult> circuitRecord(const QString &name, bool success, bool wasProbe,
        const queue::CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs) override
    {
        return m_inner.circuitRecord(name, success, wasProbe, policy, nowMs, sentAtMs);
    }
    Result<queue::CircuitStatus> circuitStatus(
        const QString &name, const queue::CircuitPolicy &policy, qint64 nowMs) override
    {
        return m_inner.circuitStatus(name, policy, nowMs);
    }
    Result<queue::CircuitRecordResult> circuitForce(const QString &name, queue::CircuitState state, qint64 untilMs,
        const QString &by, const QString &reason, qint64 nowMs) override
    {
        return m_inner.circuitForce(name, state, untilMs, by, reason, nowMs);
    }
    Result<queue::CircuitRecordResult> circuitReset(const QString &name, qint64 nowMs) override
    {
        return m_inner.circuitReset(name, nowMs);
    }
    Result<qint64> rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs) override
    {
        return m_inner.rateAcquire(key, limit, windowMs, nowMs);
    }
    Result<queue::UnhandledCount> countUnhandled(
        const QString &counterKey, qint64 threshold, qint64 windowSeconds) override
    {
        return m_inner.countUnhandled(counterKey, threshold, windowSeconds);
    }
    Result<std::optional<QString>> configValue(const QString &key) override
    {
        if (key == u"remediation_interval" && m_failures.fetch_sub(1) > 0)
            return makeError(ErrorCode::Unavailable, QStringLiteral("redis: unavailable (simulated outage)"));
        return m_inner.configValue(key);
    }
    Result<QHash<QString, QString>> allConfig() override { return m_inner.allConfig(); }
    Status setConfig(const QString &key, const QString &value) override { return m_inner.setConfig(key, value); }
    Status removeConfig(const QString &key) override { return m_inner.removeConfig(key); }
    void subscribeConfig(std::function<void(const QString &key)> onChange) override
    {
        m_inner.subscribeConfig(std::move(onChange));
    }

private:
    queue::Coordination &m_inner;
    std::atomic<int> m_failures;
};

}  // namespace

class TestRemediation : public QObject {
    Q_OBJECT

private slots:
    void replaysMoogDlq();
    void replaysAlerterDlq();
    void poisonGoesToDead();
    void rawWrapperGoesToDead();
    void replaysOldestFirst();
    void healthStatuses_data();
    void healthStatuses();
    void skipsWhenEndpointUnreachable();
    void skipsWhenEndpointHangs();
    void skipsWhenCircuitOpen();
    void replaysArePaced();
    void workerRunsAtStart();
    void newIntervalAppliesToWait();
    void intervalReadAgainAfterOutage();
};

void TestRemediation::replaysMoogDlq()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1), Fixture::moogDlqItem(2, 1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QVERIFY(report.replayRan);
    QVERIFY(report.moogHealthy);
    QCOMPARE(report.moogReplayed, 2);
    QCOMPARE(report.poisoned, 0);
    QCOMPARE(f.length(f.settings.moogDlq), 0);
    const QList<QJsonObject> queued = f.items(f.settings.alertQueue);
    QCOMPARE(queued.size(), 2);
    for (const QJsonObject &item : queued) {
        QCOMPARE(item.value(QStringLiteral("_moog_retry_count")).toInt(), 0);
        QVERIFY(!item.contains(QStringLiteral("_dlq_reason")));
        QVERIFY(!item.contains(QStringLiteral("_dlq_at")));
        QVERIFY(!item.contains(QStringLiteral("_dlq_last_status")));
        QVERIFY(!item.contains(QStringLiteral("_dlq_source")));
    }
    // Head first: corr-2 (replayed second, had _replay_count 1) then corr-1.
    QCOMPARE(queued.at(0).value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-2"));
    QCOMPARE(queued.at(0).value(QStringLiteral("_replay_count")).toInt(), 2);
    QCOMPARE(queued.at(1).value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-1"));
    QCOMPARE(queued.at(1).value(QStringLiteral("_replay_count")).toInt(), 1);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_replay_success_total")), 2.0);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_loops_total")), 1.0);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_moog_health")), 1.0);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_dlq_depth"), {{QStringLiteral("dlq_name"), f.settings.moogDlq}}),
        0.0);
    QCOMPARE(f.mock->received(), 0);
}

void TestRemediation::replaysAlerterDlq()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.push(f.settings.alerterDlq, {Fixture::alerterDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QCOMPARE(report.alerterReplayed, 1);
    QCOMPARE(f.length(f.settings.alerterDlq), 0);
    const QList<QJsonObject> queued = f.items(f.settings.ingestQueue);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().value(QStringLiteral("_retry_count")).toInt(), 0);
    QCOMPARE(queued.first().value(QStringLiteral("_replay_count")).toInt(), 1);
    QCOMPARE(queued.first().value(QStringLiteral("message")).toString(), QStringLiteral("disk full 1"));
    QVERIFY(!queued.first().contains(QStringLiteral("_dlq_reason")));
    QVERIFY(!queued.first().contains(QStringLiteral("_dlq_source")));
}

void TestRemediation::poisonGoesToDead()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1, 3)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QCOMPARE(report.poisoned, 1);
    QCOMPARE(report.moogReplayed, 0);
    QCOMPARE(f.length(f.settings.moogDlq), 0);
    QCOMPARE(f.length(f.settings.alertQueue), 0);
    const QList<QJsonObject> dead = f.items(f.settings.deadLetterQueue);
    QCOMPARE(dead.size(), 1);
    const QString reason = dead.first().value(QStringLiteral("_dlq_reason")).toString();
    QVERIFY2(reason.contains(QStringLiteral("MAX_POISON_RETRIES=3")), qPrintable(reason));
    QVERIFY2(reason.contains(QStringLiteral("last answer 503")), qPrintable(reason));
    QCOMPARE(dead.first().value(QStringLiteral("_dlq_source")).toString(), QStringLiteral("remediation"));
    QCOMPARE(dead.first().value(QStringLiteral("_replay_count")).toInt(), 3);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_poison_messages_total")), 1.0);
}

void TestRemediation::rawWrapperGoesToDead()
{
    Fixture f;
    QVERIFY(f.open());
    const QByteArray wrapper = R"({"_dlq_raw":"{broken","_dlq_reason":"invalid JSON","_dlq_source":"alerter"})";
    QVERIFY(f.push(f.settings.alerterDlq, {wrapper, QByteArray("not json at all")}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QCOMPARE(report.poisoned, 2);
    QCOMPARE(report.alerterReplayed, 0);
    QCOMPARE(f.length(f.settings.ingestQueue), 0);
    const QList<QJsonObject> dead = f.items(f.settings.deadLetterQueue);
    QCOMPARE(dead.size(), 2);
    QCOMPARE(dead.at(0).value(QStringLiteral("_dlq_raw")).toString(), QStringLiteral("not json at all"));
    QCOMPARE(dead.at(1).value(QStringLiteral("_dlq_raw")).toString(), QStringLiteral("{broken"));
    QVERIFY(dead.at(1).value(QStringLiteral("_dlq_reason")).toString().contains(QStringLiteral("cannot be repaired")));
}

void TestRemediation::replaysOldestFirst()
{
    Fixture f;
    QVERIFY(f.open());
    f.settings.remediationBatchSize = 3;
    QList<QByteArray> items;
    for (int i = 0; i < 5; ++i)
        items.append(Fixture::moogDlqItem(i));
    QVERIFY(f.push(f.settings.moogDlq, items));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QCOMPARE(report.moogReplayed, 3);
    const QList<QJsonObject> left = f.items(f.settings.moogDlq);
    QCOMPARE(left.size(), 2);
    QCOMPARE(left.at(0).value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-4"));
    QCOMPARE(left.at(1).value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-3"));
    const QList<QJsonObject> queued = f.items(f.settings.alertQueue);
    QCOMPARE(queued.size(), 3);
    QCOMPARE(queued.last().value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-0"));
}

void TestRemediation::healthStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("healthy");
    QTest::newRow("200") << 200 << true;
    QTest::newRow("401") << 401 << true;
    QTest::newRow("405") << 405 << true;
    QTest::newRow("500") << 500 << false;
    QTest::newRow("503") << 503 << false;
}

void TestRemediation::healthStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, healthy);
    Fixture f;
    QVERIFY(f.open());
    mockmoog::MockMode mode;
    mode.status = status;
    f.mock->setMode(mode);
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QCOMPARE(report.moogHealthy, healthy);
    QCOMPARE(report.replayRan, healthy);
    QCOMPARE(f.length(f.settings.moogDlq), healthy ? 0 : 1);
    QCOMPARE(f.metric(QStringLiteral("mutt_remediation_moog_health")), healthy ? 1.0 : 0.0);
    QCOMPARE(f.mock->received(), 0);  // the probe never posts an event
}

void TestRemediation::skipsWhenEndpointUnreachable()
{
    Fixture f;
    QVERIFY(f.open());
    f.mock->close();
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QVERIFY(!report.moogHealthy);
    QVERIFY(!report.replayRan);
    QVERIFY(report.skipReason.startsWith(QStringLiteral("Moogsoft endpoint unhealthy")));
    QCOMPARE(f.length(f.settings.moogDlq), 1);
}

void TestRemediation::skipsWhenEndpointHangs()
{
    Fixture f;
    QVERIFY(f.open());
    mockmoog::MockMode mode;
    mode.hang = true;
    f.mock->setMode(mode);
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QVERIFY(!report.moogHealthy);
    QVERIFY2(report.skipReason.contains(QStringLiteral("no response within 1000 ms")), qPrintable(report.skipReason));
    QCOMPARE(f.length(f.settings.moogDlq), 1);
}

void TestRemediation::skipsWhenCircuitOpen()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(f.store
                ->circuitForce(queue::keys::circuitName, queue::CircuitState::Open, now + 60'000,
                    QStringLiteral("tester"), QStringLiteral("maintenance window"), now)
                .ok());
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();

    QVERIFY(report.moogHealthy);
    QVERIFY(!report.replayRan);
    QVERIFY2(report.skipReason.contains(QStringLiteral("OPEN")), qPrintable(report.skipReason));
    QCOMPARE(f.length(f.settings.moogDlq), 1);
    QCOMPARE(f.length(f.settings.alertQueue), 0);
}

void TestRemediation::replaysArePaced()
{
    Fixture f;
    QVERIFY(f.open());
    f.settings.moogRateLimit = 2;
    f.settings.moogRatePeriod = 1;
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1), Fixture::moogDlqItem(2)}));
    // The forwarder has just used the whole window.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(f.store->rateAcquire(f.settings.moogRateLimitKey, 2, 1000, now).valueOr(-1), 0);
    QCOMPARE(f.store->rateAcquire(f.settings.moogRateLimitKey, 2, 1000, now).valueOr(-1), 0);
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    const remediation::RemediationReport report = worker.runOnce();
    const qint64 finishedAt = QDateTime::currentMSecsSinceEpoch();

    QCOMPARE(report.moogReplayed, 2);
    // The window frees its first slot 1 s after `now`. The wait is measured
    // from `now`, not from the call, so a slow start of the call does not
    // shorten it. NOTE: a start delayed by more than 1 s passes without
    // showing any wait.
    QVERIFY2(finishedAt - now >= 1000,
        qPrintable(QStringLiteral("replay done %1 ms after the window filled").arg(finishedAt - now)));
    QCOMPARE(f.length(f.settings.alertQueue), 2);
}

void TestRemediation::workerRunsAtStart()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));

    QVERIFY(worker.start().ok());
    QTRY_COMPARE_WITH_TIMEOUT(f.length(f.settings.alertQueue), 1, waitMs);
    QElapsedTimer stopping;
    stopping.start();
    worker.stop();

    QVERIFY(!worker.isRunning());
    QVERIFY(stopping.elapsed() < 5'000);
    QCOMPARE(f.length(f.settings.moogDlq), 0);
}

// A remediation_interval set while the worker waits moves the next cycle at
// once: from one hour after the first cycle to one second after it.
void TestRemediation::newIntervalAppliesToWait()
{
    Fixture f;
    QVERIFY(f.open());
    f.settings.remediationInterval = 3600;
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    remediation::Remediation worker(f.settings, *f.store, *f.store, f.registry, QStringLiteral("remediation-test"));
    QVERIFY(worker.start().ok());
    QTRY_COMPARE_WITH_TIMEOUT(f.length(f.settings.alertQueue), 1, waitMs);

    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(2)}));
    QVERIFY(f.store->setConfig(QStringLiteral("remediation_interval"), QStringLiteral("1")).ok());

    QTRY_COMPARE_WITH_TIMEOUT(f.length(f.settings.alertQueue), 2, waitMs);
    QCOMPARE(f.length(f.settings.moogDlq), 0);
    worker.stop();
}

// The stored interval is 1 s and REMEDIATION_INTERVAL an hour. A failed read
// of the stored interval must not make the worker wait the hour.
void TestRemediation::intervalReadAgainAfterOutage()
{
    Fixture f;
    QVERIFY(f.open());
    f.settings.remediationInterval = 3600;
    QVERIFY(f.store->setConfig(QStringLiteral("remediation_interval"), QStringLiteral("1")).ok());
    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(1)}));
    FailingConfigReads coordination(*f.store, 1);
    remediation::Remediation worker(f.settings, *f.store, coordination, f.registry, QStringLiteral("remediation-test"));
    QVERIFY(worker.start().ok());
    QTRY_COMPARE_WITH_TIMEOUT(f.length(f.settings.alertQueue), 1, waitMs);

    QVERIFY(f.push(f.settings.moogDlq, {Fixture::moogDlqItem(2)}));
    QTRY_COMPARE_WITH_TIMEOUT(f.length(f.settings.alertQueue), 2, waitMs);
    QCOMPARE(f.length(f.settings.moogDlq), 0);
    worker.stop();
}

QTEST_GUILESS_MAIN(TestRemediation)
#include "tst_remediation.moc"
