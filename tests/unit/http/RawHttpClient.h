#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSslSocket>

#include <optional>
#include <utility>

// Byte-level HTTP client for tests. It writes exactly the bytes the test
// passes and splits what comes back into responses. It lives on the test
// thread, so waiting for responses must process events (QTRY_*), which also
// lets a server on the same thread accept.
class RawHttpClient final : public QObject {
    Q_OBJECT
public:
    struct Response {
        int status = 0;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        [[nodiscard]] QByteArray header(QByteArrayView name) const;
    };

    // With `tls` the client speaks TLS and accepts any server certificate.
    explicit RawHttpClient(quint16 port, bool tls = false, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RawHttpClient)

    [[nodiscard]] bool isConnected() const
    {
        return m_socket.state() == QAbstractSocket::ConnectedState && (!m_tls || m_socket.isEncrypted());
    }
    [[nodiscard]] bool isClosed() const { return m_closed; }
    void send(QByteArrayView bytes);
    void close() { m_socket.abort(); }

    // True when a complete response (interim ones included) is buffered.
    [[nodiscard]] bool hasResponse() const;
    [[nodiscard]] int bufferedResponses() const;
    // Removes and returns the next complete response.
    Response take();
    [[nodiscard]] const QByteArray &buffered() const { return m_buffer; }

private:
    // The response starting at `offset` and the offset just after it.
    static std::optional<std::pair<Response, qsizetype>> parseAt(const QByteArray &buffer, qsizetype offset);
    void onReadyRead();

    QSslSocket m_socket;
    const bool m_tls;
    QByteArray m_buffer;
    bool m_closed = false;
};
