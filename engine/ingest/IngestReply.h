#pragma once

#include "event/IngestBody.h"
#include "http/HttpTypes.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mutt::ingest {

// JSON responses of the ingest endpoints, fields in a fixed order
// ("status" first, as people read them).
class IngestReply final {
public:
    // 200 {"status":"queued","correlation_id","queue_depth","accepted"[,"rejected","errors"]}
    static http::HttpResponse queued(
        const QString &correlationId, qint64 queueDepth, qint64 accepted, const QList<event::IngestItemError> &errors);
    // {"status":"error","message","correlation_id"[,"errors"]}
    static http::HttpResponse error(int status, const QString &message, const QString &correlationId,
        const QList<event::IngestItemError> &errors = {});
    // 401 {"status":"error","message":"Unauthorized","correlation_id","hint"}: the message stays
    // MUTT v2.5's, and `hint` names the header and the key to send.
    static http::HttpResponse unauthorized(const QString &correlationId, bool keySent);
    // 503 queue full: adds queue_depth and queue_limit (as v2.5) and Retry-After.
    static http::HttpResponse queueFull(const QString &correlationId, qint64 depth, qint64 limit);
    // 429: adds retry_after (seconds, as v2.5) and the Retry-After header.
    static http::HttpResponse rateLimited(const QString &correlationId, qint64 retryAfterSeconds);
    // 503 backend failure, with Retry-After.
    static http::HttpResponse unavailable(const QString &correlationId);

    // One entry of mutt:rejected:ingest.
    static QByteArray rejectedItem(
        const event::IngestItemError &error, const QString &correlationId, const QString &receivedAt);

    // Errors listed in one response; the rest are counted in "rejected" only.
    static constexpr qsizetype errorsListedMax = 1000;
    static constexpr int backendRetryAfterSeconds = 5;
};

}  // namespace mutt::ingest
