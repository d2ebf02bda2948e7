// Conformance of Coordination (circuit breaker, rate limit, unhandled
// counters, dynamic config): the same cases run against every backend.
#include "StoreFactory.h"

#include <QtTest>

#include <mutex>

using mutt::ErrorCode;
using mutt::queue::CircuitPermit;
using mutt::queue::CircuitPolicy;
using mutt::queue::CircuitState;
using mutt::queue::CircuitTransition;
using mutt::queue::Coordination;
using mutt::queue::Op;
using mutt::queue::QueueStore;
using mutt::queue::RateWindow;

namespace {

const QString kCircuit = QStringLiteral("test");
const CircuitPolicy kPolicy {3, 1000, 500};
constexpr qint64 kT0 = 1'700'000'000'000;

bool isTransition(const std::optional<CircuitTransition> &transition, CircuitState from, CircuitState to)
{
    return transition && transition->from == from && transition->to == to;
}

}  // namespace

class tst_QueueCoordination final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void circuitOpensAtThreshold();
    void circuitSuccessResetsFailures();
    void circuitDeniedWhileOpen();
    void circuitHalfOpenSingleProbe();
    void circuitProbeSuccessCloses();
    void circuitProbeFailureReopens();
    void circuitIgnoresFailureSentBeforeClose();
    void circuitProbeTimeoutAllowsNewProbe();
    void circuitForceOpenExpires();
    void circuitForceClosedExpires();
    void circuitForceRejectsBadInput();
    void circuitReset();
    void circuitKeysAsV25();
    void rateGrantsLimitPerWindow();
    void rateKeysIndependent();
    void rateClaimGrantsAndClaims();
    void rateClaimEmptySourceTakesNoGrant();
    void rateClaimRejectsBadInput();
    void unhandledFiresOncePerWindow();
    void unhandledLoweredThreshold();
    void configSetGetRemove();
    void configSubscribe();

private:
    // Opens the circuit with `threshold` failures at `at`.
    void openCircuit(qint64 at);

    mutt::test::StoreFactory m_factory;
    std::shared_ptr<QueueStore> m_store;
    std::shared_ptr<Coordination> m_coord;
};

void tst_QueueCoordination::init()
{
    if (const QString reason = m_factory.unavailableReason(); !reason.isEmpty())
        QSKIP(qPrintable(reason));
    auto opened = m_factory.open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    m_store = opened.value().store;
    m_coord = opened.value().coordination;
}

void tst_QueueCoordination::cleanup()
{
    m_coord.reset();
    m_store.reset();
}

void tst_QueueCoordination::openCircuit(qint64 at)
{
    for (int i = 0; i < kPolicy.failureThreshold; ++i)
        QVERIFY(m_coord->circuitRecord(kCircuit, false, false, kPolicy, at, 0).ok());
    QCOMPARE(m_coord->circuitStatus(kCircuit, kPolicy, at).value().state, CircuitState::Open);
}

void tst_QueueCoordination::circuitOpensAtThreshold()
{
    auto first = m_coord->circuitAcquire(kCircuit, kPolicy, kT0);
    QVERIFY(first.ok());
    QCOMPARE(first.value().permit, CircuitPermit::Allowed);
    QCOMPARE(first.value().status.state, CircuitState::Closed);

    for (int i = 1; i < kPolicy.failureThreshold; ++i) {
        auto report = m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0 + i, 0);
        QVERIFY(report.ok());
        QCOMPARE(report.value().status.state, CircuitState::Closed);
        QCOMPARE(report.value().status.failures, i);
        QVERIFY(!report.value().transition);
    }
    auto opening = m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0 + 10, 0);
    QVERIFY(opening.ok());
    QVERIFY(isTransition(opening.value().transition, CircuitState::Closed, CircuitState::Open));
    QCOMPARE(opening.value().status.state, CircuitState::Open);
    QCOMPARE(opening.value().status.openedAtMs, kT0 + 10);
    QCOMPARE(opening.value().status.nextProbeAtMs, kT0 + 10 + kPolicy.openMs);
}

