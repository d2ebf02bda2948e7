#pragma once

#include "core/Result.h"
#include "http/HttpTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace mutt::api {

// Builds a JSON response with the MUTT v2.5 version headers (X-API-Version 2.5,
// X-API-Supported-Versions) plus X-MUTT-Version (this build).
http::HttpResponse reply(int status, const QJsonObject &body);

// Builds {"error": message} with the status.
http::HttpResponse errorReply(int status, const QString &message);

// Maps a store error to its HTTP status: InvalidInput 400, NotFound 404,
// Conflict 409, Unavailable/Timeout/Full 503, Internal 500. The body is
// clientMessage(error); a 5xx error, or one with backend text, is logged on
// the "api" logger with that text.
http::HttpResponse errorReply(const Error &error);
// The message sent for `error`: its own message, except for a 5xx error
// that may quote a backend (no backendText kept apart), which gets a fixed
// sentence naming its category.
QString clientMessage(const Error &error);
// Builds the `status` reply with `context` followed by clientMessage(error),
// and logs the whole error.
http::HttpResponse errorReply(int status, const QString &context, const Error &error);
int httpStatusFor(ErrorCode code);

// The api port's form of an error that the HTTP server sends itself (see
// http::ErrorFormatter): {"error": sentence} with the version headers, like
// every other api reply. Parse-error reasons become a sentence with the fix.
// A 413 message is already such a sentence, naming the limit and its
// setting, so it is sent unchanged.
http::HttpResponse serverErrorReply(int status, const QString &message);

http::HttpResponse &withVersionHeaders(http::HttpResponse &response);

// RFC 3339 in UTC with milliseconds ("2025-01-15T14:30:22.000Z"); null for
// an invalid date.
QJsonValue rfc3339(const QDateTime &time);

// {"page","limit","total","pages"}; pages is 0 when total is 0.
QJsonObject paginationJson(qint64 total, int page, int limit);

}  // namespace mutt::api
