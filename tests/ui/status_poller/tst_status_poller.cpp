#include "backend/RemoteBackend.h"
#include "backend/StatusPoller.h"
#include "http/HttpServer.h"

#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using mutt::http::HttpRequest;
using mutt::http::HttpResponder;
using mutt::http::HttpResponse;
using mutt::ui::RemoteBackend;
using mutt::ui::RemoteOptions;
using mutt::ui::StatusPoller;

namespace {

const QString Key = QStringLiteral("poller-test-key-0123456789");

}  // namespace

// The poller against a real HTTP server that delays its responses until the
// test releases them.
class TestStatusPoller final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_received = 0;
        m_server = std::make_unique<mutt::http::HttpServer>(mutt::http::HttpServerOptions {});
        m_server->route("GET", "/api/v2/status", [this](const HttpRequest &, HttpResponder responder) {
            QMutexLocker lock(&m_mutex);
            ++m_received;
            m_heldResponders.append(responder);
        });
        const auto port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port.value()));
    }

    void cleanup()
    {
        releaseAll();
        m_server->close();
        m_server.reset();
    }

    void noOverlapWhilePending()
    {
        RemoteBackend backend(RemoteOptions {m_base, Key, {}});
        backend.open();
        StatusPoller poller;
        poller.setInterval(std::chrono::milliseconds(20));
        QSignalSpy received(&poller, &StatusPoller::statusReceived);

        poller.setBackend(&backend);
        // The server leaves the first request unanswered. The skipped ticks
        // are counted from the moment the request reaches the server, so a
        // request that arrives late cannot fail the check.
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(), 1, 10'000);
        const int skippedBefore = poller.skippedTicks();
        QTRY_VERIFY_WITH_TIMEOUT(poller.skippedTicks() >= skippedBefore + 5, 10'000);

        QCOMPARE(poller.requestsSent(), 1);
        QCOMPARE(receivedCount(), 1);
        QVERIFY(poller.isPending());

        releaseAll();
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(poller.requestsSent() >= 2, 10'000);
    }

    void failureReported()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const QUrl closed(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close();
        RemoteBackend backend(RemoteOptions {closed, Key, {}});
        backend.open();
        StatusPoller poller;
        QSignalSpy failed(&poller, &StatusPoller::statusFailed);

        poller.setBackend(&backend);

        QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 1, 10'000);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("connection was refused")));
    }

    void switchingBackendDropsPendingAnswer()
    {
        RemoteBackend first(RemoteOptions {m_base, Key, {}});
        first.open();
        StatusPoller poller;
        poller.setInterval(std::chrono::hours(1));
        QSignalSpy received(&poller, &StatusPoller::statusReceived);
        QSignalSpy failed(&poller, &StatusPoller::statusFailed);
        poller.setBackend(&first);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(), 1, 10'000);

        poller.setBackend(nullptr);
        releaseAll();
        // The backend received the response, so anything the poller would emit is posted by now.
        QTRY_COMPARE_WITH_TIMEOUT(first.state(), mutt::ui::ConnectionState::Connected, 10'000);
        QCoreApplication::sendPostedEvents();

        QCOMPARE(received.count(), 0);
        QCOMPARE(failed.count(), 0);
    }

private:
    int receivedCount()
    {
        QMutexLocker lock(&m_mutex);
        return m_received;
    }

    void releaseAll()
    {
        QList<HttpResponder> released;
        {
            QMutexLocker lock(&m_mutex);
            released.swap(m_heldResponders);
        }
        mutt::runtime::EngineStatus status;
        status.sampledAt = QDateTime::currentDateTimeUtc();
        for (const HttpResponder &responder : released)
            responder.send(HttpResponse::json(200, mutt::runtime::toJson(status)));
    }

    std::unique_ptr<mutt::http::HttpServer> m_server;
    QUrl m_base;
    QMutex m_mutex;
    QList<HttpResponder> m_heldResponders;
    int m_received = 0;
};

QTEST_MAIN(TestStatusPoller)
#include "tst_status_poller.moc"
