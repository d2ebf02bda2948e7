#pragma once

#include "http/HttpServerContext.h"

#include <QSemaphore>
#include <QThread>

#include <mutex>
#include <utility>
#include <vector>

namespace mutt::http {

class HttpIoWorker;

// One event-loop thread of the server. Accepted descriptors are handed over
// through a small locked queue, so none is lost or leaked when the thread
// stops with some still waiting.
class HttpIoThread final : public QThread {
    Q_OBJECT
public:
    HttpIoThread(HttpServerContext &context, int index);
    ~HttpIoThread() override;
    Q_DISABLE_COPY_MOVE(HttpIoThread)

    // Starts the thread and returns once it accepts connections.
    void startAndWait();
    // Closes its connections and joins the thread.
    void stop();
    // Any thread: passes an accepted descriptor to this thread.
    void addConnection(qintptr descriptor, bool reject);

protected:
    void run() override;

private:
    void drainIncoming();
    void dropDescriptor(qintptr descriptor, bool reject);

    HttpServerContext &m_context;
    QSemaphore m_ready;
    std::mutex m_mutex;
    HttpIoWorker *m_worker = nullptr;  // guarded by m_mutex
    std::vector<std::pair<qintptr, bool>> m_incoming;  // guarded by m_mutex
};

}  // namespace mutt::http
