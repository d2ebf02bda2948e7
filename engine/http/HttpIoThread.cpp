#include "http/HttpIoThread.h"

#include "http/HttpIoWorker.h"

#include <unistd.h>

namespace mutt::http {

HttpIoThread::HttpIoThread(HttpServerContext &context, int index) : m_context(context)
{
    setObjectName(QStringLiteral("http-io-%1").arg(index));
}

HttpIoThread::~HttpIoThread()
{
    stop();
}

void HttpIoThread::startAndWait()
{
    start();
    m_ready.acquire();
}

void HttpIoThread::stop()
{
    if (!isRunning())
        return;
    quit();
    wait();
}

void HttpIoThread::addConnection(qintptr descriptor, bool reject)
{
    std::lock_guard lock(m_mutex);
    if (!m_worker) {
        dropDescriptor(descriptor, reject);
        return;
    }

    const bool wake = m_incoming.empty();
    m_incoming.emplace_back(descriptor, reject);
    if (wake)
        QMetaObject::invokeMethod(
            m_worker, [this] { drainIncoming(); }, Qt::QueuedConnection);
}

void HttpIoThread::run()
{
    HttpIoWorker worker(m_context);
    {
        std::lock_guard lock(m_mutex);
        m_worker = &worker;
    }
    m_ready.release();

    exec();

    std::vector<std::pair<qintptr, bool>> leftovers;
    {
        std::lock_guard lock(m_mutex);
        m_worker = nullptr;
        leftovers.swap(m_incoming);
    }
    for (const auto &[descriptor, reject] : leftovers)
        dropDescriptor(descriptor, reject);
}

void HttpIoThread::dropDescriptor(qintptr descriptor, bool reject)
{
    ::close(int(descriptor));
    // Accepted connections were counted when accepted; rejected ones never were.
    if (!reject)
        m_context.openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void HttpIoThread::drainIncoming()
{
    std::vector<std::pair<qintptr, bool>> batch;
    HttpIoWorker *worker = nullptr;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_incoming);
        worker = m_worker;
    }
    for (const auto &[descriptor, reject] : batch)
        worker->accept(descriptor, reject);
}

}  // namespace mutt::http
