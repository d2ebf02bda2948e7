#include "http/HttpTypes.h"

#include "http/HttpResponderState.h"
#include "http/HttpResponseWriter.h"

#include <QByteArrayView>

namespace mutt::http {
namespace {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

// Query strings follow application/x-www-form-urlencoded: '+' is a space.
QByteArray decodeQueryPart(QByteArrayView part)
{
    QByteArray copy = part.toByteArray();
    copy.replace('+', ' ');
    return QByteArray::fromPercentEncoding(copy);
}

// Calls `visit(decodedKey, rawValue)` for each non-empty pair until it returns
// true, and returns whether a call returned true.
template <typename Visit> bool anyQueryPair(QByteArrayView all, Visit visit)
{
    qsizetype start = 0;
    while (start <= all.size()) {
        qsizetype end = all.indexOf('&', start);
        if (end < 0)
            end = all.size();

        const QByteArrayView pair = all.sliced(start, end - start);
        const qsizetype equals = pair.indexOf('=');
        const QByteArrayView key = equals < 0 ? pair : pair.first(equals);
        const QByteArrayView value = equals < 0 ? QByteArrayView() : pair.sliced(equals + 1);
        if (!pair.isEmpty() && visit(decodeQueryPart(key), value))
            return true;

        start = end + 1;
    }
    return false;
}

}  // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const Header &entry : headers) {
        if (equalsIgnoringCase(entry.first, name))
            return entry.second;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const Header &entry : headers) {
        if (equalsIgnoringCase(entry.first, name))
            return true;
    }
    return false;
}

QByteArray HttpRequest::queryValue(QByteArrayView name) const
{
    QByteArray found;
    anyQueryPair(query, [&](const QByteArray &key, QByteArrayView value) {
        if (key != name)
            return false;
        found = value.isNull() ? QByteArray() : decodeQueryPart(value);
        return true;
    });
    return found;
}

bool HttpRequest::hasQueryKeyAnyCase(QByteArrayView name) const
{
    return anyQueryPair(query, [&](const QByteArray &key, QByteArrayView) { return equalsIgnoringCase(key, name); });
}

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    return json(status, QJsonDocument(object));
}

HttpResponse HttpResponse::json(int status, const QJsonDocument &document)
{
    HttpResponse response;
    response.status = status;
    response.body = document.toJson(QJsonDocument::Compact);
    response.headers.append(Header(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
    return response;
}

HttpResponse HttpResponse::text(int status, QByteArray body, QByteArray contentType)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers.append(Header(QByteArrayLiteral("Content-Type"), std::move(contentType)));
    return response;
}

HttpResponse &HttpResponse::withHeader(QByteArray name, QByteArray value)
{
    headers.append(Header(std::move(name), std::move(value)));
    return *this;
}

HttpResponder::HttpResponder(std::shared_ptr<State> state) : m_state(std::move(state)) { }

void HttpResponder::send(HttpResponse response) const
{
    if (m_state)
        m_state->send(std::move(response));
}

HttpResponse defaultErrorResponse(int status, const QString &message)
{
    return responsewriter::error(status, message);
}

}  // namespace mutt::http
