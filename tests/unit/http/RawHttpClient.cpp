#include "RawHttpClient.h"

#include <QHostAddress>

RawHttpClient::RawHttpClient(quint16 port, bool tls, QObject *parent) : QObject(parent), m_tls(tls)
{
    connect(&m_socket, &QSslSocket::readyRead, this, &RawHttpClient::onReadyRead);
    connect(&m_socket, &QSslSocket::disconnected, this, [this] { m_closed = true; });
    if (!tls) {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return;
    }
    m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    connect(&m_socket, &QSslSocket::sslErrors, this, [this] { m_socket.ignoreSslErrors(); });
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
}

QByteArray RawHttpClient::Response::header(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return entry.second;
    }
    return {};
}

void RawHttpClient::send(QByteArrayView bytes)
{
    // Before the connection is up the socket buffers the bytes and sends
    // them once connected, and flushing then would fail.
    m_socket.write(bytes.data(), bytes.size());
    if (isConnected())
        m_socket.flush();
}

bool RawHttpClient::hasResponse() const
{
    return bufferedResponses() > 0;
}

int RawHttpClient::bufferedResponses() const
{
    int count = 0;
    qsizetype offset = 0;
    while (const auto response = parseAt(m_buffer, offset)) {
        offset = response->second;
        ++count;
    }
    return count;
}

RawHttpClient::Response RawHttpClient::take()
{
    auto response = parseAt(m_buffer, 0);
    if (!response)
        return {};
    m_buffer.remove(0, response->second);
    return response->first;
}

std::optional<std::pair<RawHttpClient::Response, qsizetype>> RawHttpClient::parseAt(
    const QByteArray &buffer, qsizetype offset)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n", offset);
    if (end < 0)
        return std::nullopt;

    Response response;
    const QList<QByteArray> lines = buffer.mid(offset, end - offset).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2)
        return std::nullopt;
    response.status = statusLine.at(1).toInt();
    qint64 length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        response.headers.append({name, value});
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            length = value.toLongLong();
    }

    const qsizetype bodyStart = end + 4;
    if (buffer.size() - bodyStart < length)
        return std::nullopt;
    response.body = buffer.mid(bodyStart, length);
    return std::make_pair(response, bodyStart + length);
}

void RawHttpClient::onReadyRead()
{
    m_buffer.append(m_socket.readAll());
}
