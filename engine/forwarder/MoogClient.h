#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <deque>
#include <functional>
#include <vector>

namespace mutt::forwarder {

struct MoogClientOptions {
    QUrl url;
    QByteArray apiKey;  // sent as "Authorization: Bearer <key>"; never logged
    // When set, asked for the key on every request instead of apiKey (the
    // live MOOG_API_KEY, so a rotated key is used without a restart).
    std::function<QByteArray()> apiKeyProvider;
    int timeoutMs = 10'000;  // whole request: connect, send and response
    QString caFile;  // PEM file with the CAs to trust; empty: the system store
    int maxInFlight = 16;
};

class MoogConnection;

// Address and TLS settings of the webhook, for MoogConnection.
struct MoogEndpoint {
    QString host;
    quint16 port = 443;
    bool tls = true;
    QSslConfiguration ssl;  // CAs and verification for HTTPS
};

// Outcome of one webhook post.
struct SendResult {
    quint64 id = 0;
    int httpStatus = 0;  // 0 when no HTTP response arrived
    QByteArray body;  // response body (first 4 KiB)
    QByteArray retryAfter;  // Retry-After header, if any
    QString error;  // transport error text when httpStatus is 0
    bool timedOut = false;
    // Never sent: the client released it from its queue (releaseQueued()), or
    // it came while the client held posts after a failure. The alert goes
    // back to the alert queue.
    bool unsent = false;
    double latencySeconds = 0;  // until the response, or until the failure
    qint64 sentAtMs = 0;  // wall-clock time the request went out (epoch ms), or 0 when unsent
};

// Posts JSON bodies to the Moogsoft webhook over up to maxInFlight
// keep-alive HTTP/1.1 connections, one request per connection at a time.
// Requests beyond maxInFlight wait in a queue, and a connection starts the
// next one as soon as its response arrives. A response that asks for a retry
// (408, 429, 5xx, transport error) releases the queue: those requests are
// reported as unsent, so no more of them go to a failing endpoint. Posts that
// arrive after such a response are reported unsent as well, until resume()
// from a caller that has seen every such response: the caller decided on
// them before it saw the failure.
// Lives on the forwarder's network thread: call send() and abortAll() there
// (through a queued invocation); `onFinished` runs on that thread. It gets
// the results that finished during one pass of the thread's event loop
// together, in the order they finished, when the loop is about to wait. So
// the responses of several connections reach the delivery thread at once.
// NOTE: this is a small client of its own. QNetworkAccessManager in Qt 6.4
// opens at most 6 connections per host and manager and hands every request
// to a separate thread. Under bench_forwarder its threads took about half of
// the process's CPU time (perf, 20,000 alerts). This client has no proxy,
// HTTP/2 or redirect support.
class MoogClient final : public QObject {
    Q_OBJECT
public:
    using Finished = std::function<void(std::vector<SendResult> results)>;

    MoogClient(MoogClientOptions options, Finished onFinished);
    ~MoogClient() override;
    Q_DISABLE_COPY_MOVE(MoogClient)

    void send(quint64 id, const QByteArray &body);
    // Reports every queued request as unsent (SendResult::unsent); the
    // requests on the wire go on.
    void releaseQueued();
    // Accepts posts again once the caller has seen every response that asked
    // for a retry. `retryAnswersSeen` counts those responses, from the start,
    // among the results the caller has handled. A smaller count than the
    // client has reported keeps the client holding.
    void resume(quint64 retryAnswersSeen);
    // Aborts every request in flight without reporting them.
    void abortAll();
    [[nodiscard]] int inFlight() const;

private:
    struct Queued {
        quint64 id = 0;
        QByteArray request;
    };

    void createConnections();
    MoogConnection *idleConnection() const;
    void onConnectionFinished(MoogConnection *connection, SendResult result);
    QByteArray serialize(const QByteArray &body) const;
    void reportUnsent(quint64 id);
    // Collects a result for the next hand-over (flushReported()).
    void report(SendResult result);
    void flushReported();

    MoogClientOptions m_options;
    Finished m_onFinished;
    std::vector<SendResult> m_reported;  // finished, not yet handed over
    bool m_flushHooked = false;  // flushReported() runs before the event loop waits
    MoogEndpoint m_endpoint;
    QByteArray m_requestHead;  // request line and fixed headers, up to "Authorization: Bearer "
    QByteArray m_requestTail;  // the headers after the key, up to "Content-Length: "
    QList<MoogConnection *> m_connections;
    std::deque<Queued> m_queue;  // requests beyond maxInFlight wait here
    bool m_holding = false;  // a response asked for a retry: posts are unsent until resume()
    quint64 m_retryAnswers = 0;  // responses reported so far that asked for a retry
};

}  // namespace mutt::forwarder
