#include "http/HttpResponseWriter.h"

#include "core/ByteWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace mutt::http::responsewriter {
namespace {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

bool bodyAllowed(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

}  // namespace

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

void append(QByteArray &out, const HttpResponse &response, bool keepAlive, bool omitBody)
{
    // The status line, Content-Length and Connection take under 128 bytes.
    // The other headers and the body are counted.
    qsizetype maxSize = 128 + (omitBody ? 0 : response.body.size());
    for (const Header &header : response.headers)
        maxSize += header.first.size() + header.second.size() + 4;
    ByteWriter writer(out, maxSize);

    writer.add("HTTP/1.1 ");
    writer.addNumber(response.status);
    writer.add(' ');
    writer.add(reasonPhrase(response.status));
    writer.add("\r\n");

    for (const Header &header : response.headers) {
        if (equalsIgnoringCase(header.first, "content-length") || equalsIgnoringCase(header.first, "connection")
            || equalsIgnoringCase(header.first, "transfer-encoding"))
            continue;
        writer.add(header.first);
        writer.add(": ");
        writer.add(header.second);
        writer.add("\r\n");
    }

    const bool withBody = bodyAllowed(response.status);
    if (withBody) {
        writer.add("Content-Length: ");
        writer.addNumber(response.body.size());
        writer.add("\r\n");
    }
    writer.add(
        keepAlive ? QByteArrayView("Connection: keep-alive\r\n\r\n") : QByteArrayView("Connection: close\r\n\r\n"));
    if (withBody && !omitBody)
        writer.add(response.body);
}

bool asksToClose(const HttpResponse &response)
{
    for (const Header &header : response.headers) {
        if (equalsIgnoringCase(header.first, "connection") && equalsIgnoringCase(header.second, "close"))
            return true;
    }
    return false;
}

HttpResponse error(int status, const QString &message)
{
    // Written by hand so "status" comes first, as in the documented error
    // body; QJsonObject would sort the keys. QJsonArray escapes the message.
    const QByteArray quoted = QJsonDocument(QJsonArray {message}).toJson(QJsonDocument::Compact);
    HttpResponse response = HttpResponse::json(status, QJsonObject {});
    response.body = R"({"status":"error","message":)" + quoted.mid(1, quoted.size() - 2) + '}';
    return response;
}

}  // namespace mutt::http::responsewriter
