// Moogsoft outages seen from outside: muttd with every role, the mock
// receiver switched between failure modes. Alerts wait while the circuit is
// open, non-retryable answers go to the DLQ, remediation replays them once
// Moogsoft is healthy again, and in the end every alert is delivered.

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

QByteArray errorEvents(const QString &prefix, int count)
{
    QByteArray ndjson;
    for (int i = 0; i < count; ++i) {
        ndjson += QStringLiteral(
            R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"%1-%2","message":"ERROR %1 event %2"})")
                      .arg(prefix)
                      .arg(i)
                      .toUtf8();
        ndjson += '\n';
    }
    return ndjson;
}

}  // namespace

class TestMoogOutage final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void circuitOpensAndAlertsWait();
    void restartWhileOpenWarns();
    void circuitClosesAndDelivers();
    void rejectedAlertsReplayedByRemediation();
    void wrongKeyShownOnHealth();

private:
    [[nodiscard]] QJsonObject conservation() const;
    [[nodiscard]] QString circuitState() const;
    [[nodiscard]] qint64 queueDepth(const QString &name) const;
    [[nodiscard]] HttpReply forwarderHealth() const;
    [[nodiscard]] QString forwarderCheck(const QString &name) const;

    QTemporaryDir m_dir;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_muttd;
};

void TestMoogOutage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_moog.start(), "mutt-mock-moog did not start");

    m_muttd = std::make_unique<MuttdProcess>(m_dir.path());
    m_muttd->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    m_muttd->setEnv(QStringLiteral("MUTT_EMBEDDED_SYNC"), QStringLiteral("normal"));
    m_muttd->setEnv(QStringLiteral("CIRCUIT_BREAKER_THRESHOLD"), QStringLiteral("3"));
    m_muttd->setEnv(QStringLiteral("CIRCUIT_BREAKER_TIMEOUT"), QStringLiteral("2"));
    m_muttd->setEnv(QStringLiteral("MOOG_RETRY_BASE_DELAY"), QStringLiteral("0.1"));
    m_muttd->setEnv(QStringLiteral("MOOG_RETRY_MAX_DELAY"), QStringLiteral("0.5"));
    m_muttd->setEnv(QStringLiteral("MOOG_MAX_RETRIES"), QStringLiteral("50"));
    m_muttd->setEnv(QStringLiteral("REMEDIATION_INTERVAL"), QStringLiteral("1"));
    m_muttd->setEnv(QStringLiteral("REMEDIATION_BATCH_SIZE"), QStringLiteral("100"));

    QString output;
    const int imported = m_muttd->importSeedRules(&output);
    QVERIFY2(imported == 0, qPrintable(output));
    QVERIFY(m_muttd->start());
    QVERIFY2(m_muttd->waitHealthy(), m_muttd->output().constData());
}

void TestMoogOutage::cleanupTestCase()
{
    if (m_muttd)
        m_muttd->terminate();
    m_moog.stop();
}

QJsonObject TestMoogOutage::conservation() const
{
    return m_muttd->status().value(QStringLiteral("conservation")).toObject();
}

QString TestMoogOutage::circuitState() const
{
    return m_muttd->status().value(QStringLiteral("circuit")).toObject().value(QStringLiteral("state")).toString();
}

HttpReply TestMoogOutage::forwarderHealth() const
{
    return httpGet(QStringLiteral("http://127.0.0.1:%1/health").arg(m_muttd->port(QStringLiteral("HEALTH_PORT_MOOG"))));
}

QString TestMoogOutage::forwarderCheck(const QString &name) const
{
    return forwarderHealth().json().value(QStringLiteral("checks")).toObject().value(name).toString();
}

qint64 TestMoogOutage::queueDepth(const QString &name) const
{
    const QJsonArray queues = m_muttd->status().value(QStringLiteral("queues")).toArray();
    for (const QJsonValue &value : queues) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return qint64(value.toObject().value(QStringLiteral("depth")).toDouble());
    }
    return 0;
}

