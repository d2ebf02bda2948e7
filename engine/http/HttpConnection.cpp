#include "http/HttpConnection.h"

#include "http/HttpResponseWriter.h"

#include <QJsonObject>

#include <sys/socket.h>

#include <exception>

namespace mutt::http {
namespace {

using namespace std::chrono_literals;

// Maximum responses waiting behind a slow handler before reading stops (pipelining depth).
constexpr std::size_t kMaxPendingResponses = 64;
// Unsent output before reading stops, so a client that never reads cannot
// make the server buffer without bound.
constexpr qint64 kMaxPendingOutput = 1024 * 1024;
// How long the client's leftovers are drained after our last response before
// the socket is closed. Closing with unread input makes the kernel send a
// reset, which can destroy that response before the client reads it.
constexpr auto kLingerTime = 2s;
// Bytes the socket layer buffers while reading is paused.
constexpr qint64 kSocketReadBuffer = 256 * 1024;

QString decoded(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

}  // namespace

HttpConnection::HttpConnection(QAbstractSocket *socket, HttpServerContext &context, bool counted, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_context(context)
    , m_counted(counted)
    , m_guard(std::make_shared<ConnectionGuard>(this, QThread::currentThread(), parent, context.options.errorFormatter))
    , m_parser(context.options.maxHeaderBytes, context.options.maxBodyBytes)
    , m_acceptedAt(Clock::now())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_parser.request().peer = m_socket->peerAddress();
    m_lastRead = m_lastWrite = m_acceptedAt;

    connect(m_socket, &QAbstractSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::finish);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpConnection::finish);
    updateDeadline();
}

HttpConnection::~HttpConnection()
{
    {
        std::lock_guard lock(m_guard->mutex);
        m_guard->connection = nullptr;
    }
    QObject::disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    if (m_counted)
        m_context.openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void HttpConnection::deliver(quint64 sequence, HttpResponse response)
{
    Slot *slot = findSlot(sequence);
    if (!slot || slot->ready || m_mode != Mode::Open)
        return;

    slot->closeAfter = slot->closeAfter || responsewriter::asksToClose(response);
    const bool isHead = slot == &m_slots.front();
    responsewriter::append(isHead ? m_out : slot->bytes, response, !slot->closeAfter, slot->head);
    slot->ready = true;
    slot->inOutput = isHead;
    collectReady();

    if (!m_processing)
        writeOut();
}

void HttpConnection::reject(int status, const QString &message)
{
    m_stopParsing = true;
    answerError(status, message);
    writeOut();
}

void HttpConnection::onDeadline()
{
    if (m_mode == Mode::Done)
        return;
    if (m_mode == Mode::Lingering || m_socket->bytesToWrite() > 0) {
        abort();
        return;
    }

    const auto phase = m_parser.phase();
    if (phase == HttpRequestParser::Phase::Idle || !m_slots.empty() || m_stopParsing) {
        abort();
        return;
    }

    m_context.log->debug("closing a connection that stalled mid-request, server={} peer={} phase={}", m_context.name,
        m_socket->peerAddress().toString(), phase == HttpRequestParser::Phase::Headers ? "headers" : "body");
    m_stopParsing = true;
    answerError(408,
        QStringLiteral("Request timed out because its headers or body stopped arriving; "
                       "send the whole request without pauses"));
    writeOut();
}

void HttpConnection::abort()
{
    finish();
}

void HttpConnection::onReadyRead()
{
    if (m_mode == Mode::Done)
        return;
    if (m_mode != Mode::Open || m_stopParsing) {
        // Nothing more is parsed, so whatever the client still sends is dropped.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (inputPaused()) {
        m_paused = true;
        return;
    }

    readSocket();
    processInput();
}

void HttpConnection::onBytesWritten()
{
    m_lastWrite = Clock::now();
    if (m_socket->bytesToWrite() > 0)
        return;

    if (m_mode == Mode::Closing) {
        startLinger();
        return;
    }
    if (m_paused && !inputPaused() && !m_resumeQueued) {
        m_resumeQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_resumeQueued = false;
                m_paused = false;
                onReadyRead();
            },
            Qt::QueuedConnection);
    }
    updateDeadline();
}

void HttpConnection::readSocket()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;

    const qsizetype before = m_in.size();
    m_in.resize(before + available);
    const qint64 got = m_socket->read(m_in.data() + before, available);
    m_in.resize(before + qMax<qint64>(got, 0));
    m_lastRead = Clock::now();
}

