// SIGTERM while the forwarder has posts in flight to a slow Moogsoft: muttd
// exits 0, and after a restart every acknowledged event reaches Moogsoft, so
// the drain returned what it had claimed but not sent.

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

constexpr int kEvents = 60;

QByteArray eventJson(int index)
{
    return QStringLiteral(
        R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"drain-host-%1","message":"ERROR drain test event %1: interface down","syslog_severity":3})")
        .arg(index)
        .toUtf8();
}

}  // namespace

class TestDrain final : public QObject {
    Q_OBJECT

private slots:
    void sigtermReturnsClaimedItems();

private:
    QSet<QString> delivered() const;

    MockMoogProcess m_moog;
};

QSet<QString> TestDrain::delivered() const
{
    QSet<QString> ids;
    for (const QJsonValue &value : m_moog.requests()) {
        const QJsonObject request = value.toObject();
        const QJsonObject body
            = request.contains(QStringLiteral("body")) ? request.value(QStringLiteral("body")).toObject() : request;
        ids.insert(body.value(QStringLiteral("external_id")).toString());
    }
    return ids;
}

void TestDrain::sigtermReturnsClaimedItems()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(m_moog.start());
    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 200}, {QStringLiteral("delay_ms"), 1500}}));

    MuttdProcess muttd(dir.path());
    muttd.setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    muttd.setEnv(QStringLiteral("MOOG_HEALTH_CHECK_ENABLED"), QStringLiteral("false"));
    muttd.setEnv(QStringLiteral("MOOG_RATE_LIMIT"), QStringLiteral("100000"));
    muttd.setEnv(QStringLiteral("MOOG_MAX_IN_FLIGHT"), QStringLiteral("4"));
    QString output;
    QVERIFY2(muttd.importSeedRules(&output) == 0, qPrintable(output));
    QVERIFY(muttd.start());
    QVERIFY2(muttd.waitHealthy(), muttd.output().constData());

    QSet<QString> acked;
    for (int i = 0; i < kEvents; ++i) {
        const QString id = QStringLiteral("drain-%1").arg(i);
        const HttpReply reply
            = muttd.postEvents(eventJson(i), "application/json", {{QByteArray("X-Correlation-ID"), id.toUtf8()}});
        if (reply.status == 200)
            acked.insert(id);
    }
    QCOMPARE(acked.size(), kEvents);
    QTRY_VERIFY_WITH_TIMEOUT(m_moog.stats().value(QStringLiteral("received")).toInt() >= 4, 30'000);

    QCOMPARE(muttd.terminate(), 0);
    QVERIFY(delivered().size() < kEvents);

    QVERIFY(m_moog.setMode({{QStringLiteral("status"), 200}}));
    QVERIFY(muttd.start());
    QVERIFY2(muttd.waitHealthy(), muttd.output().constData());
    // Well below the heartbeat TTL (30 s) plus janitor interval (60 s): the
    // janitor cannot have recovered the items, so the drain put them back.
    QTRY_VERIFY_WITH_TIMEOUT(delivered().contains(acked), 20'000);
    QCOMPARE(muttd.terminate(), 0);
    m_moog.stop();
}

QTEST_GUILESS_MAIN(TestDrain)
#include "tst_drain.moc"