void TestMoogOutage::circuitOpensAndAlertsWait()
{
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 503}}));
    const HttpReply reply = m_muttd->postEvents(errorEvents(QStringLiteral("outage"), 20), "application/x-ndjson");
    QCOMPARE(reply.status, 200);

    QTRY_COMPARE_WITH_TIMEOUT(circuitState(), QStringLiteral("OPEN"), 30'000);
    // While the circuit is open the alerts wait in the alert queue, the retry
    // set or a processing list; none is dropped and none reaches a DLQ.
    QTRY_COMPARE_WITH_TIMEOUT(qint64(conservation().value(QStringLiteral("in_flight")).toDouble()), 20, 30'000);
    QCOMPARE(qint64(conservation().value(QStringLiteral("forwarded")).toDouble()), 0);
    QCOMPARE(qint64(conservation().value(QStringLiteral("in_dlq")).toDouble()), 0);
    QCOMPARE(qint64(conservation().value(QStringLiteral("difference")).toDouble()), 0);

    // The forwarder's /health names the open circuit but stays 200, as in
    // MUTT v2.5: restarting the forwarder would not bring Moogsoft back.
    QTRY_COMPARE_WITH_TIMEOUT(forwarderCheck(QStringLiteral("circuit")), QStringLiteral("open"), 30'000);
    const HttpReply health = forwarderHealth();
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("healthy"));

    // The change to OPEN is logged as a warning with the queues the alerts
    // wait in and the time of the next probe. muttd writes the line after it
    // stores the new state, and the test reads muttd's output only while it
    // runs an event loop, so the test can see OPEN before the line reaches it.
    static const QRegularExpression probe(QStringLiteral(
        R"(next probe at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in [0-9]+ s, CIRCUIT_BREAKER_TIMEOUT\))"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        probe.match(QString::fromUtf8(m_muttd->output())).hasMatch(), m_muttd->output().constData(), 10'000);
    QVERIFY2(m_muttd->output().contains("warning [forwarder] circuit breaker changed name=moogsoft from=CLOSED to=OPEN "
                                        "failures=3; no alerts are sent to Moogsoft, they wait in mutt:alert_queue "
                                        "and mutt:retry:moog; next probe at "),
        m_muttd->output().constData());
}

void TestMoogOutage::restartWhileOpenWarns()
{
    // The breaker outlives the process, so the restarted forwarder sends
    // nothing until the probe and logs a warning about it at start.
    QCOMPARE(m_muttd->terminate(), 0);
    QVERIFY(m_muttd->start());
    QVERIFY2(m_muttd->waitHealthy(), m_muttd->output().constData());

    static const QRegularExpression atStart(QStringLiteral(
        R"(warning \[forwarder\] circuit breaker is (OPEN|HALF_OPEN) at start name=moogsoft failures=\d+; no alerts )"
        R"(are sent to Moogsoft, they wait in mutt:alert_queue and mutt:retry:moog; .*an operator ends it with POST )"
        R"(/api/v2/circuit/reset once Moogsoft answers)"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        atStart.match(QString::fromUtf8(m_muttd->output())).hasMatch(), m_muttd->output().constData(), 10'000);
    QCOMPARE(qint64(conservation().value(QStringLiteral("difference")).toDouble()), 0);
}

void TestMoogOutage::circuitClosesAndDelivers()
{
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 200}}));
    QTRY_COMPARE_WITH_TIMEOUT(circuitState(), QStringLiteral("CLOSED"), 30'000);
    QCOMPARE(forwarderCheck(QStringLiteral("circuit")), QStringLiteral("ok"));
    // As with the change to OPEN, the test can see CLOSED before the log
    // line reaches it.
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_muttd->output().contains("info  [forwarder] circuit breaker changed name=moogsoft from=HALF_OPEN to=CLOSED"),
        m_muttd->output().constData(), 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(conservation().value(QStringLiteral("forwarded")).toDouble()), 20, 60'000);
    QCOMPARE(qint64(conservation().value(QStringLiteral("in_flight")).toDouble()), 0);
    QCOMPARE(qint64(conservation().value(QStringLiteral("difference")).toDouble()), 0);
}

void TestMoogOutage::rejectedAlertsReplayedByRemediation()
{
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 400}, {QStringLiteral("fail_next"), 10}}));
    const HttpReply reply = m_muttd->postEvents(errorEvents(QStringLiteral("rejected"), 10), "application/x-ndjson");
    QCOMPARE(reply.status, 200);

    // The first ten answers are 400: each alert lands in mutt:dlq:moog, then
    // remediation replays them against the now healthy receiver.
    QTRY_COMPARE_WITH_TIMEOUT(qint64(conservation().value(QStringLiteral("forwarded")).toDouble()), 30, 90'000);
    QCOMPARE(queueDepth(QStringLiteral("mutt:dlq:moog")), 0);
    QCOMPARE(qint64(conservation().value(QStringLiteral("in_dlq")).toDouble()), 0);
    QCOMPARE(qint64(conservation().value(QStringLiteral("difference")).toDouble()), 0);
}

void TestMoogOutage::wrongKeyShownOnHealth()
{
    QCOMPARE(forwarderCheck(QStringLiteral("moog_auth")), QStringLiteral("ok"));

    // 401 sends the alert to the DLQ without opening the circuit, so /health
    // names it, and stays 200: restarting the forwarder would not fix a key.
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 401}}));
    QCOMPARE(m_muttd->postEvents(errorEvents(QStringLiteral("wrong-key"), 1), "application/x-ndjson").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(
        forwarderCheck(QStringLiteral("moog_auth")).startsWith(QStringLiteral("rejected: Moogsoft answered 401 at ")),
        30'000);
    QVERIFY2(forwarderCheck(QStringLiteral("moog_auth"))
                 .endsWith(QStringLiteral("alerts go to mutt:dlq:moog, check "
                                          "MOOG_API_KEY")),
        qPrintable(forwarderCheck(QStringLiteral("moog_auth"))));
    QCOMPARE(forwarderHealth().status, 200);
    QCOMPARE(forwarderCheck(QStringLiteral("circuit")), QStringLiteral("ok"));
    // The status route, which the console's roles table reads, carries it too.
    const QJsonArray roles = m_muttd->status().value(QStringLiteral("roles")).toArray();
    bool shown = false;
    for (const QJsonValue &role : roles) {
        const QJsonObject object = role.toObject();
        if (object.value(QStringLiteral("role")).toString() == QStringLiteral("forwarder")) {
            QVERIFY(object.value(QStringLiteral("healthy")).toBool());
            shown = object.value(QStringLiteral("detail"))
                        .toString()
                        .startsWith(QStringLiteral("moog_auth: rejected: Moogsoft answered 401"));
        }
    }
    QVERIFY2(shown, qPrintable(QString::fromUtf8(QJsonDocument(roles).toJson(QJsonDocument::Compact))));

    // The next delivered alert clears it.
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 200}}));
    QCOMPARE(m_muttd->postEvents(errorEvents(QStringLiteral("right-key"), 1), "application/x-ndjson").status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(forwarderCheck(QStringLiteral("moog_auth")), QStringLiteral("ok"), 30'000);
}

QTEST_GUILESS_MAIN(TestMoogOutage)
#include "tst_moogoutage.moc"
