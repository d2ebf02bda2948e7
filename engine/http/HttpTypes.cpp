#include "http/HttpTypes.h"

#include "http/HttpResponderState.h"

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
    const QByteArrayView all(query);
    qsizetype start = 0;
    while (start <= all.size()) {
        qsizetype end = all.indexOf('&', start);
        if (end < 0)
            end = all.size();

        const QByteArrayView pair = all.sliced(start, end - start);
        const qsizetype equals = pair.indexOf('=');
        const QByteArrayView key = equals < 0 ? pair : pair.first(equals);
        if (!pair.isEmpty() && decodeQueryPart(key) == name)
            return equals < 0 ? QByteArray() : decodeQueryPart(pair.sliced(equals + 1));

        start = end + 1;
    }
    return {};
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

}  // namespace mutt::http
