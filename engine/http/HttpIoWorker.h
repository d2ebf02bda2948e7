#pragma once

#include "http/HttpServerContext.h"

#include <QObject>
#include <QTimer>

#include <unordered_set>

namespace mutt::http {

class HttpConnection;

// Connection owner on one I/O thread. Wraps accepted sockets into connections
// and checks their deadlines with one coarse timer. A timer per connection
// would be restarted on every request, which costs more than scanning all
// connections a few times a second.
class HttpIoWorker final : public QObject {
    Q_OBJECT
public:
    explicit HttpIoWorker(HttpServerContext &context);
    ~HttpIoWorker() override;
    Q_DISABLE_COPY_MOVE(HttpIoWorker)

    // Takes ownership of an accepted socket descriptor. With `reject` the
    // client gets 503 and the connection closes (connection limit reached).
    void accept(qintptr descriptor, bool reject);

private:
    QAbstractSocket *createSocket();
    void sweep();
    void remove(HttpConnection *connection);

    HttpServerContext &m_context;
    std::unordered_set<HttpConnection *> m_connections;
    QTimer m_sweepTimer;
};

}  // namespace mutt::http
