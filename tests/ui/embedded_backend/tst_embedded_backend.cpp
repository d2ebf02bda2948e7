#include "backend/EmbeddedBackend.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using mutt::Result;
using mutt::runtime::EngineStatus;
using mutt::ui::ConnectionState;
using mutt::ui::EmbeddedBackend;

namespace {

// Measures the longest time the event loop of this (GUI) thread went without
// running a zero-interval timer: a blocking call shows up as a long gap.
class GapMeter final {
public:
    GapMeter()
    {
        m_timer.setInterval(0);
        QObject::connect(
            &m_timer, &QTimer::timeout, &m_timer, [this] { m_maxGapMs = std::max(m_maxGapMs, m_sinceLast.restart()); });
        m_sinceLast.start();
        m_timer.start();
    }
    [[nodiscard]] qint64 maxGapMs() const { return m_maxGapMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_maxGapMs = 0;
};

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Every listener on a free port, Moogsoft on a closed local port: nothing
// leaves 127.0.0.1.
mutt::config::Settings testSettings(const QString &dataDir)
{
    mutt::config::Settings settings;
    settings.podName = QStringLiteral("console-test");
    settings.dataDir = dataDir;
    settings.embedded = true;
    settings.embeddedSync = QStringLiteral("normal");
    settings.ingestPort = 0;
    settings.alerterHealthPort = 0;
    settings.alerterMetricsPort = 0;
    settings.moogHealthPort = 0;
    settings.moogMetricsPort = 0;
    settings.remediationHealthPort = 0;
    settings.remediationMetricsPort = 0;
    settings.webuiPort = 0;
    settings.moogWebhookUrl = QStringLiteral("http://127.0.0.1:%1/events").arg(closedPort());
    settings.moogHealthCheckEnabled = false;
    return settings;
}

QSet<mutt::runtime::Role> allRoles()
{
    const QList<mutt::runtime::Role> roles = mutt::runtime::allRoles();
    return {roles.begin(), roles.end()};
}

}  // namespace

class TestEmbeddedBackend final : public QObject {
    Q_OBJECT

private slots:
    void statusWithoutBlocking()
    {
        QTemporaryDir dir;
        GapMeter gaps;
        EmbeddedBackend backend(testSettings(dir.path()), allRoles());

        backend.open();
        QCOMPARE(backend.state(), ConnectionState::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), ConnectionState::Connected, 30'000);
        QVERIFY(backend.canFetch());
        QVERIFY(backend.ingestUrl().startsWith(QStringLiteral("http://127.0.0.1:")));
        QVERIFY(!backend.ingestApiKey().isEmpty());

        QFutureWatcher<Result<EngineStatus>> watcher;
        watcher.setFuture(backend.fetchStatus());
        QTRY_VERIFY_WITH_TIMEOUT(watcher.isFinished(), 30'000);
        const Result<EngineStatus> status = watcher.result();
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().message));
        QCOMPARE(status.value().roles.size(), 5);
        QVERIFY(!status.value().queues.isEmpty());
        QVERIFY(status.value().conservation.balanced());

        QFutureWatcher<void> stopped;
        stopped.setFuture(backend.shutdown());
        QTRY_VERIFY_WITH_TIMEOUT(stopped.isFinished(), 30'000);
        QCOMPARE(backend.state(), ConnectionState::Closed);
        QVERIFY(!backend.canFetch());

        // A correctness check for blocking calls on this thread, not a speed test.
        QVERIFY2(gaps.maxGapMs() < 500, qPrintable(QStringLiteral("max gap %1 ms").arg(gaps.maxGapMs())));
    }

    void failedStartIsASentence()
    {
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(QStringLiteral("file"));
        QFile file(notADirectory);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        EmbeddedBackend backend(testSettings(notADirectory), allRoles());

        backend.open();

        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), ConnectionState::Failed, 30'000);
        QVERIFY2(backend.stateMessage().startsWith(QStringLiteral("The embedded engine did not start: ")),
            qPrintable(backend.stateMessage()));
        QVERIFY(!backend.canFetch());
    }

    // A second engine on the data folder of a running one: the banner names
    // the holder and the ways out, not a setting or the Redis backend.
    void dataFolderInUseNamesHolder()
    {
        QTemporaryDir dir;
        EmbeddedBackend first(testSettings(dir.path()), allRoles());
        first.open();
        QTRY_COMPARE_WITH_TIMEOUT(first.state(), ConnectionState::Connected, 30'000);
        EmbeddedBackend second(testSettings(dir.path()), allRoles());

        second.open();

        QTRY_COMPARE_WITH_TIMEOUT(second.state(), ConnectionState::Failed, 30'000);
        const QString message = second.stateMessage();
        const QString holder = QStringLiteral("Another muttd or mutt-console (pid %1) uses the data folder %2")
                                   .arg(QCoreApplication::applicationPid())
                                   .arg(dir.path());
        QVERIFY2(message.startsWith(holder), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("mutt-console --remote http://127.0.0.1:")), qPrintable(message));
        QVERIFY2(message.contains(
                     QStringLiteral("or stop pid %1 and connect again").arg(QCoreApplication::applicationPid())),
            qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("Fix the setting named above")), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("MUTT_BACKEND=redis")), qPrintable(message));

        QFutureWatcher<void> stopped;
        stopped.setFuture(first.shutdown());
        QTRY_VERIFY_WITH_TIMEOUT(stopped.isFinished(), 30'000);
    }

    void fetchBeforeStartIsUnavailable()
    {
        QTemporaryDir dir;
        EmbeddedBackend backend(testSettings(dir.path()), allRoles());

        const Result<EngineStatus> status = backend.fetchStatus().result();

        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, mutt::ErrorCode::Unavailable);
    }

    void destroyWhileStarting()
    {
        QTemporaryDir dir;
        auto backend = std::make_unique<EmbeddedBackend>(testSettings(dir.path()), allRoles());

        backend->open();
        backend.reset();  // stops the engine on the way out; must not hang or crash

        QVERIFY(!backend);
    }
};

QTEST_MAIN(TestEmbeddedBackend)
#include "tst_embedded_backend.moc"
