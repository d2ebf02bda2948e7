#pragma once

#include <QTcpServer>

#include <functional>

namespace mutt::http {

// Accepts on the server's thread and passes each raw descriptor on. The I/O
// thread that owns the connection creates its QTcpSocket.
class HttpListener final : public QTcpServer {
    Q_OBJECT
public:
    using AcceptFunction = std::function<void(qintptr descriptor)>;

    explicit HttpListener(AcceptFunction onAccept, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HttpListener)

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    AcceptFunction m_onAccept;
};

}  // namespace mutt::http
