#include "LoopbackHttpHost.h"

#include <QMetaObject>
#include <QObject>
#include <QThread>

namespace mutt::testserver {

LoopbackHttpHost::LoopbackHttpHost(
    const http::HttpServerOptions &options, const std::function<void(http::HttpServer &)> &registerRoutes)
    : m_thread(std::make_unique<QThread>())
    , m_tls(!options.tlsCertFile.isEmpty() && !options.tlsKeyFile.isEmpty())
{
    m_thread->setObjectName(options.name);
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    m_thread->start();
    run([this, &options, &registerRoutes]() {
        m_server = std::make_unique<http::HttpServer>(options);
        registerRoutes(*m_server);
    });
}

LoopbackHttpHost::~LoopbackHttpHost()
{
    close();
    run([this]() { m_server.reset(); });
    m_thread->quit();
    m_thread->wait();
    delete m_context;
}

void LoopbackHttpHost::run(const std::function<void()> &work)
{
    QMetaObject::invokeMethod(m_context, work, Qt::BlockingQueuedConnection);
}

Result<quint16> LoopbackHttpHost::listen(const QHostAddress &address, quint16 port)
{
    Result<quint16> bound = makeError(ErrorCode::Internal, QStringLiteral("listen did not run"));
    run([this, &bound, &address, port]() { bound = m_server->listen(address, port); });
    if (bound)
        m_port = bound.value();
    return bound;
}

void LoopbackHttpHost::close()
{
    run([this]() {
        if (m_server)
            m_server->close();
    });
}

QString LoopbackHttpHost::baseUrl() const
{
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(m_port);
}

}  // namespace mutt::testserver
