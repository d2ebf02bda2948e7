#include "forwarder/MoogConnection.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace mutt::forwarder {

MoogConnection::MoogConnection(MoogEndpoint endpoint, Finished finished, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_finished(std::move(finished))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &MoogConnection::onTimeout);
}

MoogConnection::~MoogConnection()
{
    m_busy = false;
    dropSocket();
}

bool MoogConnection::connected() const
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const auto *tlsSocket = qobject_cast<const QSslSocket *>(m_socket);
    return !tlsSocket || tlsSocket->isEncrypted();
}

void MoogConnection::start(quint64 id, QByteArray request, int timeoutMs)
{
    m_id = id;
    m_request = std::move(request);
    m_busy = true;
    m_written = false;
    m_resent = false;
    m_timeoutMs = timeoutMs;
    m_reader.reset();
    m_started.start();
    m_sentAtMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.start(timeoutMs);

    m_reused = connected();
    if (m_reused)
        writeRequest();
    else
        openSocket();
}

void MoogConnection::abort()
{
    m_busy = false;
    m_timer.stop();
    dropSocket();
}

void MoogConnection::openSocket()
{
    dropSocket();
    m_lowDelay = false;
    if (m_endpoint.tls) {
        auto *tlsSocket = new QSslSocket(this);
        tlsSocket->setSslConfiguration(m_endpoint.ssl);
        tlsSocket->setPeerVerifyName(m_endpoint.host);
        connect(tlsSocket, &QSslSocket::encrypted, this, &MoogConnection::writeRequest);
        m_socket = tlsSocket;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &MoogConnection::writeRequest);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &MoogConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &MoogConnection::onClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &MoogConnection::onSocketError);

    if (auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket))
        tlsSocket->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
    else
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

void MoogConnection::dropSocket()
{
    if (!m_socket)
        return;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void MoogConnection::writeRequest()
{
    if (!m_busy || m_written || !m_socket)
        return;
    // TCP_NODELAY is set once per socket and stays set while the connection is reused.
    if (!m_lowDelay) {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_lowDelay = true;
    }
    m_written = true;

    // A plain TCP socket with nothing buffered gets the request straight
    // from send(). QTcpSocket::write() buffers it and turns the write
    // notifier on and off again. With Qt 6.4 on GLib 2.74 each change wrote
    // to the loop's wake-up eventfd (strace: two writes per request). The
    // bytes send() does not take go through write(), which also reports
    // errors the usual way.
    qsizetype sent = 0;
#ifdef Q_OS_UNIX
    if (!m_endpoint.tls && m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0) {
        const ssize_t written = ::send(int(m_socket->socketDescriptor()), m_request.constData(),
            size_t(m_request.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        sent = written > 0 ? qsizetype(written) : 0;
    }
#endif
    if (sent < m_request.size())
        m_socket->write(m_request.constData() + sent, m_request.size() - sent);
}

void MoogConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_busy) {
        dropSocket();  // unrequested bytes: the connection is out of step
        return;
    }

    const HttpResponseReader::State state = m_reader.feed(bytes);
    if (state == HttpResponseReader::State::Invalid)
        fail(QStringLiteral("invalid HTTP response"), false);
    else if (state == HttpResponseReader::State::Done)
        finishFromReader();
}

void MoogConnection::finishFromReader()
{
    SendResult result;
    result.id = m_id;
    result.httpStatus = m_reader.status();
    result.body = m_reader.body();
    result.retryAfter = m_reader.header("retry-after");
    result.latencySeconds = double(m_started.nsecsElapsed()) / 1e9;
    result.sentAtMs = m_sentAtMs;
    if (!m_reader.keepAlive() || !connected())
        dropSocket();
    finish(std::move(result));
}

void MoogConnection::onClosed()
{
    onBroken(true);
}

void MoogConnection::onSocketError()
{
    onBroken(m_socket && m_socket->error() == QAbstractSocket::RemoteHostClosedError);
}

void MoogConnection::onBroken(bool closedByPeer)
{
    if (!m_busy || !m_socket) {
        dropSocket();
        return;
    }
    const QString reason = m_socket->errorString();

    // A body framed by the end of the connection is complete now.
    if (closedByPeer && m_reader.state() == HttpResponseReader::State::Body
        && m_reader.finishAtClose() == HttpResponseReader::State::Done) {
        finishFromReader();
        return;
    }

    // A reused keep-alive connection that the server had already closed: the
    // request never reached it, so one resend on a new connection is safe.
    if (m_reused && !m_reader.started() && !m_resent) {
        m_resent = true;
        m_reused = false;
        m_written = false;
        openSocket();
        return;
    }
    fail(closedByPeer || reason.isEmpty() ? QStringLiteral("connection closed before the response was complete")
                                          : reason,
        false);
}

void MoogConnection::onTimeout()
{
    if (m_busy)
        fail(QStringLiteral("no response within %1 ms").arg(m_timeoutMs), true);
}

void MoogConnection::fail(const QString &error, bool timedOut)
{
    SendResult result;
    result.id = m_id;
    result.error = error;
    result.timedOut = timedOut;
    result.latencySeconds = double(m_started.nsecsElapsed()) / 1e9;
    result.sentAtMs = m_sentAtMs;
    dropSocket();
    finish(std::move(result));
}

void MoogConnection::finish(SendResult result)
{
    m_busy = false;
    m_timer.stop();
    m_request.clear();
    m_finished(this, std::move(result));
}

}  // namespace mutt::forwarder
