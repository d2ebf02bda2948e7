#pragma once

#include "http/HttpTypes.h"

#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>

namespace mutt::http {

class HttpConnection;

// Shared between a connection and every responder of its requests. The
// connection clears `connection` when it is destroyed, so a responder that
// outlives it (kept by a handler on another thread) finds it gone.
struct ConnectionGuard {
    ConnectionGuard(HttpConnection *owner, QThread *ownerThread, QObject *threadContext, ErrorFormatter formatter)
        : connection(owner)
        , thread(ownerThread)
        , context(threadContext)
        , errorFormatter(std::move(formatter))
    {
    }

    std::mutex mutex;
    HttpConnection *connection;  // written only on `thread`, read under `mutex` from other threads
    QThread *const thread;
    // An object of `thread` that outlives the connection (its parent), which
    // receives the responses of an HttpDeliveryBatch; null when there is none.
    QObject *const context;
    const ErrorFormatter errorFormatter;  // the server's option, for the 500 of a dropped responder
};

// Response slot of one request. The first send() is delivered to the
// connection on its own thread. If no copy ever sends, the destructor sends 500.
class HttpResponder::State {
public:
    State(std::shared_ptr<ConnectionGuard> guard, quint64 sequence, QByteArray path);
    ~State();
    Q_DISABLE_COPY_MOVE(State)

    void send(HttpResponse response);

private:
    void deliver(HttpResponse response);

    std::shared_ptr<ConnectionGuard> m_guard;
    const quint64 m_sequence;
    const QByteArray m_path;  // request path, passed to the error formatter
    std::atomic_bool m_sent {false};
};

}  // namespace mutt::http