void tst_QueueCoordination::circuitSuccessResetsFailures()
{
    QVERIFY(m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0, 0).ok());
    QVERIFY(m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0, 0).ok());
    auto success = m_coord->circuitRecord(kCircuit, true, false, kPolicy, kT0, 0);
    QCOMPARE(success.value().status.failures, 0);

    QVERIFY(m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0, 0).ok());
    QVERIFY(m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0, 0).ok());
    QCOMPARE(m_coord->circuitStatus(kCircuit, kPolicy, kT0).value().state, CircuitState::Closed);
}

void tst_QueueCoordination::circuitDeniedWhileOpen()
{
    openCircuit(kT0);

    auto denied = m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + 400);
    QVERIFY(denied.ok());
    QCOMPARE(denied.value().permit, CircuitPermit::Denied);
    QCOMPARE(denied.value().retryAfterMs, kPolicy.openMs - 400);
    QCOMPARE(denied.value().status.state, CircuitState::Open);

    // Reports while OPEN (requests sent before it opened) change nothing.
    auto late = m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0 + 500, 0);
    QVERIFY(!late.value().transition);
    QCOMPARE(late.value().status.openedAtMs, kT0);
}

void tst_QueueCoordination::circuitHalfOpenSingleProbe()
{
    openCircuit(kT0);

    QCOMPARE(m_coord->circuitStatus(kCircuit, kPolicy, kT0 + kPolicy.openMs).value().state, CircuitState::HalfOpen);
    auto probe = m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + kPolicy.openMs);
    QVERIFY(probe.ok());
    QCOMPARE(probe.value().permit, CircuitPermit::Probe);
    QVERIFY(isTransition(probe.value().transition, CircuitState::Open, CircuitState::HalfOpen));
    QVERIFY(probe.value().status.probeInFlight);

    auto second = m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + kPolicy.openMs + 100);
    QCOMPARE(second.value().permit, CircuitPermit::Denied);
    QCOMPARE(second.value().retryAfterMs, kPolicy.probeTimeoutMs - 100);
    QCOMPARE(second.value().status.state, CircuitState::HalfOpen);
    QVERIFY(!second.value().transition);

    // A non-probe report does not decide the probe.
    auto other = m_coord->circuitRecord(kCircuit, true, false, kPolicy, kT0 + kPolicy.openMs + 150, 0);
    QCOMPARE(other.value().status.state, CircuitState::HalfOpen);
}

void tst_QueueCoordination::circuitProbeSuccessCloses()
{
    openCircuit(kT0);
    const qint64 probeAt = kT0 + kPolicy.openMs;
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt).value().permit, CircuitPermit::Probe);

    auto closed = m_coord->circuitRecord(kCircuit, true, true, kPolicy, probeAt + 50, 0);
    QVERIFY(closed.ok());
    QVERIFY(isTransition(closed.value().transition, CircuitState::HalfOpen, CircuitState::Closed));
    QCOMPARE(closed.value().status.state, CircuitState::Closed);
    QCOMPARE(closed.value().status.failures, 0);
    QCOMPARE(closed.value().status.openedAtMs, 0);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt + 60).value().permit, CircuitPermit::Allowed);
}

// After a probe closed the circuit, a failure of a request sent before the
// probe (another worker's post that hung) does not count, but one sent after
// it does. The close time is shared through the store, like the state.
void tst_QueueCoordination::circuitIgnoresFailureSentBeforeClose()
{
    openCircuit(kT0);
    const qint64 probeAt = kT0 + kPolicy.openMs;
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt).value().permit, CircuitPermit::Probe);
    const qint64 closedAt = probeAt + 50;
    QVERIFY(m_coord->circuitRecord(kCircuit, true, true, kPolicy, closedAt, probeAt).ok());
    const QString closedKey = QStringLiteral("mutt:circuit_breaker:") + kCircuit + QStringLiteral(":closed_at");
    QCOMPARE(m_store->value(closedKey).value(), std::optional<QByteArray>(QByteArray::number(closedAt)));

    for (int i = 0; i < kPolicy.failureThreshold; ++i) {
        auto late = m_coord->circuitRecord(kCircuit, false, false, kPolicy, closedAt + 10 + i, kT0 - 100);
        QVERIFY(late.ok());
        QCOMPARE(late.value().status.state, CircuitState::Closed);
        QCOMPARE(late.value().status.failures, 0);
    }
    // Unknown send time (0): counted, as before the close time existed.
    QCOMPARE(m_coord->circuitRecord(kCircuit, false, false, kPolicy, closedAt + 20, 0).value().status.failures, 1);
    auto newer = m_coord->circuitRecord(kCircuit, false, false, kPolicy, closedAt + 30, closedAt + 1);
    QCOMPARE(newer.value().status.failures, 2);
}

