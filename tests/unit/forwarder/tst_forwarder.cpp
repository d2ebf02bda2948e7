// Forwarder against the real embedded queue store and the real mock
// Moogsoft server on 127.0.0.1.

#include "ForwarderHarness.h"
#include "TestCertificates.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace mutt;
using fwdtest::Harness;

namespace {

constexpr int waitMs = 15'000;

mockmoog::MockMode modeWith(int status, int failNext = 0)
{
    mockmoog::MockMode mode;
    mode.status = status;
    mode.failNext = failNext;
    return mode;
}

// Returns a failing mode with Retry-After: 600, which keeps the alert in the
// retry schedule for ten minutes. The backoff alone has full jitter, so even
// a long base delay may retry within milliseconds.
mockmoog::MockMode heldFailure(int status)
{
    mockmoog::MockMode mode = modeWith(status);
    mode.retryAfter = "600";
    return mode;
}

metrics::Labels requestLabels(const char *status, const char *reason)
{
    return {
        {QStringLiteral("status"), QLatin1StringView(status)}, {QStringLiteral("reason"), QLatin1StringView(reason)}};
}

metrics::Labels statusLabel(const char *status)
{
    return {{QStringLiteral("status"), QLatin1StringView(status)}};
}

}  // namespace

class TestForwarder : public QObject {
    Q_OBJECT

private slots:
    void payloadCarriesMoogFields();
    void successStatuses_data();
    void successStatuses();
    void rejectGoesToDlq_data();
    void rejectGoesToDlq();
    void serverErrorIsRetried();
    void retryAfterIsHonoured();
    void hangingRequestTimesOut();
    void retriesExhaustedGoToDlq();
    void circuitOpensAndProbes();
    void failureReleasesQueuedPosts();
    void openingCircuitStopsClaimAhead();
    void olderSuccessKeepsFailureCount();
    void olderFailureKeepsCountCleared();
    void fleetOlderTimeoutKeepsClosed();
    void idleWorkerFollowsOverride();
    void rateLimitDelaysWithoutDropping();
    void requestsRunConcurrently();
    void closedConnectionIsReopened();
    void invalidJsonGoesToDlq();
    void janitorRecoversOrphans();
    void untrackedItemsReturned();
    void stopWaitsForAnswers();
    void stopReturnsUnansweredItems();
    void startRejectsBadUrl();
    void noUrlKeepsAlerts();
    void httpsWithCaFile();
    void httpsUntrustedGoesToDlq();
};

void TestForwarder::payloadCarriesMoogFields()
{
    Harness h;
    QVERIFY(h.open());
    QVERIFY(h.pushAlerts(1));
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    h.stopForwarder();

    const QList<mockmoog::RecordedRequest> requests = h.mock->requests();
    QCOMPARE(requests.size(), 1);
    const mockmoog::RecordedRequest &request = requests.first();
    QCOMPARE(request.path, QByteArray("/api/v1/events"));
    QVERIFY(request.hasAuthorization);
    QVERIFY(request.authorized);
    QCOMPARE(request.contentType, QByteArray("application/json"));

    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(body.value(QStringLiteral("signature")).toString(), QStringLiteral("sig-0"));
    QCOMPARE(body.value(QStringLiteral("source_id")).toString(), QStringLiteral("host-0"));
    QCOMPARE(body.value(QStringLiteral("external_id")).toString(), QStringLiteral("corr-0"));
    QCOMPARE(body.value(QStringLiteral("manager")).toString(), QStringLiteral("MUTT"));
    QCOMPARE(body.value(QStringLiteral("source")).toString(), QStringLiteral("MUTT Alerter"));
    QCOMPARE(body.value(QStringLiteral("class")).toString(), QStringLiteral("NETO"));
    QCOMPARE(body.value(QStringLiteral("agent")).toString(), QStringLiteral("MUTT Console " MUTT_VERSION));
    QCOMPARE(body.value(QStringLiteral("agent_location")).toString(), QStringLiteral("Alerter Service"));
    QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("Alert"));
    QCOMPARE(body.value(QStringLiteral("severity")).toInt(), 4);
    QCOMPARE(body.value(QStringLiteral("description")).toString(), QStringLiteral("link down on port 0"));
    const qint64 agentTime = body.value(QStringLiteral("agent_time")).toInteger();
    QVERIFY(agentTime >= before);
    QVERIFY(agentTime <= QDateTime::currentSecsSinceEpoch());
    const QJsonObject customInfo = body.value(QStringLiteral("custom_info")).toObject();
    QCOMPARE(customInfo.value(QStringLiteral("hostname")).toString(), QStringLiteral("host-0"));
    QCOMPARE(customInfo.value(QStringLiteral("syslog_severity")).toInt(), 3);

    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("success", "")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("success")), 1.0);
    QCOMPARE(h.length(h.processingList()), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::successStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("200") << 200;
    QTest::newRow("202") << 202;
    QTest::newRow("204") << 204;
}

