#pragma once

#include "LoopbackHttpHost.h"
#include "MockMoogState.h"
#include "core/Result.h"
#include "http/HttpTypes.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>

namespace mutt::mockmoog {

struct MockMoogOptions {
    QByteArray token;  // expected bearer token; empty accepts any Authorization
    int ioThreads = 2;  // HTTP I/O threads
    qsizetype maxRecords = 200'000;  // posts kept for /_control/requests; later ones are only counted
    QString tlsCertFile;  // both set: serve HTTPS
    QString tlsKeyFile;
};

// A stand-in for the Moogsoft event webhook: a real HTTP server on loopback
// that records every post and responds as its mode sets. Tests and the demo
// change the mode and read what arrived through the control API on the same
// port (/_control/mode, stats, requests, reset) or through these methods.
// The server accepts connections and sends delayed responses on its own
// thread, so the thread that owns it needs no running event loop.
class MockMoogServer final : public QObject {
    Q_OBJECT
public:
    explicit MockMoogServer(MockMoogOptions options = {}, QObject *parent = nullptr);
    ~MockMoogServer() override;
    Q_DISABLE_COPY_MOVE(MockMoogServer)

    // Binds and starts serving; port 0 picks a free port.
    Result<quint16> listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();

    [[nodiscard]] quint16 port() const;
    // http(s)://127.0.0.1:<port><path>
    [[nodiscard]] QString url(const QString &path = QStringLiteral("/api/v1/events")) const;

    void setMode(const MockMode &mode);
    [[nodiscard]] MockMode mode() const;
    // Clears counters and records, sets mode 200 and releases hanging posts.
    void reset();

    [[nodiscard]] QJsonObject stats() const;
    [[nodiscard]] QList<RecordedRequest> requests(qsizetype offset = 0, qsizetype limit = 1'000'000) const;
    [[nodiscard]] qint64 received() const { return m_state.received(); }
    [[nodiscard]] qint64 succeeded() const { return m_state.succeeded(); }
    [[nodiscard]] int inFlight() const { return m_state.inFlight(); }
    // Highest number of posts received and not yet responded to at one time.
    [[nodiscard]] int maxConcurrent() const { return m_state.maxConcurrent(); }

private:
    void registerRoutes(http::HttpServer &server);
    void handlePost(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleGet(const http::HttpRequest &request, const http::HttpResponder &responder);
    void handleControl(const http::HttpRequest &request, const http::HttpResponder &responder);
    void answerPost(const Answer &answer, const http::HttpResponder &responder);
    void answerLater(int delayMs, const http::HttpResponder &responder, http::HttpResponse response, bool countsAsPost);
    void releaseHanging();

    MockMoogState m_state;

    struct Hanging {
        http::HttpResponder responder;
        bool countsAsPost = true;  // false for a hanging GET/HEAD probe
    };
    void hang(const http::HttpResponder &responder, bool countsAsPost);

    std::mutex m_hangingMutex;
    QList<Hanging> m_hanging;  // requests left unanswered until reset or close

    // Declared last so the server thread stops before the state its routes use goes away.
    std::unique_ptr<testserver::LoopbackHttpHost> m_host;
};

}  // namespace mutt::mockmoog
