#pragma once

#include <QByteArray>
#include <QList>

namespace mutt::forwarder {

// Incremental reader of one HTTP/1.1 response: the status line, headers and
// a body framed by Content-Length, chunked transfer coding, or the end of the
// connection. Interim 1xx responses are skipped.
class HttpResponseReader final {
public:
    enum class State { Headers, Body, Done, Invalid };

    // Feeds received bytes; returns the state afterwards. Bytes after the end
    // of the response are ignored (the client sends one request at a time).
    State feed(const QByteArray &bytes);
    // Marks the end of the connection: completes a body read until close.
    State finishAtClose();
    void reset();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] int status() const { return m_status; }
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] const QByteArray &body() const { return m_body; }
    // False when the response asked to close the connection (Connection:
    // close, HTTP/1.0 without keep-alive, or a body read until close).
    [[nodiscard]] bool keepAlive() const { return m_keepAlive; }
    // True once any byte of a response has arrived.
    [[nodiscard]] bool started() const { return m_started; }

private:
    enum class Framing { Length, Chunked, UntilClose, None };

    // Offsets and lengths of a header's name and value in m_headerBlock.
    struct HeaderField {
        qsizetype name = 0;
        qsizetype nameLength = 0;
        qsizetype value = 0;
        qsizetype valueLength = 0;
    };

    State parseHeaders();
    [[nodiscard]] QByteArrayView headerView(QByteArrayView name) const;
    State parseBody();
    State parseChunks();
    void keepBody(QByteArrayView bytes);

    State m_state = State::Headers;
    QByteArray m_buffer;
    int m_status = 0;
    QByteArray m_headerBlock;  // status line and headers of the final response
    QList<HeaderField> m_headers;
    QByteArray m_body;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0;  // body bytes (Length) or bytes of the current chunk (Chunked)
    bool m_inChunk = false;
    bool m_inTrailers = false;  // after the last chunk, until the empty line
    bool m_keepAlive = true;
    bool m_started = false;
};

}  // namespace mutt::forwarder
