#include "http/HttpServer.h"

#include "core/Log.h"
#include "http/HttpIoThread.h"
#include "http/HttpListener.h"
#include "http/HttpServerContext.h"
#include "http/HttpTlsConfig.h"

#include <QElapsedTimer>

#include <sys/resource.h>

#include <vector>

namespace mutt::http {
namespace {

// Every connection uses a descriptor, and the common default soft limit of
// 1,024 would stop service long before maxConnections. Raising the soft limit
// to the hard limit needs no privilege.
void raiseDescriptorLimit(spdlog::logger &log)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
        log.debug("raised the open file limit, from={} to={}", before, limit.rlim_max);
}

}  // namespace

class HttpServer::Impl {
public:
    explicit Impl(HttpServerOptions options)
    {
        context.options = std::move(options);
        context.options.ioThreads = qMax(1, context.options.ioThreads);
        context.name = context.options.name.toStdString();
        context.log = log::get("http");
    }

    Status prepareTls();
    void accept(qintptr descriptor);
    void logRejection();

    HttpServerContext context;
    std::unique_ptr<HttpListener> listener;
    std::vector<std::unique_ptr<HttpIoThread>> threads;
    std::size_t nextThread = 0;
    quint16 port = 0;
    QElapsedTimer rejectionLogTimer;
    int rejectedSinceLog = 0;
};

Status HttpServer::Impl::prepareTls()
{
    const bool cert = !context.options.tlsCertFile.isEmpty();
    const bool key = !context.options.tlsKeyFile.isEmpty();
    context.tls = false;
    if (!cert && !key)
        return {};
    if (cert != key)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("Only one of TLS_CERT_FILE and TLS_KEY_FILE is set for %1; "
                           "set both to serve HTTPS or neither for plain HTTP")
                .arg(context.options.name));
#if QT_CONFIG(ssl)
    auto configuration = loadServerTls(context.options.tlsCertFile, context.options.tlsKeyFile);
    if (!configuration)
        return configuration.error();
    context.sslConfiguration = std::move(configuration).value();
    context.tls = true;
    return {};
#else
    return makeError(
        ErrorCode::Unavailable, QStringLiteral("TLS_CERT_FILE is set but this build has no TLS support; unset it"));
#endif
}

void HttpServer::Impl::accept(qintptr descriptor)
{
    bool reject = false;
    if (context.openConnections.load(std::memory_order_relaxed) >= context.options.maxConnections) {
        reject = true;
        logRejection();
    } else {
        context.openConnections.fetch_add(1, std::memory_order_relaxed);
    }
    threads[nextThread++ % threads.size()]->addConnection(descriptor, reject);
}

void HttpServer::Impl::logRejection()
{
    // Under a connection flood this runs thousands of times a second, so it
    // logs one line every 5 s with a count.
    ++rejectedSinceLog;
    if (rejectionLogTimer.isValid() && rejectionLogTimer.elapsed() < 5000)
        return;
    context.log->warn("refused connections with 503, server={} refused={} limit={}; too many open connections, "
                      "raise the connection limit or find the client that keeps them open",
        context.name, rejectedSinceLog, context.options.maxConnections);
    rejectedSinceLog = 0;
    rejectionLogTimer.start();
}

HttpServer::HttpServer(HttpServerOptions options, QObject *parent)
    : QObject(parent)
    , m_impl(std::make_unique<Impl>(std::move(options)))
{
}

HttpServer::~HttpServer()
{
    close();
}

void HttpServer::route(const QByteArray &method, const QByteArray &path, Handler handler)
{
    if (m_impl->listener) {
        m_impl->context.log->warn("route ignored, server={} method={} path={}; routes must be added before listen()",
            m_impl->context.name, method, path);
        return;
    }
    m_impl->context.router.add(method, path, std::move(handler));
}

void HttpServer::routePrefix(const QByteArray &method, const QByteArray &prefix, Handler handler)
{
    if (m_impl->listener) {
        m_impl->context.log->warn("route ignored, server={} method={} prefix={}; routes must be added before listen()",
            m_impl->context.name, method, prefix);
        return;
    }
    m_impl->context.router.addPrefix(method, prefix, std::move(handler));
}

Result<quint16> HttpServer::listen(const QHostAddress &address, quint16 port)
{
    Impl &d = *m_impl;
    if (d.listener)
        return makeError(ErrorCode::Conflict,
            QStringLiteral("%1 already listens on port %2; call close() first")
                .arg(d.context.options.name)
                .arg(d.port));
    if (const Status tls = d.prepareTls(); !tls) {
        d.context.log->error("could not start listening, server={} error={}", d.context.name, tls.error().message);
        return tls.error();
    }
    raiseDescriptorLimit(*d.context.log);

    for (int index = 0; index < d.context.options.ioThreads; ++index) {
        d.threads.push_back(std::make_unique<HttpIoThread>(d.context, index));
        d.threads.back()->startAndWait();
    }
    d.listener = std::make_unique<HttpListener>([&d](qintptr descriptor) { d.accept(descriptor); });
    // Qt's default backlog of 50 drops connection bursts, such as thousands
    // of clients reconnecting after a restart. The kernel caps it at somaxconn.
    d.listener->setListenBacklogSize(1024);
    if (!d.listener->listen(address, port)) {
        const QString reason = d.listener->errorString();
        d.context.log->error("could not listen, server={} address={} port={} error={}; choose a free port or stop "
                             "the program that holds it",
            d.context.name, address.toString(), port, reason);
        close();
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("%1 cannot listen on %2:%3: %4; choose a free port or "
                           "stop the program that holds it")
                .arg(d.context.options.name, address.toString())
                .arg(port)
                .arg(reason));
    }

    d.port = d.listener->serverPort();
    d.context.log->info("listening, server={} address={} port={} io_threads={} tls={}", d.context.name,
        address.toString(), d.port, d.context.options.ioThreads, d.context.tls);
    return d.port;
}

void HttpServer::close()
{
    Impl &d = *m_impl;
    const bool wasListening = d.listener && d.listener->isListening();
    if (d.listener)
        d.listener->close();
    for (auto &thread : d.threads)
        thread->stop();
    d.threads.clear();
    d.listener.reset();
    if (wasListening)
        d.context.log->info("stopped listening, server={} port={}", d.context.name, d.port);
    d.port = 0;
}

quint16 HttpServer::port() const
{
    return m_impl->port;
}

int HttpServer::openConnections() const
{
    return m_impl->context.openConnections.load(std::memory_order_relaxed);
}

}  // namespace mutt::http