void tst_QueueCoordination::circuitProbeFailureReopens()
{
    openCircuit(kT0);
    const qint64 probeAt = kT0 + kPolicy.openMs;
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt).value().permit, CircuitPermit::Probe);

    auto reopened = m_coord->circuitRecord(kCircuit, false, true, kPolicy, probeAt + 50, 0);
    QVERIFY(reopened.ok());
    QVERIFY(isTransition(reopened.value().transition, CircuitState::HalfOpen, CircuitState::Open));
    QCOMPARE(reopened.value().status.openedAtMs, probeAt + 50);

    auto denied = m_coord->circuitAcquire(kCircuit, kPolicy, probeAt + 60);
    QCOMPARE(denied.value().permit, CircuitPermit::Denied);
    QCOMPARE(denied.value().retryAfterMs, kPolicy.openMs - 10);
}

void tst_QueueCoordination::circuitProbeTimeoutAllowsNewProbe()
{
    openCircuit(kT0);
    const qint64 probeAt = kT0 + kPolicy.openMs;
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt).value().permit, CircuitPermit::Probe);

    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt + kPolicy.probeTimeoutMs - 1).value().permit,
        CircuitPermit::Denied);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt + kPolicy.probeTimeoutMs).value().permit,
        CircuitPermit::Probe);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, probeAt + kPolicy.probeTimeoutMs + 1).value().permit,
        CircuitPermit::Denied);
}

void tst_QueueCoordination::circuitForceOpenExpires()
{
    const qint64 until = kT0 + 5000;
    auto forced = m_coord->circuitForce(
        kCircuit, CircuitState::Open, until, QStringLiteral("alice"), QStringLiteral("maintenance"), kT0);
    QVERIFY(forced.ok());
    QVERIFY(isTransition(forced.value().transition, CircuitState::Closed, CircuitState::Open));
    QCOMPARE(forced.value().status.forcedBy, QStringLiteral("alice"));
    QCOMPARE(forced.value().status.forcedReason, QStringLiteral("maintenance"));
    QCOMPARE(forced.value().status.forcedUntilMs, until);

    // Pinned: the usual open time does not apply and reports change nothing.
    auto denied = m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + 2000);
    QCOMPARE(denied.value().permit, CircuitPermit::Denied);
    QCOMPARE(denied.value().retryAfterMs, 3000);
    QCOMPARE(denied.value().status.nextProbeAtMs, until);
    QVERIFY(!m_coord->circuitRecord(kCircuit, true, true, kPolicy, kT0 + 2100, 0).value().transition);

    auto after = m_coord->circuitAcquire(kCircuit, kPolicy, until);
    QCOMPARE(after.value().permit, CircuitPermit::Probe);
    QVERIFY(isTransition(after.value().transition, CircuitState::Open, CircuitState::HalfOpen));
    QCOMPARE(after.value().status.forcedUntilMs, 0);
    QVERIFY(after.value().status.forcedBy.isEmpty());
}

void tst_QueueCoordination::circuitForceClosedExpires()
{
    openCircuit(kT0);
    const qint64 until = kT0 + 2000;
    auto forced = m_coord->circuitForce(
        kCircuit, CircuitState::Closed, until, QStringLiteral("bob"), QStringLiteral("false alarm"), kT0 + 10);
    QVERIFY(isTransition(forced.value().transition, CircuitState::Open, CircuitState::Closed));

    for (int i = 0; i < kPolicy.failureThreshold + 2; ++i)
        QVERIFY(!m_coord->circuitRecord(kCircuit, false, false, kPolicy, kT0 + 100 + i, 0).value().transition);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + 200).value().permit, CircuitPermit::Allowed);

    QCOMPARE(m_coord->circuitStatus(kCircuit, kPolicy, until).value().state, CircuitState::Closed);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, until).value().permit, CircuitPermit::Allowed);
    openCircuit(until + 10);
}

