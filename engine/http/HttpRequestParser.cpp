#include "http/HttpRequestParser.h"

#include <cstring>
#include <optional>

namespace mutt::http {
namespace {

constexpr qsizetype kMaxChunkLine = 4096;

constexpr bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Field values may contain visible characters, spaces, tabs and obs-text but
// no other control characters, because a bare CR or NUL is how smuggling attempts look.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && byte != '\t') || byte == 0x7f)
            return false;
    }
    return true;
}

bool isTargetText(QByteArrayView text)
{
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            return false;
    }
    return true;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin);
}

QByteArrayView withoutCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

std::optional<qint64> parseContentLength(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 18)
        return std::nullopt;
    qint64 length = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        length = length * 10 + (c - '0');
    }
    return length;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void collapseSlashes(QByteArray &path)
{
    qsizetype out = 0;
    for (qsizetype in = 0; in < path.size(); ++in) {
        if (path[in] == '/' && out > 0 && path[out - 1] == '/')
            continue;
        path[out++] = path[in];
    }
    path.truncate(out);
}

void assignIfDifferent(QByteArray &field, QByteArrayView value)
{
    if (field != value)
        field = value.toByteArray();
}

}  // namespace

HttpRequestParser::HttpRequestParser(qint64 maxHeaderBytes, qint64 maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
{
}

HttpRequestParser::Phase HttpRequestParser::phase() const
{
    switch (m_state) {
    case State::RequestLine: return m_started ? Phase::Headers : Phase::Idle;
    case State::Headers: return Phase::Headers;
    case State::Failed: return Phase::Idle;
    default: return Phase::Body;
    }
}

HttpRequestParser::Outcome HttpRequestParser::parse(const QByteArray &buffer, qsizetype &pos)
{
    for (;;) {
        Step step;
        switch (m_state) {
        case State::RequestLine:
        case State::Headers: step = parseLines(buffer, pos); break;
        case State::Body: step = parseBody(buffer, pos); break;
        case State::ChunkSize: step = parseChunkSize(buffer, pos); break;
        case State::ChunkData: step = parseChunkData(buffer, pos); break;
        case State::ChunkDataEnd: step = parseChunkDataEnd(buffer, pos); break;
        case State::Trailers: step = parseTrailers(buffer, pos); break;
        case State::Failed: return Outcome::Error;
        }
        if (step)
            return *step;
    }
}

HttpRequestParser::Step HttpRequestParser::parseLines(const QByteArray &buffer, qsizetype &pos)
{
    const char *data = buffer.constData();
    const qsizetype size = buffer.size();

    while (pos < size) {
        if (m_state == State::RequestLine && !m_started) {
            // Empty lines before a request line are tolerated (RFC 9112 section 2.2).
            while (pos < size && (data[pos] == '\r' || data[pos] == '\n'))
                ++pos;
            if (pos == size)
                return Outcome::NeedMore;
            startRequest();
        }

        const auto *newline = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(size - pos)));
        if (!newline) {
            if (m_headerBytes + (size - pos) > m_maxHeaderBytes)
                return fail(431, "header block too large");
            return Outcome::NeedMore;
        }

        const qsizetype length = newline - (data + pos) + 1;
        m_headerBytes += length;
        if (m_headerBytes > m_maxHeaderBytes)
            return fail(431, "header block too large");
        const QByteArrayView line = withoutCr(QByteArrayView(data + pos, length - 1));
        pos += length;

        if (m_state == State::RequestLine) {
            if (!onRequestLine(line))
                return Outcome::Error;
            m_state = State::Headers;
            continue;
        }
        if (line.isEmpty())
            return onHeadersComplete(buffer, pos);
        if (!onHeaderLine(line))
            return Outcome::Error;
    }
    return Outcome::NeedMore;
}

bool HttpRequestParser::onRequestLine(QByteArrayView line)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
        fail(400, "malformed request line");
        return false;
    }

    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method) || target.isEmpty() || !isTargetText(target)) {
        fail(400, "malformed request line");
        return false;
    }

    if (version == "HTTP/1.1") {
        m_http10 = false;
    } else if (version == "HTTP/1.0") {
        m_http10 = true;
    } else {
        const bool looksLikeHttp = version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.';
        fail(looksLikeHttp ? 505 : 400, looksLikeHttp ? "unsupported HTTP version" : "malformed request line");
        return false;
    }

    assignIfDifferent(m_request.method, method);
    if (!setTarget(target)) {
        fail(400, "malformed request target");
        return false;
    }
    return true;
}

