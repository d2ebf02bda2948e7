#include "forwarder/HttpResponseReader.h"

namespace mutt::forwarder {
namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;
constexpr qsizetype maxBodyKept = 64 * 1024;  // the rest is read and dropped: only an excerpt is used
constexpr qsizetype maxChunkLine = 4096;

bool headerEquals(const QByteArray &name, QByteArrayView expected)
{
    return name.compare(expected, Qt::CaseInsensitive) == 0;
}

}  // namespace

void HttpResponseReader::reset()
{
    *this = HttpResponseReader();
}

QByteArray HttpResponseReader::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (headerEquals(key, name))
            return value;
    }
    return {};
}

HttpResponseReader::State HttpResponseReader::feed(const QByteArray &bytes)
{
    if (m_state == State::Done || m_state == State::Invalid)
        return m_state;
    if (!bytes.isEmpty())
        m_started = true;
    m_buffer.append(bytes);

    if (m_state == State::Headers)
        m_state = parseHeaders();
    if (m_state == State::Body)
        m_state = parseBody();
    return m_state;
}

HttpResponseReader::State HttpResponseReader::finishAtClose()
{
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Done;
    else if (m_state != State::Done)
        m_state = State::Invalid;
    return m_state;
}

HttpResponseReader::State HttpResponseReader::parseHeaders()
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return m_buffer.size() > maxHeaderBytes ? State::Invalid : State::Headers;

        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        m_buffer.remove(0, end + 4);

        const QList<QByteArray> statusParts = lines.first().trimmed().split(' ');
        bool ok = false;
        m_status = statusParts.size() >= 2 ? statusParts.at(1).toInt(&ok) : 0;
        if (!statusParts.first().startsWith("HTTP/1.") || !ok || m_status < 100 || m_status > 999)
            return State::Invalid;
        const bool http10 = statusParts.first() == "HTTP/1.0";

        m_headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return State::Invalid;
            m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        if (m_status >= 100 && m_status < 200)
            continue;  // interim response (100 Continue, 103 Early Hints): the final one follows

        const QByteArray connection = header("connection").toLower();
        m_keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        if (header("transfer-encoding").toLower().contains("chunked")) {
            m_framing = Framing::Chunked;
        } else if (const QByteArray length = header("content-length"); !length.isEmpty()) {
            m_remaining = length.toLongLong(&ok);
            if (!ok || m_remaining < 0)
                return State::Invalid;
            m_framing = Framing::Length;
        } else if (m_status == 204 || m_status == 304) {
            m_framing = Framing::None;
        } else {
            m_framing = Framing::UntilClose;
            m_keepAlive = false;
        }
        return State::Body;
    }
}

HttpResponseReader::State HttpResponseReader::parseBody()
{
    switch (m_framing) {
    case Framing::None: return State::Done;
    case Framing::UntilClose:
        keepBody(m_buffer);
        m_buffer.clear();
        return State::Body;
    case Framing::Length: {
        const qsizetype take = qsizetype(std::min<qint64>(m_remaining, m_buffer.size()));
        keepBody(QByteArrayView(m_buffer).first(take));
        m_buffer.remove(0, take);
        m_remaining -= take;
        return m_remaining == 0 ? State::Done : State::Body;
    }
    case Framing::Chunked: return parseChunks();
    }
    return State::Invalid;
}

HttpResponseReader::State HttpResponseReader::parseChunks()
{
    for (;;) {
        if (m_inChunk) {
            const qsizetype take = qsizetype(std::min<qint64>(m_remaining, m_buffer.size()));
            keepBody(QByteArrayView(m_buffer).first(take));
            m_buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining > 0 || m_buffer.size() < 2)
                return State::Body;
            if (!m_buffer.startsWith("\r\n"))
                return State::Invalid;
            m_buffer.remove(0, 2);
            m_inChunk = false;
            continue;
        }

        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return m_buffer.size() > maxChunkLine ? State::Invalid : State::Body;
        const QByteArray line = m_buffer.left(lineEnd);
        m_buffer.remove(0, lineEnd + 2);

        if (m_inTrailers) {
            if (line.isEmpty())
                return State::Done;
            continue;
        }

        bool ok = false;
        const qint64 size = line.split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return State::Invalid;
        if (size == 0) {
            m_inTrailers = true;
            continue;
        }
        m_remaining = size;
        m_inChunk = true;
    }
}

void HttpResponseReader::keepBody(QByteArrayView bytes)
{
    const qsizetype room = maxBodyKept - m_body.size();
    if (room > 0)
        m_body.append(bytes.first(std::min(room, bytes.size())));
}

}  // namespace mutt::forwarder
