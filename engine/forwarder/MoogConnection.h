#pragma once

#include "forwarder/HttpResponseReader.h"
#include "forwarder/MoogClient.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace mutt::forwarder {

// One keep-alive HTTP/1.1 connection to the webhook carrying one request at a
// time. It reconnects when the server closed it, and resends a request once
// when a reused connection turns out to be closed before any response byte
// arrived (the server dropped an idle keep-alive connection).
class MoogConnection final : public QObject {
    Q_OBJECT
public:
    using Finished = std::function<void(MoogConnection *connection, SendResult result)>;

    MoogConnection(MoogEndpoint endpoint, Finished finished, QObject *parent = nullptr);
    ~MoogConnection() override;
    Q_DISABLE_COPY_MOVE(MoogConnection)

    // Sends the serialized request; `finished` runs once with its outcome.
    void start(quint64 id, QByteArray request, int timeoutMs);
    // Drops the current request without reporting it and closes the connection.
    void abort();
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] bool connected() const;

private:
    void openSocket();
    void writeRequest();
    void onReadyRead();
    void finishFromReader();
    void onClosed();
    void onSocketError();
    void onBroken(bool closedByPeer);
    void onTimeout();
    void fail(const QString &error, bool timedOut);
    void finish(SendResult result);
    void dropSocket();

    MoogEndpoint m_endpoint;
    Finished m_finished;
    QTcpSocket *m_socket = nullptr;
    HttpResponseReader m_reader;
    QTimer m_timer;
    QElapsedTimer m_started;
    qint64 m_sentAtMs = 0;  // epoch ms of start(), for SendResult::sentAtMs
    int m_timeoutMs = 0;

    quint64 m_id = 0;
    QByteArray m_request;
    bool m_busy = false;
    bool m_written = false;
    bool m_reused = false;  // the request went out on a connection that carried an earlier one
    bool m_resent = false;
    bool m_lowDelay = false;  // TCP_NODELAY is set on m_socket
};

}  // namespace mutt::forwarder
