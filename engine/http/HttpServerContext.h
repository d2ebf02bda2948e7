#pragma once

#include "http/HttpRouter.h"
#include "http/HttpServer.h"

#include "core/Log.h"

#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#endif

#include <atomic>
#include <memory>

namespace mutt::http {

// State shared by every I/O thread and connection of one server. The server
// owns it and it outlives the threads. While they run it is read-only, apart
// from the connection counter.
struct HttpServerContext {
    HttpServerOptions options;
    HttpRouter router;
    std::shared_ptr<spdlog::logger> log;
    std::string name;  // options.name as UTF-8, for log lines
    std::atomic<int> openConnections {0};
    bool tls = false;
#if QT_CONFIG(ssl)
    QSslConfiguration sslConfiguration;
#endif
};

}  // namespace mutt::http