void tst_QueueCoordination::circuitForceRejectsBadInput()
{
    auto halfOpen = m_coord->circuitForce(
        kCircuit, CircuitState::HalfOpen, kT0 + 1000, QStringLiteral("a"), QStringLiteral("r"), kT0);
    QVERIFY(!halfOpen.ok());
    QCOMPARE(halfOpen.error().code, ErrorCode::InvalidInput);

    auto past
        = m_coord->circuitForce(kCircuit, CircuitState::Open, kT0 - 1, QStringLiteral("a"), QStringLiteral("r"), kT0);
    QVERIFY(!past.ok());
    QCOMPARE(past.error().code, ErrorCode::InvalidInput);
    QCOMPARE(m_coord->circuitStatus(kCircuit, kPolicy, kT0).value().state, CircuitState::Closed);
}

void tst_QueueCoordination::circuitReset()
{
    openCircuit(kT0);
    auto reset = m_coord->circuitReset(kCircuit, kT0 + 10);
    QVERIFY(reset.ok());
    QVERIFY(isTransition(reset.value().transition, CircuitState::Open, CircuitState::Closed));
    QCOMPARE(reset.value().status.state, CircuitState::Closed);
    QCOMPARE(reset.value().status.failures, 0);

    QVERIFY(
        m_coord
            ->circuitForce(kCircuit, CircuitState::Open, kT0 + 9000, QStringLiteral("a"), QStringLiteral("r"), kT0 + 20)
            .ok());
    auto cleared = m_coord->circuitReset(kCircuit, kT0 + 30);
    QVERIFY(isTransition(cleared.value().transition, CircuitState::Open, CircuitState::Closed));
    QCOMPARE(cleared.value().status.forcedUntilMs, 0);
    QCOMPARE(m_coord->circuitAcquire(kCircuit, kPolicy, kT0 + 40).value().permit, CircuitPermit::Allowed);
    QVERIFY(!m_coord->circuitReset(kCircuit, kT0 + 50).value().transition);
}

void tst_QueueCoordination::circuitKeysAsV25()
{
    openCircuit(kT0);
    const QString base = QStringLiteral("mutt:circuit_breaker:") + kCircuit;
    QCOMPARE(m_store->value(base + QStringLiteral(":state")).value(), std::optional<QByteArray>("OPEN"));
    QCOMPARE(m_store->value(base + QStringLiteral(":failures")).value(), std::optional<QByteArray>("3"));
    const auto openTime = m_store->value(base + QStringLiteral(":open_time")).value();
    QVERIFY(openTime.has_value());
    QCOMPARE(qint64(openTime->toDouble() * 1000.0 + 0.5), kT0);

    // Other circuits are independent.
    QCOMPARE(m_coord->circuitAcquire(QStringLiteral("other"), kPolicy, kT0).value().permit, CircuitPermit::Allowed);
}

void tst_QueueCoordination::rateGrantsLimitPerWindow()
{
    const QString key = QStringLiteral("t:rate_limit:moog");
    const qint64 t = 10'000;
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t).value(), 0);
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 1).value(), 0);
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 2).value(), 0);
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 3).value(), 997);
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 999).value(), 1);
    // Denied attempts were not recorded: the oldest grant leaving frees a slot.
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 1000).value(), 0);
    QCOMPARE(m_coord->rateAcquire(key, 3, 1000, t + 1000).value(), 1);

    auto invalid = m_coord->rateAcquire(key, 0, 1000, t);
    QVERIFY(!invalid.ok());
    QCOMPARE(invalid.error().code, ErrorCode::InvalidInput);
}

void tst_QueueCoordination::rateKeysIndependent()
{
    QCOMPARE(m_coord->rateAcquire(QStringLiteral("t:rate:a"), 1, 1000, 5000).value(), 0);
    QCOMPARE(m_coord->rateAcquire(QStringLiteral("t:rate:b"), 1, 1000, 5000).value(), 0);
    QVERIFY(m_coord->rateAcquire(QStringLiteral("t:rate:a"), 1, 1000, 5000).value() > 0);
}

