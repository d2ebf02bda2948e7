#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <functional>
#include <memory>

namespace mutt::http {

using Header = QPair<QByteArray, QByteArray>;

struct HttpRequest {
    QByteArray method;  // upper case as received: GET, POST, ...
    QByteArray path;  // decoded path without the query, repeated slashes collapsed ("//ingest" -> "/ingest")
    QByteArray query;  // raw query string without '?'
    // The path as received, still percent-encoded, so that a router can split
    // it before decoding ("/dev-hosts/a%2Fb" is two segments, the last "a/b").
    QByteArray rawPath;
    QList<Header> headers;
    QByteArray body;  // de-chunked; Content-Encoding is left to the handler
    QHostAddress peer;
    bool keepAlive = true;

    // Value of the first header with this name (case-insensitive), or empty.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] bool hasHeader(QByteArrayView name) const;
    // Value of a query parameter (percent-decoded), or empty.
    [[nodiscard]] QByteArray queryValue(QByteArrayView name) const;
    // Returns whether the query contains this parameter, with or without a value.
    // The name matches in any ASCII case ("API_KEY" matches "api_key").
    [[nodiscard]] bool hasQueryKeyAnyCase(QByteArrayView name) const;
};

struct HttpResponse {
    int status = 200;
    QList<Header> headers;
    QByteArray body;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QJsonDocument &document);
    static HttpResponse text(int status, QByteArray body, QByteArray contentType = "text/plain; charset=utf-8");
    HttpResponse &withHeader(QByteArray name, QByteArray value);
};

// Sends the response for one request. Copyable and thread-safe: a handler may
// keep it and call send() later from any thread (for example after a queue
// commit). Only the first send() counts. If every copy is destroyed without a
// send, the server answers 500.
class HttpResponder {
public:
    class State;
    explicit HttpResponder(std::shared_ptr<State> state);
    void send(HttpResponse response) const;

private:
    std::shared_ptr<State> m_state;
};

// Called on an I/O thread. Must not block for long: hand slow work elsewhere
// and answer through the responder.
using Handler = std::function<void(const HttpRequest &request, HttpResponder responder)>;

// Builds the response to an error that the server sends itself: a request it
// cannot parse (400, 413, 431, 505), one that stalled (408), a path without
// a route (404) or with another method (405, the server adds Allow), and a
// handler that threw or returned without sending a response (500). `message` is a sentence, or for parse errors a
// short reason such as "header block too large". `path` is the request path
// for 404, 405 and 500, and empty otherwise. It runs concurrently on the
// I/O threads, and on the thread that drops an unanswered responder, so it
// must be safe to call from any thread.
using ErrorFormatter = std::function<HttpResponse(int status, const QString &message, const QByteArray &path)>;

// The body of the server's own errors when no ErrorFormatter is set:
// {"status":"error","message":...} (the ingest API's error format).
HttpResponse defaultErrorResponse(int status, const QString &message);

}  // namespace mutt::http
