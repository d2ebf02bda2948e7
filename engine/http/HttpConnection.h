#pragma once

#include "http/HttpRequestParser.h"
#include "http/HttpResponderState.h"
#include "http/HttpServerContext.h"

#include <QAbstractSocket>
#include <QObject>

#include <chrono>
#include <deque>
#include <memory>

namespace mutt::http {

// One client connection, living on one I/O thread. Reads and parses requests
// as bytes arrive, runs handlers, and writes responses strictly in request
// order, whatever order the handlers finish in. Owns its socket.
class HttpConnection final : public QObject {
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock;

    // With `counted` the connection takes one place in the server's connection count.
    HttpConnection(QAbstractSocket *socket, HttpServerContext &context, bool counted, QObject *parent);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    // Queues the response to request `sequence`. Runs on this connection's thread.
    void deliver(quint64 sequence, HttpResponse response);
    // Sends `status` without reading a request, then closes (connection limit).
    void reject(int status, const QString &message);

    [[nodiscard]] Clock::time_point deadline() const { return m_deadline; }
    // Handles a passed deadline: closes the connection, sending 408 first when a request was half read.
    void onDeadline();
    // Closes at once (server shutdown).
    void abort();

signals:
    void finished(mutt::http::HttpConnection *connection);

private:
    enum class Mode {
        Open,  // reading requests
        Closing,  // the last response is queued, and the socket closes once it is written
        Lingering,  // last response written and our side shut down, so the client's leftovers are drained
        Done,
    };
    struct Slot {
        quint64 sequence = 0;
        bool ready = false;
        bool inOutput = false;  // already serialised straight into m_out
        bool closeAfter = false;
        bool head = false;
        QByteArray bytes;
    };

    void onReadyRead();
    void onBytesWritten();
    void readSocket();
    void processInput();
    void compactInput();
    void dispatch();
    void runHandler(
        const Handler &handler, const HttpRequest &request, const std::shared_ptr<HttpResponder::State> &state);
    quint64 enqueue(bool closeAfter, bool head);
    void queueInterim(QByteArrayView bytes);
    // Queues the server's own error response, then closes. `path` is empty
    // when the request's path is not known.
    void answerError(int status, const QString &message, const QByteArray &path = {});
    // Returns the message for a request the parser rejected. A 413 message
    // names the body limit and its setting.
    [[nodiscard]] QString parseErrorMessage() const;
    // The server's own error response, built by options.errorFormatter when set.
    [[nodiscard]] HttpResponse errorResponse(int status, const QString &message, const QByteArray &path) const;
    Slot *findSlot(quint64 sequence);
    void collectReady();
    void writeOut();
    // Writes m_out straight to the socket; true when all of it went out.
    bool sendDirect();
    void startLinger();
    void finish();
    [[nodiscard]] bool inputPaused() const;
    void updateDeadline();

    QAbstractSocket *m_socket;
    HttpServerContext &m_context;
    const bool m_counted;
    std::shared_ptr<ConnectionGuard> m_guard;
    HttpRequestParser m_parser;

    QByteArray m_in;
    qsizetype m_pos = 0;
    QByteArray m_out;
    std::deque<Slot> m_slots;
    quint64 m_nextSequence = 0;
    quint64 m_requests = 0;

    Mode m_mode = Mode::Open;
    bool m_stopParsing = false;  // true after a final request or a parse error
    bool m_processing = false;  // true inside processInput, whose single write sends the queued responses
    bool m_paused = false;  // true while reading waits for pending responses to drain
    bool m_resumeQueued = false;

    Clock::time_point m_acceptedAt;
    Clock::time_point m_lastRead;
    Clock::time_point m_lastWrite;
    Clock::time_point m_requestStart {};  // epoch while no request is half read
    Clock::time_point m_lingerUntil;
    Clock::time_point m_deadline = Clock::time_point::max();
};

}  // namespace mutt::http
