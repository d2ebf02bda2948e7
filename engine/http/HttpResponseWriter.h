#pragma once

#include "http/HttpTypes.h"

#include <QByteArray>

namespace mutt::http {

// Serialises responses into a connection's output buffer, so a batch of
// pipelined responses leaves in one socket write.
namespace responsewriter {

// Appends the status line, the handler's headers, Content-Length and
// Connection, then the body (left out for HEAD). Content-Length and
// Connection set by the handler are replaced by the server's own.
void append(QByteArray &out, const HttpResponse &response, bool keepAlive, bool omitBody);

// True when the handler requested that the connection close after this response.
bool asksToClose(const HttpResponse &response);

// A JSON error body {"status":"error","message":...} with the given status.
HttpResponse error(int status, const QString &message);

const char *reasonPhrase(int status);

inline constexpr QByteArrayView kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace responsewriter
}  // namespace mutt::http
