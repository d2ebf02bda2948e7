// Moogsoft answering 503 for a while, muttd on its own Redis and
// PostgreSQL. The circuit opens (metric and Redis keys), alerts wait and
// are retried, rejected ones go to the Moogsoft DLQ with a reason,
// remediation replays them after recovery, and every alert is delivered
// exactly once.

#include "OutageBed.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using namespace mutt::itest;

namespace {

// The value of an unlabelled-or-single-labelled gauge in Prometheus text; -1
// when absent.
double metricValue(const QByteArray &text, const QString &name)
{
    const QRegularExpression line(
        QStringLiteral("^%1(\\{[^}]*\\})? ([0-9.eE+-]+)$").arg(name), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromUtf8(text));
    return match.hasMatch() ? match.captured(2).toDouble() : -1;
}

}  // namespace

class TestMoogProdOutage final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void circuitOpens();
    void rejectedGoToDlq();
    void recoveryDeliversOnce();
    void cleanupTestCase();

private:
    [[nodiscard]] double circuitMetric() const;
    [[nodiscard]] QString circuitKey() const;

    std::unique_ptr<OutageBed> m_bed;
};

void TestMoogProdOutage::initTestCase()
{
    m_bed = std::make_unique<OutageBed>();
    const QString servers = m_bed->startServers();
    if (servers.contains(QStringLiteral("not installed")))
        QSKIP(qPrintable(servers));
    QVERIFY2(servers.isEmpty(), qPrintable(servers));
    const QString muttd = m_bed->startMuttd();
    QVERIFY2(muttd.isEmpty(), qPrintable(muttd));
}

void TestMoogProdOutage::cleanupTestCase()
{
    m_bed.reset();
}

double TestMoogProdOutage::circuitMetric() const
{
    const HttpReply reply = httpGet(
        QStringLiteral("http://127.0.0.1:%1/metrics").arg(m_bed->muttd().port(QStringLiteral("METRICS_PORT_MOOG"))));
    return metricValue(reply.body, QStringLiteral("mutt_moog_circuit_breaker_state"));
}

QString TestMoogProdOutage::circuitKey() const
{
    return m_bed->redis().cli({QStringLiteral("GET"), QStringLiteral("mutt:circuit_breaker:moogsoft:state")});
}

void TestMoogProdOutage::circuitOpens()
{
    QVERIFY(m_bed->moog().setMode({{QStringLiteral("status"), 503}}));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(m_bed->postBatch(QStringLiteral("down"), 20), 200);

    QTRY_COMPARE_WITH_TIMEOUT(circuitMetric(), 1.0, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(circuitKey(), QStringLiteral("OPEN"), 10'000);
    // The alerts wait (queue, retry set or processing list): none delivered, none lost.
    QTRY_COMPARE_WITH_TIMEOUT(m_bed->counter(QStringLiteral("in_flight")), m_bed->ackedAlerts(), 30'000);
    QCOMPARE(m_bed->counter(QStringLiteral("forwarded")), 0);
    QCOMPARE(m_bed->counter(QStringLiteral("difference")), 0);
    QVERIFY(m_bed->muttd().running());
}

void TestMoogProdOutage::rejectedGoToDlq()
{
    // Moogsoft comes back but rejects the next ten posts: those alerts go to
    // the Moogsoft DLQ with the reason; remediation replays them later.
    QVERIFY(m_bed->moog().setMode({{QStringLiteral("status"), 400}, {QStringLiteral("fail_next"), 10}}));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_bed->moog().stats().value(QStringLiteral("by_status")).toObject().value(QStringLiteral("400")).toInt() >= 10,
        30'000);
    const QJsonObject stats = m_bed->moog().stats();
    QCOMPARE(stats.value(QStringLiteral("by_status")).toObject().value(QStringLiteral("400")).toInt(), 10);
}

void TestMoogProdOutage::recoveryDeliversOnce()
{
    for (int i = 0; i < 2; ++i)
        QCOMPARE(m_bed->postBatch(QStringLiteral("after"), 20), 200);

    QTRY_COMPARE_WITH_TIMEOUT(circuitMetric(), 0.0, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_bed->counter(QStringLiteral("forwarded")), m_bed->ackedAlerts(), 60'000);
    QCOMPARE(m_bed->counter(QStringLiteral("in_dlq")), 0);
    QCOMPARE(m_bed->queueDepth(QStringLiteral("mutt:dlq:moog")), 0);
    const QString problem = m_bed->accountingProblem();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const Deliveries delivered = m_bed->deliveries();
    QCOMPARE(qint64(delivered.hosts.size()), m_bed->ackedAlerts());
    QCOMPARE(delivered.duplicates(), 0);
    QVERIFY(delivered.hosts.contains(m_bed->ackedAlertHosts()));
}

QTEST_GUILESS_MAIN(TestMoogProdOutage)
#include "tst_moogprodoutage.moc"
