#include "forwarder/HttpResponseReader.h"

namespace mutt::forwarder {
namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;
constexpr qsizetype maxBodyKept = 64 * 1024;  // the rest is read and dropped: only an excerpt is used
constexpr qsizetype maxChunkLine = 4096;

bool headerEquals(QByteArrayView name, QByteArrayView expected)
{
    return name.compare(expected, Qt::CaseInsensitive) == 0;
}

bool containsNoCase(QByteArrayView text, QByteArrayView word)
{
    for (qsizetype i = 0; i + word.size() <= text.size(); ++i) {
        if (text.sliced(i, word.size()).compare(word, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

}  // namespace

void HttpResponseReader::reset()
{
    *this = HttpResponseReader();
}

QByteArray HttpResponseReader::header(QByteArrayView name) const
{
    return headerView(name).toByteArray();
}

QByteArrayView HttpResponseReader::headerView(QByteArrayView name) const
{
    const QByteArrayView block(m_headerBlock);
    for (const HeaderField &field : m_headers) {
        if (headerEquals(block.sliced(field.name, field.nameLength), name))
            return block.sliced(field.value, field.valueLength);
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

// Parses the status line and headers in place and keeps them as offsets into
// m_headerBlock, so a response costs no copy per header line.
HttpResponseReader::State HttpResponseReader::parseHeaders()
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return m_buffer.size() > maxHeaderBytes ? State::Invalid : State::Headers;

        m_headerBlock = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        const QByteArrayView block(m_headerBlock);

        qsizetype lineEnd = block.indexOf('\n');
        if (lineEnd < 0)
            lineEnd = block.size();
        // "HTTP/1.1 200 OK": the version, then the code up to the next space.
        const QByteArrayView statusLine = block.first(lineEnd).trimmed();
        const qsizetype versionEnd = statusLine.indexOf(' ');
        if (versionEnd < 0)
            return State::Invalid;
        const QByteArrayView version = statusLine.first(versionEnd);
        QByteArrayView code = statusLine.sliced(versionEnd + 1);
        if (const qsizetype codeEnd = code.indexOf(' '); codeEnd >= 0)
            code = code.first(codeEnd);
        bool ok = false;
        m_status = code.toInt(&ok);
        if (!version.startsWith("HTTP/1.") || !ok || m_status < 100 || m_status > 999)
            return State::Invalid;
        const bool http10 = version == "HTTP/1.0";

        m_headers.clear();
        while (lineEnd < block.size()) {
            const qsizetype start = lineEnd + 1;
            lineEnd = block.indexOf('\n', start);
            if (lineEnd < 0)
                lineEnd = block.size();
            const QByteArrayView line = block.sliced(start, lineEnd - start).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return State::Invalid;
            const QByteArrayView name = line.first(colon).trimmed();
            const QByteArrayView value = line.sliced(colon + 1).trimmed();
            m_headers.append(
                HeaderField {name.data() - block.data(), name.size(), value.data() - block.data(), value.size()});
        }
        if (m_status >= 100 && m_status < 200)
            continue;  // interim response (100 Continue, 103 Early Hints): the final one follows

        const QByteArrayView connection = headerView("connection");
        m_keepAlive = http10 ? containsNoCase(connection, "keep-alive") : !containsNoCase(connection, "close");
        if (containsNoCase(headerView("transfer-encoding"), "chunked")) {
            m_framing = Framing::Chunked;
        } else if (const QByteArrayView length = headerView("content-length"); !length.isEmpty()) {
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
