#include "http/HttpResponderState.h"

#include "http/HttpConnection.h"

namespace mutt::http {

HttpResponder::State::State(std::shared_ptr<ConnectionGuard> guard, quint64 sequence, QByteArray path)
    : m_guard(std::move(guard))
    , m_sequence(sequence)
    , m_path(std::move(path))
{
}

HttpResponder::State::~State()
{
    if (m_sent.load(std::memory_order_acquire))
        return;

    const QString message = QStringLiteral("The request handler returned without sending a response");
    deliver(
        m_guard->errorFormatter ? m_guard->errorFormatter(500, message, m_path) : defaultErrorResponse(500, message));
}

void HttpResponder::State::send(HttpResponse response)
{
    if (m_sent.exchange(true, std::memory_order_acq_rel))
        return;

    deliver(std::move(response));
}

void HttpResponder::State::deliver(HttpResponse response)
{
    // Only the connection's own thread writes the pointer, so that thread reads
    // it without the lock and delivers the response directly.
    if (QThread::currentThread() == m_guard->thread) {
        if (HttpConnection *connection = m_guard->connection)
            connection->deliver(m_sequence, std::move(response));
        return;
    }

    // Holding the lock keeps the connection alive while the call is posted.
    // A connection destroyed later deletes its posted events with it.
    std::lock_guard lock(m_guard->mutex);
    HttpConnection *connection = m_guard->connection;
    if (!connection)
        return;
    QMetaObject::invokeMethod(
        connection,
        [connection, sequence = m_sequence, answer = std::move(response)]() mutable {
            connection->deliver(sequence, std::move(answer));
        },
        Qt::QueuedConnection);
}

}  // namespace mutt::http