bool HttpRequestParser::setTarget(QByteArrayView target)
{
    if (target == "*") {
        assignIfDifferent(m_request.path, target);
        assignIfDifferent(m_request.rawPath, target);
        m_request.query.clear();
        return true;
    }

    // Absolute form ("http://host/path") is accepted from proxies; the
    // authority is dropped because routing is by path only.
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf("://");
        if (scheme <= 0)
            return false;
        const qsizetype slash = target.indexOf('/', scheme + 3);
        target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }

    const qsizetype question = target.indexOf('?');
    const QByteArrayView rawPath = question < 0 ? target : target.first(question);
    const QByteArrayView query = question < 0 ? QByteArrayView() : target.sliced(question + 1);
    if (query.isEmpty())
        m_request.query.clear();
    else
        assignIfDifferent(m_request.query, query);

    assignIfDifferent(m_request.rawPath, rawPath);
    if (!rawPath.contains('%') && !rawPath.contains("//")) {
        assignIfDifferent(m_request.path, rawPath);
        return true;
    }
    QByteArray path = QByteArray::fromPercentEncoding(rawPath.toByteArray());
    collapseSlashes(path);
    m_request.path = std::move(path);
    return true;
}

bool HttpRequestParser::onHeaderLine(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, "malformed header line");
        return false;
    }
    const QByteArrayView name = line.first(colon);
    const QByteArrayView value = trimmed(line.sliced(colon + 1));
    if (!isFieldValue(value)) {
        fail(400, "control character in a header value");
        return false;
    }

    QList<Header> &headers = m_request.headers;
    if (m_headerCount < headers.size()) {
        const Header &previous = std::as_const(headers).at(m_headerCount);
        if (previous.first != name)
            headers[m_headerCount] = Header(name.toByteArray(), value.toByteArray());
        else if (previous.second != value)
            headers[m_headerCount].second = value.toByteArray();
    } else {
        headers.append(Header(name.toByteArray(), value.toByteArray()));
    }
    ++m_headerCount;

    if (equalsIgnoringCase(name, "content-length")) {
        const auto length = parseContentLength(value);
        if (!length || (m_contentLength >= 0 && m_contentLength != *length)) {
            fail(400, "invalid Content-Length");
            return false;
        }
        m_contentLength = *length;
    } else if (equalsIgnoringCase(name, "transfer-encoding")) {
        if (!equalsIgnoringCase(value, "chunked")) {
            fail(501, "unsupported Transfer-Encoding");
            return false;
        }
        m_chunked = true;
    } else if (equalsIgnoringCase(name, "connection")) {
        for (QByteArrayView rest = value; !rest.isEmpty();) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView token = trimmed(comma < 0 ? rest : rest.first(comma));
            m_connectionClose = m_connectionClose || equalsIgnoringCase(token, "close");
            m_connectionKeepAlive = m_connectionKeepAlive || equalsIgnoringCase(token, "keep-alive");
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    } else if (equalsIgnoringCase(name, "expect")) {
        if (!equalsIgnoringCase(value, "100-continue")) {
            fail(417, "unsupported Expect");
            return false;
        }
        m_expectContinue = true;
    }
    return true;
}

HttpRequestParser::Step HttpRequestParser::onHeadersComplete(const QByteArray &buffer, qsizetype pos)
{
    if (m_request.headers.size() > m_headerCount)
        m_request.headers.resize(m_headerCount);
    m_request.keepAlive = m_http10 ? (m_connectionKeepAlive && !m_connectionClose) : !m_connectionClose;
    m_request.body = QByteArray();
    m_bodyTotal = 0;
    // A client that already sent body bytes is not waiting for "100 Continue".
    const bool waitsForContinue = m_expectContinue && pos == buffer.size();

    if (m_chunked) {
        // Both framings at once is how request smuggling starts (RFC 9112 section 6.3).
        if (m_contentLength >= 0)
            return fail(400, "both Content-Length and Transfer-Encoding");
        m_state = State::ChunkSize;
        m_headerBytes = 0;
        return waitsForContinue ? Step(Outcome::ExpectContinue) : std::nullopt;
    }
    if (m_contentLength > m_maxBodyBytes)
        return fail(413, "declared body too large");
    if (m_contentLength > 0) {
        m_state = State::Body;
        m_remaining = m_contentLength;
        return waitsForContinue ? Step(Outcome::ExpectContinue) : std::nullopt;
    }
    return completeRequest();
}

HttpRequestParser::Step HttpRequestParser::parseBody(const QByteArray &buffer, qsizetype &pos)
{
    const qsizetype available = buffer.size() - pos;
    if (available <= 0)
        return Outcome::NeedMore;

    // In the common case the whole body is already buffered and is taken in one copy.
    if (m_bodyTotal == 0 && available >= m_remaining) {
        m_request.body = buffer.mid(pos, m_remaining);
        pos += m_remaining;
        return completeRequest();
    }

    if (m_bodyTotal == 0)
        m_request.body.reserve(m_contentLength);
    const qsizetype take = qMin<qint64>(available, m_remaining);
    m_request.body.append(buffer.constData() + pos, take);
    pos += take;
    m_bodyTotal += take;
    m_remaining -= take;
    return m_remaining == 0 ? completeRequest() : Outcome::NeedMore;
}

