#pragma once

#include "core/Result.h"
#include "http/HttpServer.h"

#include <QHostAddress>
#include <QString>

#include <functional>
#include <memory>

class QObject;
class QThread;

namespace mutt::testserver {

// An http::HttpServer that lives on a thread of its own, so the thread that
// owns the host needs no running event loop. The server is created, used and
// destroyed on that thread; `registerRoutes` runs there once, right after
// the server is created.
class LoopbackHttpHost final {
public:
    LoopbackHttpHost(
        const http::HttpServerOptions &options, const std::function<void(http::HttpServer &)> &registerRoutes);
    ~LoopbackHttpHost();
    LoopbackHttpHost(const LoopbackHttpHost &) = delete;
    LoopbackHttpHost &operator=(const LoopbackHttpHost &) = delete;

    // Binds and starts serving; port 0 picks a free port.
    Result<quint16> listen(const QHostAddress &address, quint16 port);
    // Stops accepting and closes the connections; safe to call twice.
    void close();

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] bool tls() const { return m_tls; }
    // http(s)://127.0.0.1:<port>
    [[nodiscard]] QString baseUrl() const;

    // Runs `work` on the server thread and waits for it.
    void run(const std::function<void()> &work);
    // An object on the server thread, for timers and queued calls there.
    [[nodiscard]] QObject *context() const { return m_context; }

private:
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr;  // lives in m_thread; deleted after the thread stops
    std::unique_ptr<http::HttpServer> m_server;
    quint16 m_port = 0;
    bool m_tls = false;
};

}  // namespace mutt::testserver
