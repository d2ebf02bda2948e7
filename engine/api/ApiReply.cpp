#include "api/ApiReply.h"

#include "core/Log.h"

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

http::HttpResponse serverErrorReply(int status, const QString &message)
{
    switch (status) {
    case 400:
        return errorReply(
            status, QStringLiteral("The request is not valid HTTP/1.1 (%1); send a well-formed request").arg(message));
    case 431:
        return errorReply(status,
            QStringLiteral("The request headers are too large (%1); send fewer or shorter headers").arg(message));
    case 505:
        return errorReply(status, QStringLiteral("The HTTP version is not supported (%1); use HTTP/1.1").arg(message));
    default: break;
    }
    return errorReply(status, message);
}

QString clientMessage(const Error &error)
{
    // 4xx messages are written for the caller. A 5xx error with its backend
    // text kept apart also has a message fit for clients. Any other 5xx
    // message may quote a backend (a Redis reply, a driver text), so the
    // client gets a fixed sentence and the log gets the message.
    if (httpStatusFor(error.code) < 500 || !error.backendText.isEmpty() || error.code == ErrorCode::Full)
        return error.message;
    switch (error.code) {
    case ErrorCode::Timeout: return QStringLiteral("a backend store of muttd did not respond in time; try again");
    case ErrorCode::Internal:
        return QStringLiteral("muttd failed with an internal error; the muttd log of the api role has the details");
    default: break;
    }
    return QStringLiteral("a backend store of muttd (queue or SQL) is unavailable; try again later, the muttd log of "
                          "the api role names the cause");
}

http::HttpResponse errorReply(const Error &error)
{
    const int status = httpStatusFor(error.code);
    const QString message = clientMessage(error);
    if (status >= 500 || !error.backendText.isEmpty()) {
        log::get("api")->log(status >= 500 ? spdlog::level::err : spdlog::level::warn,
            "store error answered status={} code={} error=\"{}\"", status, errorCodeName(error.code), error.logText());
    }
    return errorReply(status, message);
}

http::HttpResponse errorReply(int status, const QString &context, const Error &error)
{
    log::get("api")->log(status >= 500 ? spdlog::level::err : spdlog::level::warn,
        "store error answered status={} code={} error=\"{}{}\"", status, errorCodeName(error.code), context,
        error.logText());
    return errorReply(status, context + clientMessage(error));
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