void HttpConnection::processInput()
{
    m_processing = true;
    while (m_mode == Mode::Open && !m_stopParsing && !inputPaused()) {
        const auto outcome = m_parser.parse(m_in, m_pos);
        if (outcome == HttpRequestParser::Outcome::NeedMore)
            break;
        if (outcome == HttpRequestParser::Outcome::ExpectContinue) {
            queueInterim(responsewriter::kContinue);
        } else if (outcome == HttpRequestParser::Outcome::Request) {
            m_requestStart = {};
            dispatch();
        } else {
            m_stopParsing = true;
            // A 413 comes after the request line and headers were accepted, so
            // its path is known and the formatter can pick the path's format.
            // Other parse errors may come before the request line is complete.
            const int status = m_parser.errorStatus();
            answerError(status, parseErrorMessage(), status == 413 ? m_parser.request().path : QByteArray());
        }
    }
    m_processing = false;
    m_paused = m_pos < m_in.size() && inputPaused();

    compactInput();
    writeOut();
}

void HttpConnection::compactInput()
{
    if (m_pos == m_in.size()) {
        m_in.resize(0);
        m_pos = 0;
    } else if (m_pos > 0) {
        m_in.remove(0, m_pos);
        m_pos = 0;
    }
}

void HttpConnection::dispatch()
{
    const HttpRequest &request = m_parser.request();
    const bool head = request.method == "HEAD";
    const auto state = std::make_shared<HttpResponder::State>(m_guard, enqueue(!request.keepAlive, head), request.path);
    ++m_requests;
    if (!request.keepAlive)
        m_stopParsing = true;

    QByteArray allow;
    const Handler *handler = m_context.router.find(request.method, request.path, allow);
    if (!handler && head)
        handler = m_context.router.find(QByteArrayLiteral("GET"), request.path, allow);
    if (handler) {
        runHandler(*handler, request, state);
        return;
    }

    if (allow.isEmpty()) {
        state->send(errorResponse(404,
            QStringLiteral("No route for ") + decoded(request.method) + u' ' + decoded(request.path), request.path));
        return;
    }
    HttpResponse notAllowed = errorResponse(405,
        QStringLiteral("Method ") + decoded(request.method) + QStringLiteral(" is not allowed for ")
            + decoded(request.path) + QStringLiteral("; use one of: ") + decoded(allow),
        request.path);
    state->send(std::move(notAllowed.withHeader(QByteArrayLiteral("Allow"), allow)));
}

void HttpConnection::runHandler(
    const Handler &handler, const HttpRequest &request, const std::shared_ptr<HttpResponder::State> &state)
{
    // Exceptions must not cross the event loop, so a throwing handler gets a 500 response.
    const HttpResponder responder(state);
    try {
        handler(request, responder);
        return;
    } catch (const std::exception &error) {
        m_context.log->error("request handler failed, server={} method={} path={} error={}; sent 500 to the client",
            m_context.name, request.method, request.path, error.what());
    } catch (...) {
        m_context.log->error(
            "request handler failed, server={} method={} path={} error=unknown; sent 500 to the client", m_context.name,
            request.method, request.path);
    }
    responder.send(errorResponse(500, QStringLiteral("The request handler failed; see the server log"), request.path));
}

quint64 HttpConnection::enqueue(bool closeAfter, bool head)
{
    Slot &slot = m_slots.emplace_back();
    slot.sequence = m_nextSequence++;
    slot.closeAfter = closeAfter;
    slot.head = head;
    return slot.sequence;
}

void HttpConnection::queueInterim(QByteArrayView bytes)
{
    Slot *slot = findSlot(enqueue(false, false));
    slot->bytes = bytes.toByteArray();
    slot->ready = true;
    collectReady();
}

QString HttpConnection::parseErrorMessage() const
{
    if (m_parser.errorStatus() != 413)
        return QString::fromLatin1(m_parser.errorReason());
    const HttpServerOptions &options = m_context.options;
    const QString limit = options.maxBodySetting.isEmpty()
        ? QStringLiteral("%1 bytes").arg(options.maxBodyBytes)
        : QStringLiteral("%1 bytes (%2)").arg(options.maxBodyBytes).arg(options.maxBodySetting);
    return QStringLiteral("Request body is larger than the limit of %1; send it in smaller batches").arg(limit);
}

void HttpConnection::answerError(int status, const QString &message, const QByteArray &path)
{
    deliver(enqueue(true, false), errorResponse(status, message, path));
}

HttpResponse HttpConnection::errorResponse(int status, const QString &message, const QByteArray &path) const
{
    if (m_context.options.errorFormatter)
        return m_context.options.errorFormatter(status, message, path);
    return responsewriter::error(status, message);
}