void TestForwarder::successStatuses()
{
    QFETCH(int, status);
    Harness h;
    QVERIFY(h.start(modeWith(status), 3));

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 3, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 3);
    QCOMPARE(h.length(h.settings.moogDlq), 0);
    QCOMPARE(h.retryScheduled(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::rejectGoesToDlq_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("400") << 400;
    QTest::newRow("404") << 404;
    QTest::newRow("301") << 301;
}

void TestForwarder::rejectGoesToDlq()
{
    QFETCH(int, status);
    Harness h;
    mockmoog::MockMode mode = modeWith(status);
    mode.body = R"({"error":"field severity out of range"})";
    QVERIFY(h.start(mode, 1));

    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.moogDlq), 1, waitMs);
    h.stopForwarder();

    const QJsonObject entry = h.dlqEntries().first();
    const QString reason = entry.value(QStringLiteral("_dlq_reason")).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("Moogsoft answered %1: ").arg(status)), qPrintable(reason));
    QVERIFY2(reason.contains(QStringLiteral("field severity out of range")), qPrintable(reason));
    QCOMPARE(entry.value(QStringLiteral("_dlq_last_status")).toInt(), status);
    QCOMPARE(entry.value(QStringLiteral("_dlq_source")).toString(), QStringLiteral("forwarder"));
    QVERIFY(!entry.value(QStringLiteral("_dlq_at")).toString().isEmpty());
    QCOMPARE(entry.value(QStringLiteral("_correlation_id")).toString(), QStringLiteral("corr-0"));
    QCOMPARE(h.mock->received(), 1);
    QCOMPARE(h.forwarded(), qint64(0));
    QCOMPARE(h.retryScheduled(), 0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("dlq")), 1.0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::serverErrorIsRetried()
{
    Harness h;
    QVERIFY(h.start(modeWith(500, 1), 1));

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 2);
    QCOMPARE(h.mock->succeeded(), 1);
    QCOMPARE(h.mock->stats().value(QStringLiteral("signatures")).toObject().value(QStringLiteral("sig-0")).toInt(), 1);
    const QList<mockmoog::RecordedRequest> requests = h.mock->requests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).status, 500);
    QCOMPARE(requests.at(1).status, 200);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "http")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0);
    QCOMPARE(h.length(h.settings.moogDlq), 0);
    QCOMPARE(h.retryScheduled(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::retryAfterIsHonoured()
{
    Harness h;
    mockmoog::MockMode mode = modeWith(429, 1);
    mode.retryAfter = "1";
    QVERIFY(h.start(mode, 1));

    QTRY_COMPARE_WITH_TIMEOUT(h.retryScheduled(), 1, waitMs);
    const qint64 firstAnswerAt = h.mock->requests().first().receivedAtMs;
    const auto due = h.store->earliestDue(h.settings.moogRetrySet);
    QVERIFY(due.ok());
    QVERIFY(due.value().has_value());
    QVERIFY2(*due.value() >= firstAnswerAt + 1000,
        qPrintable(QStringLiteral("due %1 ms after the 429").arg(*due.value() - firstAnswerAt)));

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    h.stopForwarder();

    const QList<mockmoog::RecordedRequest> requests = h.mock->requests();
    QCOMPARE(requests.size(), 2);
    QVERIFY(requests.at(1).receivedAtMs - requests.at(0).receivedAtMs >= 1000);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "rate_limit")), 1.0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::hangingRequestTimesOut()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogWebhookTimeout = 1;
    mockmoog::MockMode mode;
    mode.hang = true;
    mode.failNext = 1;
    h.mock->setMode(mode);
    QVERIFY(h.pushAlerts(1));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 2);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "http")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::retriesExhaustedGoToDlq()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogMaxRetries = 2;
    h.mock->setMode(modeWith(503));
    QVERIFY(h.pushAlerts(1));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.moogDlq), 1, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 3);
    const QJsonObject entry = h.dlqEntries().first();
    QCOMPARE(entry.value(QStringLiteral("_dlq_reason")).toString(),
        QStringLiteral("retries exhausted after 3 attempts: last answer 503"));
    QCOMPARE(entry.value(QStringLiteral("_dlq_last_status")).toInt(), 503);
    QCOMPARE(entry.value(QStringLiteral("_dlq_source")).toString(), QStringLiteral("forwarder"));
    QCOMPARE(entry.value(QStringLiteral("_moog_retry_count")).toInt(), 2);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "retry_exhausted")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "http")), 3.0);
    QCOMPARE(h.retryScheduled(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// Three failures open the circuit. After the open period one probe goes
// out, fails and opens it again. The next probe gets a 200 and closes it.
// The mock switches from 503 to 200 by itself after the fourth post, so no
// step of the test has to land between two probes, which come only 1 s
// apart. What went out while the circuit was open is read from the mock's
// record after the run.
void TestForwarder::circuitOpensAndProbes()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.circuitBreakerThreshold = 3;
    h.settings.circuitBreakerTimeout = 1;
    h.settings.moogMaxInFlight = 1;
    h.settings.moogMaxRetries = 50;
    h.mock->setMode(modeWith(503, 4));
    QVERIFY(h.pushAlerts(5));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 5, waitMs);
    h.stopForwarder();

    // Three failed posts, one failed probe, one probe that closes the
    // circuit and then the four other alerts.
    const QList<mockmoog::RecordedRequest> requests = h.mock->requests();
    QCOMPARE(requests.size(), 9);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(requests.at(i).status, 503);
    for (int i = 4; i < requests.size(); ++i)
        QCOMPARE(requests.at(i).status, 200);

    // Nothing goes out while the circuit is open, so each probe arrives at
    // least CIRCUIT_BREAKER_TIMEOUT (1 s) after the failed post before it.
    // The breaker enforces this lower bound, so a slow machine only adds to it.
    for (int probe : {3, 4}) {
        const qint64 gapMs = requests.at(probe).receivedAtMs - requests.at(probe - 1).receivedAtMs;
        QVERIFY2(
            gapMs >= 1000, qPrintable(QStringLiteral("post %1 came %2 ms after the one before").arg(probe).arg(gapMs)));
    }
    // Alerts that came due while the circuit was open were held back, so no
    // retry was spent beyond the four failures.
    QVERIFY(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "circuit_open")) >= 1);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_requests_total"), requestLabels("fail", "http")), 4.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 4.0);

    const QJsonObject signatures = h.mock->stats().value(QStringLiteral("signatures")).toObject();
    QCOMPARE(signatures.size(), 5);
    for (auto it = signatures.constBegin(); it != signatures.constEnd(); ++it)
        QCOMPARE(it.value().toInt(), 1);
    QCOMPARE(
        h.metric(QStringLiteral("mutt_circuit_breaker_state"), {{QStringLiteral("name"), QStringLiteral("moogsoft")}}),
        0.0);
    const auto transitions = [&](const char *from, const char *to) {
        return h.metric(QStringLiteral("mutt_circuit_breaker_state_changes_total"),
            {{QStringLiteral("name"), QStringLiteral("moogsoft")},
                {QStringLiteral("from_state"), QLatin1StringView(from)},
                {QStringLiteral("to_state"), QLatin1StringView(to)}});
    };
    QCOMPARE(transitions("CLOSED", "OPEN"), 1.0);
    QCOMPARE(transitions("HALF_OPEN", "OPEN"), 1.0);
    QCOMPARE(transitions("HALF_OPEN", "CLOSED"), 1.0);
    QCOMPARE(h.length(h.settings.moogDlq), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// The client holds claimed posts beyond MOOG_MAX_IN_FLIGHT in its queue
// (claim-ahead). A failure that opens the circuit sends none of them: they go
// back to the alert queue unsent, with no retry spent.
void TestForwarder::failureReleasesQueuedPosts()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.circuitBreakerThreshold = 1;
    h.settings.circuitBreakerTimeout = 600;
    h.settings.moogMaxInFlight = 1;
    h.settings.moogMaxRetries = 50;
    h.mock->setMode(heldFailure(503));
    QVERIFY(h.pushAlerts(3));
    QVERIFY(h.startForwarder());

    // The first post failed and is scheduled for a retry; the queued one and
    // the third alert wait in the alert queue.
    QTRY_COMPARE_WITH_TIMEOUT(
        h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0, waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.processingList()), 0, waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.alertQueue) + h.retryScheduled(), 3, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 1);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_circuit_breaker_state"),
                 {{QStringLiteral("name"), QStringLiteral("moogsoft")}}),
        1.0);
    int unsent = 0;
    for (const QJsonObject &alert : h.items(h.settings.alertQueue))
        unsent += alert.contains(QStringLiteral("_moog_retry_count")) ? 0 : 1;
    QCOMPARE(unsent, 2);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// Posts beyond those on the wire wait in the client (claim-ahead) while the
