#include "http/HttpIoWorker.h"

#include "http/HttpConnection.h"

#include <QTcpSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace mutt::http {
namespace {

using namespace std::chrono_literals;

// A deadline may pass by up to one interval: an eighth of the shortest
// timeout, kept between 10 ms and 500 ms.
std::chrono::milliseconds sweepInterval(const HttpServerOptions &options)
{
    const auto shortest = std::min({options.headerTimeout, options.bodyIdleTimeout, options.keepAliveTimeout});
    return std::clamp<std::chrono::milliseconds>(shortest / 8, 10ms, 500ms);
}

}  // namespace

HttpIoWorker::HttpIoWorker(HttpServerContext &context) : m_context(context)
{
    m_sweepTimer.setInterval(sweepInterval(context.options));
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpIoWorker::sweep);
    m_sweepTimer.start();
}

HttpIoWorker::~HttpIoWorker()
{
    m_sweepTimer.stop();
    const auto connections = std::exchange(m_connections, {});
    for (HttpConnection *connection : connections)
        delete connection;
}

void HttpIoWorker::accept(qintptr descriptor, bool reject)
{
    QAbstractSocket *socket = createSocket();
    if (!socket->setSocketDescriptor(descriptor)) {
        m_context.log->warn("could not take over an accepted connection, server={} error={}; the client was dropped",
            m_context.name, socket->errorString());
        ::close(int(descriptor));
        delete socket;
        if (!reject)
            m_context.openConnections.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
#if QT_CONFIG(ssl)
    if (m_context.tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        ssl->setSslConfiguration(m_context.sslConfiguration);
        ssl->startServerEncryption();
    }
#endif

    auto *connection = new HttpConnection(socket, m_context, !reject, this);
    connect(connection, &HttpConnection::finished, this, &HttpIoWorker::remove);
    m_connections.insert(connection);
    if (reject)
        connection->reject(503, QStringLiteral("Too many open connections; retry later"));
}

QAbstractSocket *HttpIoWorker::createSocket()
{
#if QT_CONFIG(ssl)
    if (m_context.tls)
        return new QSslSocket;
#endif
    return new QTcpSocket;
}

void HttpIoWorker::sweep()
{
    const auto now = HttpConnection::Clock::now();
    std::vector<HttpConnection *> expired;
    for (HttpConnection *connection : m_connections) {
        if (connection->deadline() <= now)
            expired.push_back(connection);
    }

    // onDeadline() may finish a connection, which removes it from the set.
    for (HttpConnection *connection : expired) {
        if (m_connections.contains(connection))
            connection->onDeadline();
    }
}

void HttpIoWorker::remove(HttpConnection *connection)
{
    if (m_connections.erase(connection) > 0)
        connection->deleteLater();
}

}  // namespace mutt::http