// claimRated(): the rate grants and the claim of one delivery round, in one
// atomic step.
void tst_QueueCoordination::rateClaimGrantsAndClaims()
{
    const QString source = QStringLiteral("t:alerts");
    const QString processing = QStringLiteral("t:processing:pod");
    const QString key = QStringLiteral("t:rate_limit:claim");
    const qint64 t = 20'000;
    QVERIFY(m_store->apply({Op::pushHead(source, {"a", "b", "c", "d", "e", "f"})}).ok());

    // Within the limit: as many as asked, oldest first.
    auto first = m_store->claimRated(source, processing, 3, RateWindow {key, 4, 1000, t});
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QCOMPARE(first.value().items, QList<QByteArray>({"a", "b", "c"}));
    QCOMPARE(first.value().waitMs, 0);

    // One grant left in the window: one item, and the wait until the oldest grant leaves.
    auto second = m_store->claimRated(source, processing, 3, RateWindow {key, 4, 1000, t + 10});
    QVERIFY(second.ok());
    QCOMPARE(second.value().items, QList<QByteArray>({"d"}));
    QCOMPARE(second.value().waitMs, 990);

    // None left: nothing is claimed.
    auto denied = m_store->claimRated(source, processing, 3, RateWindow {key, 4, 1000, t + 20});
    QVERIFY(denied.ok());
    QVERIFY(denied.value().items.isEmpty());
    QCOMPARE(denied.value().waitMs, 980);
    QCOMPARE(m_store->length(source).value(), 2);
    QCOMPARE(m_store->range(processing, 0, -1).value(), QList<QByteArray>({"d", "c", "b", "a"}));

    // The grants are those of rateAcquire(): the same window counts them.
    QCOMPARE(m_coord->rateAcquire(key, 4, 1000, t + 20).value(), 980);

    // A new window: grants only for the items that are there.
    auto rest = m_store->claimRated(source, processing, 10, RateWindow {key, 4, 1000, t + 1000});
    QVERIFY(rest.ok());
    QCOMPARE(rest.value().items, QList<QByteArray>({"e", "f"}));
    QCOMPARE(rest.value().waitMs, 0);
    QCOMPARE(m_coord->rateAcquire(key, 4, 1000, t + 1000).value(), 0);
    QCOMPARE(m_coord->rateAcquire(key, 4, 1000, t + 1000).value(), 10);
}