HttpRequestParser::Step HttpRequestParser::parseChunkSize(const QByteArray &buffer, qsizetype &pos)
{
    const char *data = buffer.constData();
    const qsizetype size = buffer.size();
    if (pos >= size)
        return Outcome::NeedMore;
    const auto *newline = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(size - pos)));
    if (!newline)
        return size - pos > kMaxChunkLine ? fail(400, "chunk size line too long") : Outcome::NeedMore;

    const qsizetype length = newline - (data + pos) + 1;
    const QByteArrayView line = withoutCr(QByteArrayView(data + pos, length - 1));
    pos += length;

    qint64 chunk = 0;
    qsizetype digits = 0;
    for (; digits < line.size() && hexValue(line[digits]) >= 0; ++digits) {
        chunk = chunk * 16 + hexValue(line[digits]);
        if (chunk > m_maxBodyBytes)
            return fail(413, "chunked body too large");
    }
    const QByteArrayView extension = trimmed(line.sliced(digits));
    if (digits == 0 || (!extension.isEmpty() && !extension.startsWith(';')))
        return fail(400, "malformed chunk size");

    if (chunk == 0) {
        m_state = State::Trailers;
        m_headerBytes = 0;
        return std::nullopt;
    }
    if (m_bodyTotal + chunk > m_maxBodyBytes)
        return fail(413, "chunked body too large");
    m_remaining = chunk;
    m_state = State::ChunkData;
    return std::nullopt;
}

HttpRequestParser::Step HttpRequestParser::parseChunkData(const QByteArray &buffer, qsizetype &pos)
{
    const qsizetype take = qMin<qint64>(buffer.size() - pos, m_remaining);
    if (take <= 0)
        return Outcome::NeedMore;

    m_request.body.append(buffer.constData() + pos, take);
    pos += take;
    m_bodyTotal += take;
    m_remaining -= take;
    if (m_remaining > 0)
        return Outcome::NeedMore;
    m_state = State::ChunkDataEnd;
    return std::nullopt;
}

HttpRequestParser::Step HttpRequestParser::parseChunkDataEnd(const QByteArray &buffer, qsizetype &pos)
{
    const qsizetype available = buffer.size() - pos;
    if (available <= 0)
        return Outcome::NeedMore;

    const char first = buffer.at(pos);
    if (first == '\n') {
        pos += 1;
    } else if (first == '\r') {
        if (available < 2)
            return Outcome::NeedMore;
        if (buffer.at(pos + 1) != '\n')
            return fail(400, "chunk data not followed by CRLF");
        pos += 2;
    } else {
        return fail(400, "chunk data not followed by CRLF");
    }
    m_state = State::ChunkSize;
    return std::nullopt;
}

HttpRequestParser::Step HttpRequestParser::parseTrailers(const QByteArray &buffer, qsizetype &pos)
{
    const char *data = buffer.constData();
    const qsizetype size = buffer.size();

    while (pos < size) {
        const auto *newline = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(size - pos)));
        if (!newline)
            return m_headerBytes + (size - pos) > m_maxHeaderBytes ? fail(431, "trailer block too large")
                                                                   : Outcome::NeedMore;

        const qsizetype length = newline - (data + pos) + 1;
        m_headerBytes += length;
        if (m_headerBytes > m_maxHeaderBytes)
            return fail(431, "trailer block too large");
        const QByteArrayView line = withoutCr(QByteArrayView(data + pos, length - 1));
        pos += length;

        // Trailer fields are checked for form and dropped. Handlers see the
        // headers only, so nothing can be smuggled in after the body.
        if (line.isEmpty())
            return completeRequest();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)) || !isFieldValue(line.sliced(colon + 1)))
            return fail(400, "malformed trailer line");
    }
    return Outcome::NeedMore;
}

HttpRequestParser::Outcome HttpRequestParser::completeRequest()
{
    m_state = State::RequestLine;
    m_started = false;
    return Outcome::Request;
}

HttpRequestParser::Outcome HttpRequestParser::fail(int status, const char *reason)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorReason = reason;
    return Outcome::Error;
}

void HttpRequestParser::startRequest()
{
    m_started = true;
    m_headerCount = 0;
    m_headerBytes = 0;
    m_remaining = 0;
    m_bodyTotal = 0;
    m_contentLength = -1;
    m_chunked = false;
    m_expectContinue = false;
    m_http10 = false;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
}

}  // namespace mutt::http
