// SIGKILL during sustained ingest: every event that got a 200 must later be
// forwarded, suppressed, unhandled or in a DLQ. Every event sent here matches
// a forwarding seed rule, so each acknowledged correlation id must reach the
// mock Moogsoft receiver (duplicates are allowed: delivery is at-least-once).

#include "HttpCall.h"
#include "MockMoogProcess.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

constexpr int kInFlightRequests = 32;
constexpr int kKillAfterAcks = 600;
constexpr int kMaxRequests = 5000;

QByteArray eventJson(int index)
{
    return QStringLiteral(
        R"({"timestamp":"2025-01-15T14:30:22Z","hostname":"crash-host-%1","message":"ERROR crash test event %1: interface down","syslog_severity":3})")
        .arg(index)
        .toUtf8();
}

}  // namespace

class TestCrashRecovery final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void killDuringIngestLosesNothing();

private:
    void sendUntilKilled();
    void startMuttd();

    QTemporaryDir m_dir;
    MockMoogProcess m_moog;
    std::unique_ptr<MuttdProcess> m_muttd;
    QSet<QString> m_acked;
    int m_sent = 0;
};

void TestCrashRecovery::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_moog.start(), "mutt-mock-moog did not start");

    m_muttd = std::make_unique<MuttdProcess>(m_dir.path());
    m_muttd->setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), m_moog.webhookUrl());
    // Short heartbeat TTLs so the janitor of the restarted process recovers
    // the killed worker's processing lists within seconds.
    m_muttd->setEnv(QStringLiteral("ALERTER_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    m_muttd->setEnv(QStringLiteral("ALERTER_JANITOR_TIMEOUT"), QStringLiteral("3"));
    m_muttd->setEnv(QStringLiteral("MOOG_HEARTBEAT_INTERVAL"), QStringLiteral("1"));
    m_muttd->setEnv(QStringLiteral("MOOG_JANITOR_TIMEOUT"), QStringLiteral("3"));
    m_muttd->setEnv(QStringLiteral("JANITOR_INTERVAL"), QStringLiteral("2"));
    m_muttd->setEnv(QStringLiteral("MOOG_RATE_LIMIT"), QStringLiteral("100000"));

    QString output;
    const int imported = m_muttd->importSeedRules(&output);
    QVERIFY2(imported == 0, qPrintable(output));
    startMuttd();
}

void TestCrashRecovery::cleanupTestCase()
{
    if (m_muttd)
        m_muttd->terminate();
    m_moog.stop();
}

void TestCrashRecovery::startMuttd()
{
    QVERIFY(m_muttd->start());
    QVERIFY2(m_muttd->waitHealthy(), m_muttd->output().constData());
}

// Keeps kInFlightRequests requests outstanding; after kKillAfterAcks
// acknowledgements it kills muttd with SIGKILL while requests are still in
// flight, then lets the outstanding ones fail.
void TestCrashRecovery::sendUntilKilled()
{
    QNetworkAccessManager manager;
    const QUrl url(m_muttd->ingestUrl());
    const QByteArray key = m_muttd->ingestKey().toUtf8();
    int outstanding = 0;
    bool killed = false;
    QEventLoop loop;

    std::function<void()> sendNext = [&]() {
        if (killed || m_sent >= kMaxRequests)
            return;
        const int index = m_sent++;
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("X-API-KEY", key);
        const QString correlationId = QStringLiteral("crash-%1").arg(index);
        request.setRawHeader("X-Correlation-ID", correlationId.toUtf8());
        QNetworkReply *reply = manager.post(request, eventJson(index));
        ++outstanding;
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, correlationId]() {
            --outstanding;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                m_acked.insert(correlationId);
            reply->deleteLater();
            if (!killed && m_acked.size() >= kKillAfterAcks) {
                killed = true;
                m_muttd->kill();
            }
            if (!killed)
                sendNext();
            if (outstanding == 0)
                loop.quit();
        });
    };

    for (int i = 0; i < kInFlightRequests; ++i)
        sendNext();
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    loop.exec();
    QVERIFY2(killed, "muttd was not killed: too few requests were acknowledged");
}

void TestCrashRecovery::killDuringIngestLosesNothing()
{
    sendUntilKilled();
    QVERIFY(m_acked.size() >= kKillAfterAcks);
    QVERIFY(!m_muttd->running());

    startMuttd();

    auto delivered = [this]() {
        QSet<QString> ids;
        const QJsonArray requests = m_moog.requests();
        for (const QJsonValue &value : requests) {
            const QJsonObject request = value.toObject();
            const QJsonObject body
                = request.contains(QStringLiteral("body")) ? request.value(QStringLiteral("body")).toObject() : request;
            ids.insert(body.value(QStringLiteral("external_id")).toString());
        }
        return ids;
    };
    auto settled = [this]() {
        const QJsonObject c = m_muttd->status().value(QStringLiteral("conservation")).toObject();
        return !c.isEmpty() && c.value(QStringLiteral("in_flight")).toDouble() == 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 120'000);

    const QSet<QString> ids = delivered();
    QSet<QString> missing = m_acked;
    missing.subtract(ids);
    QVERIFY2(missing.isEmpty(),
        qPrintable(QStringLiteral("%1 acknowledged events never reached Moogsoft, e.g. %2")
                       .arg(missing.size())
                       .arg(missing.isEmpty() ? QString() : *missing.begin())));

    const QJsonObject c = m_muttd->status().value(QStringLiteral("conservation")).toObject();
    QVERIFY(qint64(c.value(QStringLiteral("accepted")).toDouble()) >= m_acked.size());
    QCOMPARE(qint64(c.value(QStringLiteral("in_dlq")).toDouble()), 0);
    QCOMPARE(qint64(c.value(QStringLiteral("difference")).toDouble()), 0);
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