void tst_QueueCoordination::rateClaimEmptySourceTakesNoGrant()
{
    const QString key = QStringLiteral("t:rate_limit:empty");
    auto claimed = m_store->claimRated(
        QStringLiteral("t:empty"), QStringLiteral("t:processing:pod"), 5, RateWindow {key, 1, 1000, 30'000});
    QVERIFY(claimed.ok());
    QVERIFY(claimed.value().items.isEmpty());
    QCOMPARE(claimed.value().waitMs, 0);
    QCOMPARE(m_coord->rateAcquire(key, 1, 1000, 30'000).value(), 0);
}

void tst_QueueCoordination::rateClaimRejectsBadInput()
{
    const QString source = QStringLiteral("t:alerts");
    const QString processing = QStringLiteral("t:processing:pod");
    const RateWindow rate {QStringLiteral("t:rate_limit:bad"), 5, 1000, 40'000};
    QVERIFY(m_store->apply({Op::pushHead(source, {"a"})}).ok());

    for (const auto &claimed : {m_store->claimRated(source, processing, 0, rate),
             m_store->claimRated(source, source, 1, rate), m_store->claimRated(source, processing, 1, RateWindow {}),
             m_store->claimRated(source, processing, 1, RateWindow {rate.key, 0, 1000, 40'000}),
             m_store->claimRated(source, processing, 1, RateWindow {rate.key, 5, 0, 40'000})}) {
        QVERIFY(!claimed.ok());
        QCOMPARE(claimed.error().code, ErrorCode::InvalidInput);
    }
    QCOMPARE(m_store->length(source).value(), 1);
}

void tst_QueueCoordination::unhandledFiresOncePerWindow()
{
    const QString key = QStringLiteral("t:unhandled:host-1:0123456789abcdef");
    const auto count = [&] { return m_coord->countUnhandled(key, 3, 1).value(); };

    QCOMPARE(count().fire, false);
    QCOMPARE(count().fire, false);
    auto third = count();
    QCOMPARE(third.count, 3);
    QCOMPARE(third.fire, true);
    auto fourth = count();
    QCOMPARE(fourth.count, 4);
    QCOMPARE(fourth.fire, false);

    QTRY_COMPARE_WITH_TIMEOUT(m_store->counter(key).value(), 0, 10'000);
    QCOMPARE(count().count, 1);
    QCOMPARE(count().fire, false);
    QCOMPARE(count().fire, true);
}

void tst_QueueCoordination::unhandledLoweredThreshold()
{
    const QString key = QStringLiteral("t:unhandled:host-2:fedcba9876543210");
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(m_coord->countUnhandled(key, 10, 600).value().fire, false);

    auto lowered = m_coord->countUnhandled(key, 3, 600);
    QCOMPARE(lowered.value().count, 6);
    QCOMPARE(lowered.value().fire, true);
    QCOMPARE(m_coord->countUnhandled(key, 3, 600).value().fire, false);
    QCOMPARE(m_coord->countUnhandled(QStringLiteral("t:unhandled:host-3:00"), 1, 600).value().fire, true);
}

void tst_QueueCoordination::configSetGetRemove()
{
    QVERIFY(m_coord->setConfig(QStringLiteral("moog_rate_limit"), QStringLiteral("75")).ok());
    QVERIFY(m_coord->setConfig(QStringLiteral("unhandled_threshold"), QStringLiteral("50")).ok());
    QCOMPARE(
        m_coord->configValue(QStringLiteral("moog_rate_limit")).value(), std::optional<QString>(QStringLiteral("75")));
    QCOMPARE(m_coord->configValue(QStringLiteral("missing")).value(), std::nullopt);
    QCOMPARE(m_store->value(QStringLiteral("mutt:config:moog_rate_limit")).value(), std::optional<QByteArray>("75"));

    auto all = m_coord->allConfig();
    QVERIFY(all.ok());
    QCOMPARE(all.value().size(), 2);
    QCOMPARE(all.value().value(QStringLiteral("unhandled_threshold")), QStringLiteral("50"));

    QVERIFY(m_coord->removeConfig(QStringLiteral("moog_rate_limit")).ok());
    QCOMPARE(m_coord->configValue(QStringLiteral("moog_rate_limit")).value(), std::nullopt);
    QCOMPARE(m_coord->allConfig().value().size(), 1);
    QVERIFY(!m_coord->setConfig(QString(), QStringLiteral("x")).ok());
}

void tst_QueueCoordination::configSubscribe()
{
    std::mutex mutex;
    QStringList seen;
    QStringList valuesSeen;
    m_coord->subscribeConfig([&](const QString &key) {
        // A callback may read the store: the new value is visible.
        const auto current = m_coord->configValue(key);
        std::lock_guard lock(mutex);
        seen.append(key);
        valuesSeen.append(current.ok() ? current.value().value_or(QStringLiteral("<none>")) : QStringLiteral("<err>"));
    });
    const auto seenCount = [&] {
        std::lock_guard lock(mutex);
        return seen.size();
    };

    QVERIFY(m_coord->setConfig(QStringLiteral("alerter_queue_shed_threshold"), QStringLiteral("500")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(seenCount(), 1, 10'000);
    QVERIFY(m_coord->removeConfig(QStringLiteral("alerter_queue_shed_threshold")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(seenCount(), 2, 10'000);

    std::lock_guard lock(mutex);
    QCOMPARE(seen, QStringList(2, QStringLiteral("alerter_queue_shed_threshold")));
    QCOMPARE(valuesSeen, QStringList({QStringLiteral("500"), QStringLiteral("<none>")}));
}

QTEST_GUILESS_MAIN(tst_QueueCoordination)
#include "tst_queue_coordination.moc"
