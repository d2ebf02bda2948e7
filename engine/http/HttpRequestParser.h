#pragma once

#include "http/HttpTypes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace mutt::http {

// Incremental HTTP/1.x request parser. Each parse() call consumes what it can
// from the connection's input buffer, starting at `pos`, and reports the first
// thing the connection has to act on. The request object is reused between
// requests so repeated values (method, path, header lines) keep their shared
// storage instead of being allocated again.
class HttpRequestParser final {
public:
    enum class Outcome {
        NeedMore,  // everything buffered was consumed, so read more
        Request,  // request() contains a complete request
        ExpectContinue,  // headers accepted and the client waits for "100 Continue"
        Error,  // errorStatus() is the status to send, then the connection must close
    };
    // Part of the request the parser waits for, which selects the connection's timeout.
    enum class Phase { Idle, Headers, Body };

    HttpRequestParser(qint64 maxHeaderBytes, qint64 maxBodyBytes);

    Outcome parse(const QByteArray &buffer, qsizetype &pos);

    [[nodiscard]] HttpRequest &request() { return m_request; }
    [[nodiscard]] Phase phase() const;
    [[nodiscard]] int errorStatus() const { return m_errorStatus; }
    [[nodiscard]] const char *errorReason() const { return m_errorReason; }

private:
    enum class State { RequestLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Failed };
    // An outcome to report, or nullopt when the state changed and parsing goes on.
    using Step = std::optional<Outcome>;

    Step parseLines(const QByteArray &buffer, qsizetype &pos);
    Step parseBody(const QByteArray &buffer, qsizetype &pos);
    Step parseChunkSize(const QByteArray &buffer, qsizetype &pos);
    Step parseChunkData(const QByteArray &buffer, qsizetype &pos);
    Step parseChunkDataEnd(const QByteArray &buffer, qsizetype &pos);
    Step parseTrailers(const QByteArray &buffer, qsizetype &pos);

    bool onRequestLine(QByteArrayView line);
    bool onHeaderLine(QByteArrayView line);
    Step onHeadersComplete(const QByteArray &buffer, qsizetype pos);
    bool setTarget(QByteArrayView target);
    Outcome completeRequest();
    Outcome fail(int status, const char *reason);
    void startRequest();

    const qint64 m_maxHeaderBytes;
    const qint64 m_maxBodyBytes;

    State m_state = State::RequestLine;
    HttpRequest m_request;
    qsizetype m_headerCount = 0;  // header lines of the current request kept in m_request.headers
    qint64 m_headerBytes = 0;  // bytes of the header block (or trailer block) consumed so far
    qint64 m_remaining = 0;  // body or chunk bytes still to read
    qint64 m_bodyTotal = 0;  // de-chunked body bytes so far
    bool m_started = false;  // a byte of the current request has been consumed

    // Framing read from the headers of the current request.
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_http10 = false;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;

    int m_errorStatus = 0;
    const char *m_errorReason = "";
};

}  // namespace mutt::http
