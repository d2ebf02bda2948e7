#include "api/ApiReply.h"

namespace mutt::api {

http::HttpResponse &withVersionHeaders(http::HttpResponse &response)
{
    response.withHeader(QByteArrayLiteral("X-API-Version"), QByteArrayLiteral("2.5"));
    response.withHeader(QByteArrayLiteral("X-API-Supported-Versions"), QByteArrayLiteral("2.5, 2.0, 1.0"));
    response.withHeader(QByteArrayLiteral("X-MUTT-Version"), QByteArrayLiteral(MUTT_VERSION));
    return response;
}

http::HttpResponse reply(int status, const QJsonObject &body)
{
    http::HttpResponse response = http::HttpResponse::json(status, body);
    return withVersionHeaders(response);
}

http::HttpResponse errorReply(int status, const QString &message)
{
    return reply(status, QJsonObject {{QStringLiteral("error"), message}});
}

int httpStatusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::Unavailable:
    case ErrorCode::Timeout:
    case ErrorCode::Full: return 503;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

http::HttpResponse errorReply(const Error &error)
{
    return errorReply(httpStatusFor(error.code), error.message);
}

QJsonValue rfc3339(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject paginationJson(qint64 total, int page, int limit)
{
    const qint64 pages = limit > 0 ? (total + limit - 1) / limit : 0;
    return QJsonObject {{QStringLiteral("page"), page}, {QStringLiteral("limit"), limit},
        {QStringLiteral("total"), total}, {QStringLiteral("pages"), pages}};
}

}  // namespace mutt::api