HttpConnection::Slot *HttpConnection::findSlot(quint64 sequence)
{
    if (m_slots.empty() || sequence < m_slots.front().sequence)
        return nullptr;
    const quint64 index = sequence - m_slots.front().sequence;
    return index < m_slots.size() ? &m_slots[index] : nullptr;
}

void HttpConnection::collectReady()
{
    while (!m_slots.empty() && m_slots.front().ready) {
        Slot &front = m_slots.front();
        if (!front.inOutput)
            m_out.append(front.bytes);
        const bool last = front.closeAfter;
        m_slots.pop_front();
        if (last) {
            // Later requests of a closing connection get no response.
            m_slots.clear();
            m_stopParsing = true;
            m_mode = Mode::Closing;
            return;
        }
    }
}

void HttpConnection::writeOut()
{
    if (m_mode == Mode::Done || m_mode == Mode::Lingering)
        return;

    if (!m_out.isEmpty() && sendDirect()) {
        onBytesWritten();
        return;
    }
    if (!m_out.isEmpty()) {
        // Large buffers are handed over shared; small ones are copied so the
        // buffer keeps its capacity for the next batch.
        if (m_out.size() >= 4096) {
            m_socket->write(m_out);
            m_out = QByteArray();
        } else {
            m_socket->write(m_out.constData(), m_out.size());
            m_out.resize(0);
        }
        m_socket->flush();
    }
    if (m_mode == Mode::Closing && m_socket->bytesToWrite() == 0) {
        startLinger();
        return;
    }
    updateDeadline();
}

bool HttpConnection::sendDirect()
{
    // Only while the socket buffers nothing, so the bytes keep their order.
    // Writing through QAbstractSocket would switch its write notifier on
    // and off and copy the bytes once more for every response.
    if (m_context.tls || m_socket->bytesToWrite() > 0 || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const ssize_t sent = ::send(
        int(m_socket->socketDescriptor()), m_out.constData(), size_t(m_out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent <= 0)
        return false;  // a full socket buffer or an error: the socket's own write handles both
    if (sent < m_out.size()) {
        m_out.remove(0, qsizetype(sent));
        return false;
    }
    m_out.resize(0);
    return true;
}

void HttpConnection::startLinger()
{
    if (m_mode == Mode::Done || m_mode == Mode::Lingering)
        return;

    m_mode = Mode::Lingering;
    m_lingerUntil = Clock::now() + kLingerTime;
    m_deadline = m_lingerUntil;
    if (m_context.tls) {
        m_socket->disconnectFromHost();
        return;
    }
    // Half-close: the client reads the end of the stream and closes its side,
    // which ends the connection without a reset.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::finish()
{
    if (m_mode == Mode::Done)
        return;

    m_mode = Mode::Done;
    m_deadline = Clock::time_point::max();
    QObject::disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    emit finished(this);
}

bool HttpConnection::inputPaused() const
{
    return m_slots.size() >= kMaxPendingResponses || m_socket->bytesToWrite() > kMaxPendingOutput;
}

void HttpConnection::updateDeadline()
{
    if (m_mode == Mode::Done || m_mode == Mode::Lingering)
        return;

    const auto now = Clock::now();
    const HttpServerOptions &options = m_context.options;
    if (m_socket->bytesToWrite() > 0) {
        // The client must keep reading our responses.
        m_deadline = m_lastWrite + options.bodyIdleTimeout;
        return;
    }
    if (m_mode == Mode::Closing || m_stopParsing || m_paused) {
        // Handlers always respond, because a dropped responder sends 500.
        m_deadline = Clock::time_point::max();
        return;
    }

    switch (m_parser.phase()) {
    case HttpRequestParser::Phase::Body: m_deadline = m_lastRead + options.bodyIdleTimeout; return;
    case HttpRequestParser::Phase::Headers:
        // The first request's headers count from the accept, so a client
        // cannot stretch the limit by sending its first byte late.
        if (m_requestStart == Clock::time_point {})
            m_requestStart = m_requests == 0 ? m_acceptedAt : m_lastRead;
        m_deadline = m_requestStart + options.headerTimeout;
        return;
    case HttpRequestParser::Phase::Idle: break;
    }

    if (!m_slots.empty())
        m_deadline = Clock::time_point::max();
    else if (m_requests == 0)
        m_deadline = m_acceptedAt + options.headerTimeout;
    else
        m_deadline = now + options.keepAliveTimeout;
}

}  // namespace mutt::http
