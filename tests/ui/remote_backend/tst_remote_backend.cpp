#include "backend/RemoteBackend.h"
#include "http/HttpServer.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using mutt::Result;
using mutt::http::HttpRequest;
using mutt::http::HttpResponder;
using mutt::http::HttpResponse;
using mutt::runtime::EngineStatus;
using mutt::ui::ConnectionState;
using mutt::ui::RemoteBackend;
using mutt::ui::RemoteOptions;

namespace {

const QString Key = QStringLiteral("test-webui-key-0123456789");

EngineStatus sampleStatus()
{
    EngineStatus status;
    status.sampledAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    status.version = QStringLiteral("9.9.9");
    status.backend = QStringLiteral("embedded");
    status.ingestUrl = QStringLiteral("http://127.0.0.1:8080/ingest");
    status.conservation.accepted = 42;
    status.conservation.forwarded = 40;
    status.conservation.inFlight = 2;
    mutt::runtime::QueueInfo queue;
    queue.name = QStringLiteral("mutt:ingest_queue");
    queue.depth = 2;
    status.queues.append(queue);
    return status;
}

// A port nothing listens on: bound once, then released.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

Result<EngineStatus> await(QFuture<Result<EngineStatus>> future)
{
    QFutureWatcher<Result<EngineStatus>> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (!future.isFinished() && !finished.wait(15'000))
        return mutt::makeError(mutt::ErrorCode::Timeout, QStringLiteral("the test gave up waiting"));
    return future.result();
}

}  // namespace

class TestRemoteBackend final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_server = std::make_unique<mutt::http::HttpServer>(mutt::http::HttpServerOptions {});
        m_server->route("GET", "/api/v2/status", [this](const HttpRequest &request, HttpResponder responder) {
            {
                QMutexLocker lock(&m_mutex);
                m_lastKey = request.header("X-API-KEY");
                ++m_requests;
                if (m_hang) {
                    m_heldResponders.append(responder);
                    return;
                }
            }
            if (request.header("X-API-KEY") != Key.toUtf8()) {
                responder.send(
                    HttpResponse::json(401, QJsonObject {{QStringLiteral("error"), QStringLiteral("bad key")}}));
                return;
            }
            QMutexLocker lock(&m_mutex);
            responder.send(m_answer);
        });
        const auto port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(port.ok(), port.ok() ? "" : qPrintable(port.error().message));
        m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port.value()));
        m_answer = HttpResponse::json(200, mutt::runtime::toJson(sampleStatus()));
        m_hang = false;
        m_requests = 0;
    }

    void cleanup()
    {
        m_heldResponders.clear();
        m_server->close();
        m_server.reset();
    }

    void statusParsed()
    {
        RemoteBackend backend(RemoteOptions {m_base, Key, {}});
        backend.open();

        const Result<EngineStatus> result = await(backend.fetchStatus());

        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result.value().version, QStringLiteral("9.9.9"));
        QCOMPARE(result.value().conservation.accepted, qint64(42));
        QCOMPARE(result.value().queues.size(), 1);
        QCOMPARE(backend.state(), ConnectionState::Connected);
        QCOMPARE(backend.ingestUrl(), QStringLiteral("http://127.0.0.1:8080/ingest"));
    }

    void apiKeyHeaderSent()
    {
        RemoteBackend backend(RemoteOptions {m_base, Key, {}});
        backend.open();

        QVERIFY(await(backend.fetchStatus()).ok());

        QMutexLocker lock(&m_mutex);
        QCOMPARE(m_lastKey, Key.toUtf8());
    }

    void wrongKeySentence()
    {
        RemoteBackend backend(RemoteOptions {m_base, QStringLiteral("wrong"), {}});
        backend.open();

        const Result<EngineStatus> result = await(backend.fetchStatus());

        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.startsWith(
                     QStringLiteral("The MUTT daemon at %1 rejected the API key (HTTP 401)").arg(m_base.toString())),
            qPrintable(result.error().message));
        QVERIFY(result.error().message.contains(QStringLiteral("Error message from the daemon: \"bad key\".")));
        QVERIFY2(result.error().message.contains(QStringLiteral("WEBUI_API_KEY environment variable")),
            qPrintable(result.error().message));
        QCOMPARE(backend.state(), ConnectionState::Failed);
    }

    void closedPortSentence()
    {
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        RemoteBackend backend(RemoteOptions {url, Key, {}});
        backend.open();

        const Result<EngineStatus> result = await(backend.fetchStatus());

        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
            QStringLiteral("Nothing is listening at %1: the connection was refused. Check the address and port and "
                           "that the api role of the MUTT daemon is running.")
                .arg(url.toString()));
        QCOMPARE(backend.stateMessage(), result.error().message);
    }

    void timeoutSentence()
    {
        m_hang = true;
        RemoteOptions options {m_base, Key, {}};
        options.timeout = std::chrono::milliseconds(300);
        RemoteBackend backend(options);
        backend.open();

        const Result<EngineStatus> result = await(backend.fetchStatus());

        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, mutt::ErrorCode::Timeout);
        QCOMPARE(result.error().message,
            QStringLiteral("The MUTT daemon at %1 did not answer within 300 ms. Check the address and that the api "
                           "role is running.")
                .arg(m_base.toString()));
    }

    void unreadableStatus()
    {
        m_answer = HttpResponse::json(200, QJsonObject {{QStringLiteral("hello"), 1}});
        RemoteBackend backend(RemoteOptions {m_base, Key, {}});
        backend.open();

        const Result<EngineStatus> result = await(backend.fetchStatus());

        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("answered with a status the console cannot read")),
            qPrintable(result.error().message));
    }

    void missingCaFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing.pem"));
        RemoteBackend backend(RemoteOptions {QUrl(QStringLiteral("https://127.0.0.1:1")), Key, path});
        backend.open();

        QCOMPARE(backend.state(), ConnectionState::Failed);
        QVERIFY2(backend.stateMessage().contains(path), qPrintable(backend.stateMessage()));
        QCOMPARE(m_requests, 0);
    }

    void invalidAddress()
    {
        RemoteBackend backend(RemoteOptions {QUrl(QStringLiteral("ftp://example")), Key, {}});
        backend.open();

        QCOMPARE(backend.state(), ConnectionState::Failed);
        QVERIFY2(backend.stateMessage().contains(QStringLiteral("is not an http:// or https:// URL")),
            qPrintable(backend.stateMessage()));
    }

private:
    std::unique_ptr<mutt::http::HttpServer> m_server;
    QUrl m_base;
    QMutex m_mutex;
    HttpResponse m_answer;
    QByteArray m_lastKey;
    QList<HttpResponder> m_heldResponders;
    int m_requests = 0;
    bool m_hang = false;
};

QTEST_MAIN(TestRemoteBackend)
#include "tst_remote_backend.moc"
