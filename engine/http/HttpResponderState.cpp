#include "http/HttpResponderState.h"

#include "http/HttpConnection.h"
#include "http/HttpDeliveryBatch.h"

#include <vector>

namespace mutt::http {
namespace {

struct Delivery {
    std::shared_ptr<ConnectionGuard> guard;
    quint64 sequence;
    HttpResponse response;
};

// The deliveries of the outermost HttpDeliveryBatch of this thread, or null.
thread_local std::vector<Delivery> *t_batch = nullptr;

// Runs on the connections' thread, which is the only one that destroys them.
void deliverAll(std::vector<Delivery> &deliveries)
{
    for (Delivery &delivery : deliveries) {
        HttpConnection *connection = nullptr;
        {
            std::lock_guard lock(delivery.guard->mutex);
            connection = delivery.guard->connection;
        }
        if (connection)
            connection->deliver(delivery.sequence, std::move(delivery.response));
    }
}

}  // namespace

HttpDeliveryBatch::HttpDeliveryBatch()
{
    if (t_batch == nullptr) {
        t_batch = new std::vector<Delivery>();
        m_outermost = true;
    }
}

HttpDeliveryBatch::~HttpDeliveryBatch()
{
    if (!m_outermost)
        return;
    std::unique_ptr<std::vector<Delivery>> collected(t_batch);
    t_batch = nullptr;

    // One posted call for each context (I/O thread), in the order of the first response for it.
    while (!collected->empty()) {
        QObject *context = collected->front().guard->context;
        std::vector<Delivery> forContext;
        std::vector<Delivery> rest;
        for (Delivery &delivery : *collected)
            (delivery.guard->context == context ? forContext : rest).push_back(std::move(delivery));
        *collected = std::move(rest);

        // A live connection keeps its parent, the context, alive while the
        // lock is held. When every connection is gone, the responses are dropped.
        for (size_t i = 0; i < forContext.size(); ++i) {
            const std::shared_ptr<ConnectionGuard> anchor = forContext[i].guard;
            std::lock_guard lock(anchor->mutex);
            if (anchor->connection == nullptr)
                continue;
            QMetaObject::invokeMethod(
                context, [deliveries = std::move(forContext)]() mutable { deliverAll(deliveries); },
                Qt::QueuedConnection);
            break;
        }
    }
}

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

    if (t_batch != nullptr && m_guard->context != nullptr) {
        t_batch->push_back(Delivery {m_guard, m_sequence, std::move(response)});
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
