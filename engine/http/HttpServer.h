#pragma once

#include "core/Result.h"
#include "http/HttpTypes.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace mutt::http {

struct HttpServerOptions {
    QString name = QStringLiteral("http");  // used in log lines
    int ioThreads = 2;  // connections are spread over this many event-loop threads
    qint64 maxBodyBytes = 10 * 1024 * 1024;  // larger bodies get 413 before they are read
    QString maxBodySetting;  // the setting behind maxBodyBytes, named in the 413 message (empty: none)
    qint64 maxHeaderBytes = 64 * 1024;  // larger header blocks get 431
    std::chrono::milliseconds headerTimeout {10'000};  // the whole header block must arrive within this
    std::chrono::milliseconds bodyIdleTimeout {10'000};  // the body must keep moving: max gap between reads
    std::chrono::milliseconds keepAliveTimeout {120'000};  // idle keep-alive connections are closed after this
    int maxConnections = 10'000;
    QString tlsCertFile;  // both set: serve HTTPS
    QString tlsKeyFile;
    ErrorFormatter errorFormatter;  // empty: defaultErrorResponse
};

// A small HTTP/1.1 server: keep-alive, pipelining (answers in request order),
// chunked request bodies, Expect: 100-continue, header and body timeouts.
// Routes are exact paths per method, plus prefix routes; unknown paths get
// 404 and known paths with another method 405.
class HttpServer final : public QObject {
    Q_OBJECT
public:
    explicit HttpServer(HttpServerOptions options, QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    // Registration must happen before listen().
    void route(const QByteArray &method, const QByteArray &path, Handler handler);
    // Matches any path that starts with `prefix` (for "/api/v2/rules/<id>").
    void routePrefix(const QByteArray &method, const QByteArray &prefix, Handler handler);

    // Binds and starts accepting. Port 0 picks a free port; the bound port is returned.
    Result<quint16> listen(const QHostAddress &address, quint16 port);
    // Stops accepting, closes connections and joins the I/O threads.
    void close();

    [[nodiscard]] quint16 port() const;
    [[nodiscard]] int openConnections() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace mutt::http
