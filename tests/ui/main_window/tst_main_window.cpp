#include "common/MessageBanner.h"
#include "connection/ConnectionController.h"
#include "connection/ProfileStore.h"
#include "http/HttpServer.h"
#include "main/MainWindow.h"
#include "overview/ConservationPanel.h"
#include "overview/OverviewView.h"
#include "queues/QueuesModel.h"
#include "queues/QueuesView.h"

#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using mutt::ui::ConnectionController;
using mutt::ui::ConnectionProfile;
using mutt::ui::MainWindow;
using mutt::ui::ProfileStore;

namespace {

const QString Key = QStringLiteral("window-test-key-0123456789");

ConnectionProfile remote(const QUrl &url, const QString &environment)
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("test");
    profile.kind = ConnectionProfile::Kind::Remote;
    profile.url = url;
    profile.environment = environment;
    return profile;
}

mutt::runtime::EngineStatus pipelineStatus()
{
    mutt::runtime::EngineStatus status;
    status.sampledAt = QDateTime::currentDateTimeUtc();
    status.version = QStringLiteral("0.1.0");
    status.roles.append({QStringLiteral("ingestor"), QStringLiteral("pod-a"), true, {}, {}});
    status.conservation = {100, 0, 90, 5, 3, 0, 1, 1};
    mutt::runtime::QueueInfo queue;
    queue.name = QStringLiteral("mutt:ingest_queue");
    queue.depth = 1;
    status.queues.append(queue);
    return status;
}

}  // namespace

// The window wired to a real RemoteBackend and a real HTTP server.
class TestMainWindow final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_profiles = std::make_unique<ProfileStore>(
            std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("console.ini")), QSettings::IniFormat));
        m_controller = std::make_unique<ConnectionController>(*m_profiles, QHash<QString, QString> {});
        m_window = std::make_unique<MainWindow>(*m_controller);
        m_window->show();
    }

    void cleanup()
    {
        m_window.reset();
        m_controller.reset();
        m_profiles.reset();
        if (m_server)
            m_server->close();
        m_server.reset();
    }

    void unreachableDaemonShowsBanner()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const QUrl closed(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();

        m_controller->connectTo(remote(closed, QStringLiteral("lab")), Key);

        QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->isVisible(), 10'000);
        QVERIFY2(m_window->banner()->text().startsWith(QStringLiteral("Nothing is listening at ")),
            qPrintable(m_window->banner()->text()));
    }

    void statusReachesViews()
    {
        startServer();

        m_controller->connectTo(remote(m_base, QStringLiteral("lab")), Key);

        QTRY_COMPARE_WITH_TIMEOUT(m_window->queues()->model()->rowCount(), 1, 10'000);
        QVERIFY(m_window->overview()->conservationPanel()->checkText().contains(QStringLiteral("Balanced")));
        QVERIFY(!m_window->banner()->isVisible());
    }

    void productionIsReadOnly()
    {
        startServer();

        m_controller->connectTo(remote(m_base, QStringLiteral("production")), Key);

        auto *label = m_window->findChild<QLabel *>(QStringLiteral("environmentLabel"));
        QVERIFY(label);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("PRODUCTION")), 10'000);
        QVERIFY(label->text().contains(QStringLiteral("read-only")));
    }

    void closeWaitsForShutdown()
    {
        startServer();
        m_controller->connectTo(remote(m_base, QStringLiteral("lab")), Key);
        QSignalSpy finished(m_controller.get(), &ConnectionController::shutdownFinished);

        m_window->close();

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 10'000);
    }

private:
    void startServer()
    {
        m_server = std::make_unique<mutt::http::HttpServer>(mutt::http::HttpServerOptions {});
        m_server->route(
            "GET", "/api/v2/status", [](const mutt::http::HttpRequest &, mutt::http::HttpResponder responder) {
                responder.send(mutt::http::HttpResponse::json(200, mutt::runtime::toJson(pipelineStatus())));
            });
        const auto port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port.value()));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<ConnectionController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<mutt::http::HttpServer> m_server;
    QUrl m_base;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