// circuit is CLOSED. When the endpoint starts failing, none of them may go
// out beyond what a loop without claim-ahead sends. That loop sends one new
// post per response it gets while the circuit is CLOSED, and the new posts all
// fail. No success can follow them in send order, so the circuit opens at the
// latest when `threshold` of them have failed: at most maxInFlight +
// threshold - 1 new posts. Posts on the wire travel on several connections,
// so one may reach the mock before the switch and succeed while a post sent
// before it fails. Such a failure does not count. So either at most
// maxInFlight - 1 posts on the wire fail, or all fail, all count, and the
// circuit opens after `threshold` responses. Sending the queued posts (up to
// 8 x maxInFlight) would exceed both bounds.
void TestForwarder::openingCircuitStopsClaimAhead()
{
    constexpr int maxInFlight = 8;
    constexpr int threshold = 3;
    for (int round = 0; round < 12; ++round) {
        Harness h;
        QVERIFY(h.open());
        h.settings.moogMaxInFlight = maxInFlight;
        h.settings.circuitBreakerThreshold = threshold;
        h.settings.circuitBreakerTimeout = 600;  // no probe while the test looks
        h.settings.moogMaxRetries = 50;
        mockmoog::MockMode slow;
        slow.delayMs = 20;  // keeps every connection busy, so the client queues claimed posts
        h.mock->setMode(slow);
        QVERIFY(h.pushAlerts(400));
        QVERIFY(h.startForwarder());
        QTRY_VERIFY_WITH_TIMEOUT(h.forwarded() >= 40, waitMs);

        mockmoog::MockMode failing = heldFailure(503);
        failing.delayMs = 20;
        h.mock->setMode(failing);
        QTRY_COMPARE_WITH_TIMEOUT(h.metric(QStringLiteral("mutt_moog_circuit_breaker_state"),
                                      {{QStringLiteral("name"), QStringLiteral("moogsoft")}}),
            1.0, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(h.length(h.processingList()), 0, waitMs);
        h.stopForwarder();

        const qint64 failedPosts = h.mock->received() - h.forwarded();
        QVERIFY2(failedPosts <= maxInFlight + (maxInFlight - 1) + (threshold - 1),
            qPrintable(QStringLiteral("round %1: %2 posts failed").arg(round).arg(failedPosts)));
        QCOMPARE(h.length(h.settings.moogDlq), 0);
        QCOMPARE(h.accountedFor(), h.pushed);
    }
}

// Post A gets a 200 after 300 ms; post B, sent later, gets a 503 at
// once. A's success is older than B's failure, so the failure stays counted.
void TestForwarder::olderSuccessKeepsFailureCount()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogMaxInFlight = 2;
    h.settings.circuitBreakerThreshold = 5;
    h.settings.moogMaxRetries = 50;
    mockmoog::MockMode slow;
    slow.delayMs = 300;
    h.mock->setMode(slow);
    QVERIFY(h.pushAlerts(1));
    QVERIFY(h.startForwarder());
    QTRY_COMPARE_WITH_TIMEOUT(h.mock->received(), 1, waitMs);

    h.mock->setMode(heldFailure(503));
    QVERIFY(h.pushAlerts(1, 1));
    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.processingList()), 0, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 2);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0);
    QCOMPARE(h.metric(QStringLiteral("mutt_circuit_breaker_failures"),
                 {{QStringLiteral("name"), QStringLiteral("moogsoft")}}),
        1.0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// The mirror of olderSuccessKeepsFailureCount. Post A gets a 503 after
// 300 ms, and post B, sent later, gets a 200 at once. A's failure is older
// than B's success, so it is not counted, because in send order the newest
// post succeeded.
void TestForwarder::olderFailureKeepsCountCleared()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogMaxInFlight = 2;
    h.settings.circuitBreakerThreshold = 5;
    h.settings.moogMaxRetries = 50;
    mockmoog::MockMode slowFailure = heldFailure(503);
    slowFailure.delayMs = 300;
    h.mock->setMode(slowFailure);
    QVERIFY(h.pushAlerts(1));
    QVERIFY(h.startForwarder());
    QTRY_COMPARE_WITH_TIMEOUT(h.mock->received(), 1, waitMs);

    h.mock->setMode(modeWith(200));
    QVERIFY(h.pushAlerts(1, 1));
    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(
        h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 1.0, waitMs);
    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.processingList()), 0, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 2);
    const queue::CircuitPolicy policy {5, 1000, 30'000};
    const auto circuit = h.store->circuitStatus(queue::keys::circuitName, policy, QDateTime::currentMSecsSinceEpoch());
    QVERIFY(circuit);
    QCOMPARE(circuit.value().failures, 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// Two forwarders share the circuit. Forwarder B's only post hangs. A's post
// gets a 503 that opens the circuit, and A's probe closes it once Moogsoft
// returns 200. Then B's post times out. It went out before the probe, so in
// send order a success follows it, and it must not open the circuit again.
// Post ids order the posts of one forwarder only; the breaker compares B's
// send time with the time A's probe closed the circuit.
void TestForwarder::fleetOlderTimeoutKeepsClosed()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.circuitBreakerThreshold = 1;
    h.settings.circuitBreakerTimeout = 1;
    h.settings.moogMaxRetries = 50;
    const queue::CircuitPolicy policy {1, 1000, 30'000};
    const auto circuitState = [&] {
        const auto status
            = h.store->circuitStatus(queue::keys::circuitName, policy, QDateTime::currentMSecsSinceEpoch());
        return status ? status.value().state : queue::CircuitState::HalfOpen;
    };

    // B sends one post at a time and claims no more ahead (a limit of one
    // alert per period leaves it no headroom). With no retries, its failed
    // post goes to the DLQ, where the test can wait for it.
    config::Settings settingsB = h.settings;
    settingsB.podName = QStringLiteral("forwarder-b");
    settingsB.moogMaxInFlight = 1;
    settingsB.moogRateLimit = 1;
    // B's post must time out after A's probe has closed the circuit, which
    // takes A's first post plus the 1 s open period. 10 s leaves room for a
    // test thread that runs seconds late on a loaded machine.
    settingsB.moogWebhookTimeout = 10;
    settingsB.moogMaxRetries = 0;
    mockmoog::MockMode hang;
    hang.hang = true;
    h.mock->setMode(hang);
    QVERIFY(h.pushAlerts(1));
    metrics::MetricsRegistry registryB;
    forwarder::Forwarder forwarderB(settingsB, *h.store, *h.store, registryB, settingsB.podName);
    QVERIFY(forwarderB.start().ok());
    QTRY_COMPARE_WITH_TIMEOUT(h.mock->received(), 1, waitMs);

    h.mock->setMode(heldFailure(503));
    QVERIFY(h.pushAlerts(1, 1));
    QVERIFY(h.startForwarder());
    QTRY_COMPARE_WITH_TIMEOUT(circuitState(), queue::CircuitState::Open, waitMs);

    h.mock->setMode(modeWith(200));
    QVERIFY(h.pushAlerts(1, 2));
    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);
    QCOMPARE(circuitState(), queue::CircuitState::Closed);

    // B's post times out and goes to the DLQ. A's failed one waits in the
    // retry schedule.
    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.moogDlq), 1, waitMs);
    forwarderB.stop();
    h.stopForwarder();

    QCOMPARE(circuitState(), queue::CircuitState::Closed);
    QCOMPARE(h.retryScheduled(), 1);
    QCOMPARE(h.mock->received(), 3);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// A forwarder with nothing to send still follows an operator's override:
// its circuit gauge shows OPEN, then CLOSED again after the reset.
void TestForwarder::idleWorkerFollowsOverride()
{
    Harness h;
    QVERIFY(h.open());
    QVERIFY(h.startForwarder());
    const auto gauge = [&] {
        return h.metric(
            QStringLiteral("mutt_moog_circuit_breaker_state"), {{QStringLiteral("name"), QStringLiteral("moogsoft")}});
    };
    QTRY_COMPARE_WITH_TIMEOUT(gauge(), 0.0, waitMs);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(h.store
                ->circuitForce(queue::keys::circuitName, queue::CircuitState::Open, now + 600'000,
                    QStringLiteral("test"), QStringLiteral("maintenance"), now)
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(gauge(), 1.0, waitMs);

    QVERIFY(h.store->circuitReset(queue::keys::circuitName, QDateTime::currentMSecsSinceEpoch()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(gauge(), 0.0, waitMs);
    h.stopForwarder();
    QCOMPARE(h.mock->received(), 0);
}

void TestForwarder::rateLimitDelaysWithoutDropping()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogRateLimit = 5;
    h.settings.moogRatePeriod = 1;
    QVERIFY(h.pushAlerts(20));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 20, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 20);
    QCOMPARE(h.mock->stats().value(QStringLiteral("signatures")).toObject().size(), 20);
    QVERIFY(h.metric(QStringLiteral("mutt_moog_rate_limit_hits_total")) > 0);
    QCOMPARE(h.length(h.settings.moogDlq), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// The webhook drops its keep-alive connections between two alerts. The
// second alert goes out on a new connection and is delivered without a retry.
void TestForwarder::closedConnectionIsReopened()
{
    Harness h;
    QVERIFY(h.start(modeWith(200), 1));
    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 1, waitMs);

    const quint16 port = h.mock->port();
    h.mock->close();
    QVERIFY(h.mock->listen(QHostAddress::LocalHost, port).ok());
    QVERIFY(h.pushAlerts(1, 1));
    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 2, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->succeeded(), 2);
    QCOMPARE(h.metric(QStringLiteral("mutt_moog_alerts_processed_total"), statusLabel("error")), 0.0);
    QCOMPARE(h.retryScheduled(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::requestsRunConcurrently()
{
    Harness h;
    mockmoog::MockMode mode;
    mode.delayMs = 200;
    QVERIFY(h.start(mode, 16));

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 16, waitMs);
    h.stopForwarder();

    // Each post waits 200 ms at the mock, so the 16 alerts claimed together
    // overlap there. Seeing at least half at once shows they do not go one by one.
    const int concurrent = h.mock->maxConcurrent();
    qInfo("max concurrent posts at the mock: %d", concurrent);
    QVERIFY2(concurrent >= 8, qPrintable(QStringLiteral("max concurrent posts %1").arg(concurrent)));
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::invalidJsonGoesToDlq()
{
    Harness h;
    QVERIFY(h.open());
    QVERIFY(h.store->apply({queue::Op::pushHead(h.settings.alertQueue, {QByteArray("{not json")})}).ok());
    h.pushed = 1;
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.moogDlq), 1, waitMs);
    h.stopForwarder();

    const QJsonObject entry = h.dlqEntries().first();
    QCOMPARE(entry.value(QStringLiteral("_dlq_raw")).toString(), QStringLiteral("{not json"));
    QCOMPARE(entry.value(QStringLiteral("_dlq_last_status")).toInt(), 0);
    QVERIFY(
        entry.value(QStringLiteral("_dlq_reason")).toString().startsWith(QStringLiteral("alert is not a JSON object")));
    QCOMPARE(h.mock->received(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::janitorRecoversOrphans()
{
    Harness h;
    QVERIFY(h.open());
    const QString orphan = h.settings.moogProcessingPrefix + QStringLiteral(":crashed-pod");
    QVERIFY(h.store->apply({queue::Op::pushHead(orphan, {Harness::alertJson(1), Harness::alertJson(2)})}).ok());
    h.pushed = 2;
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 2, waitMs);
    h.stopForwarder();

    QCOMPARE(h.length(orphan), 0);
    QCOMPARE(h.mock->received(), 2);
    QCOMPARE(h.accountedFor() + h.length(orphan), h.pushed);
}

// Alerts in the running forwarder's own processing list that it does not
// track, as after a Redis restart that lost an acknowledged LREM, go back to
// the alert queue and are delivered.
void TestForwarder::untrackedItemsReturned()
{
    Harness h;
    QVERIFY(h.open());
    QVERIFY(h.startForwarder());
    QVERIFY(h.push(h.processingList(), {Harness::alertJson(1), Harness::alertJson(2)}));
    h.pushed = 2;

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 2, waitMs);
    h.stopForwarder();

    QCOMPARE(h.length(h.processingList()), 0);
    QCOMPARE(h.mock->received(), 2);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::stopWaitsForAnswers()
{
    Harness h;
    mockmoog::MockMode mode;
    mode.delayMs = 500;
    QVERIFY(h.start(mode, 5));

    QTRY_COMPARE_WITH_TIMEOUT(h.mock->received(), 5, waitMs);
    h.stopForwarder();

    QCOMPARE(h.forwarded(), 5);
    QCOMPARE(h.length(h.processingList()), 0);
    QCOMPARE(h.length(h.settings.alertQueue), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

// Posts that never get a response are abandoned at the drain deadline of
// stop() (8 s), and their alerts go back to the queue. The webhook timeout
// is 10 minutes, so a stop that waited for the posts to time out would
// take that long. The 60 s bound separates the two with room to spare
// on a loaded machine, where the 8 s drain alone leaves little below 10 s.
void TestForwarder::stopReturnsUnansweredItems()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogWebhookTimeout = 600;
    mockmoog::MockMode mode;
    mode.hang = true;
    h.mock->setMode(mode);
    QVERIFY(h.pushAlerts(3));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.mock->received(), 3, waitMs);
    QElapsedTimer stopping;
    stopping.start();
    h.stopForwarder();
    QVERIFY2(stopping.elapsed() < 60'000, qPrintable(QStringLiteral("stop took %1 ms").arg(stopping.elapsed())));

    QCOMPARE(h.length(h.settings.alertQueue), 3);
    QCOMPARE(h.length(h.processingList()), 0);
    QCOMPARE(h.forwarded(), qint64(0));
    const auto heartbeat = h.store->value(h.settings.moogHeartbeatPrefix + u':' + fwdtest::podName);
    QVERIFY(heartbeat.ok());
    QVERIFY(!heartbeat.value().has_value());
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::startRejectsBadUrl()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogWebhookUrl = QStringLiteral("moog.example.com/events");
    forwarder::Forwarder forwarder(h.settings, *h.store, *h.store, h.registry, fwdtest::podName);

    const Status started = forwarder.start();
    QVERIFY(!started.ok());
    QCOMPARE(started.error().code, ErrorCode::InvalidInput);
    QVERIFY(started.error().message.contains(QStringLiteral("MOOG_WEBHOOK_URL")));
    QVERIFY(!forwarder.isRunning());
}

void TestForwarder::noUrlKeepsAlerts()
{
    Harness h;
    QVERIFY(h.open());
    h.settings.moogWebhookUrl.clear();
    QVERIFY(h.pushAlerts(3));

    QVERIFY(h.startForwarder());

    QVERIFY(!h.forwarder->webhookConfigured());
    QVERIFY(!h.forwarder->isRunning());
    QCOMPARE(h.length(h.settings.alertQueue), qint64(3));
    QCOMPARE(h.forwarded(), qint64(0));
    QCOMPARE(h.length(h.processingList()), qint64(0));
    h.stopForwarder();
    QCOMPARE(h.length(h.settings.alertQueue), qint64(3));
}

void TestForwarder::httpsWithCaFile()
{
    QTemporaryDir certDir;
    mutt::test::TestCertificates certs;
    QCOMPARE(certs.make(certDir.path()), QString());
    Harness h;
    QVERIFY(h.open(certs.serverCert, certs.serverKey));
    QVERIFY(h.settings.moogWebhookUrl.startsWith(QStringLiteral("https://")));
    h.settings.moogCaFile = certs.caCert;
    QVERIFY(h.pushAlerts(3));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.forwarded(), 3, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 3);
    QVERIFY(h.mock->requests().first().authorized);
    QCOMPARE(h.accountedFor(), h.pushed);
}

void TestForwarder::httpsUntrustedGoesToDlq()
{
    QTemporaryDir certDir;
    mutt::test::TestCertificates certs;
    QCOMPARE(certs.make(certDir.path()), QString());
    Harness h;
    QVERIFY(h.open(certs.serverCert, certs.serverKey));
    h.settings.moogMaxRetries = 0;  // the certificate is not trusted: no CA file
    QVERIFY(h.pushAlerts(1));
    QVERIFY(h.startForwarder());

    QTRY_COMPARE_WITH_TIMEOUT(h.length(h.settings.moogDlq), 1, waitMs);
    h.stopForwarder();

    QCOMPARE(h.mock->received(), 0);
    const QJsonObject entry = h.dlqEntries().first();
    const QString reason = entry.value(QStringLiteral("_dlq_reason")).toString();
    QVERIFY2(
        reason.startsWith(QStringLiteral("retries exhausted after 1 attempt: last answer none (")), qPrintable(reason));
    QCOMPARE(entry.value(QStringLiteral("_dlq_last_status")).toInt(), 0);
    QCOMPARE(h.accountedFor(), h.pushed);
}

QTEST_GUILESS_MAIN(TestForwarder)
#include "tst_forwarder.moc"
