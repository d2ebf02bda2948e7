#include "ingest/IngestReply.h"

#include "core/ByteWriter.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace mutt::ingest {
namespace {

class Body {
public:
    Body() { m_writer.StartObject(); }

    Body &text(const char *key, const QString &value)
    {
        const QByteArray utf8 = value.toUtf8();
        m_writer.Key(key);
        m_writer.String(utf8.constData(), rapidjson::SizeType(utf8.size()));
        return *this;
    }
    Body &raw(const char *key, const QByteArray &utf8)
    {
        m_writer.Key(key);
        m_writer.String(utf8.constData(), rapidjson::SizeType(utf8.size()));
        return *this;
    }
    Body &number(const char *key, qint64 value)
    {
        m_writer.Key(key);
        m_writer.Int64(value);
        return *this;
    }
    Body &errors(const QList<event::IngestItemError> &errors)
    {
        m_writer.Key("errors");
        m_writer.StartArray();
        for (qsizetype i = 0; i < errors.size() && i < IngestReply::errorsListedMax; ++i) {
            const QByteArray message = errors[i].message.toUtf8();
            m_writer.StartObject();
            m_writer.Key("index");
            m_writer.Int(errors[i].index);
            m_writer.Key("message");
            m_writer.String(message.constData(), rapidjson::SizeType(message.size()));
            m_writer.EndObject();
        }
        m_writer.EndArray();
        return *this;
    }

    QByteArray finish()
    {
        m_writer.EndObject();
        return QByteArray(m_buffer.GetString(), qsizetype(m_buffer.GetSize()));
    }

private:
    rapidjson::StringBuffer m_buffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer {m_buffer};
};

http::HttpResponse response(int status, QByteArray body)
{
    return http::HttpResponse::text(status, std::move(body), QByteArrayLiteral("application/json"));
}

// True when JSON writes the id as it is: printable ASCII without '"' or '\\'.
// Every id that correlationIdFor() returns qualifies.
bool needsNoEscape(const QString &text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        const char16_t unit = c.unicode();
        return unit >= 0x20 && unit < 0x7f && unit != u'"' && unit != u'\\';
    });
}

// The body of queued() without errors, the same bytes as Body writes. It is
// the reply to every accepted request, so it skips the JSON writer and its buffer.
QByteArray plainQueuedBody(const QString &correlationId, qint64 queueDepth, qint64 accepted)
{
    static constexpr QByteArrayView head = R"({"status":"queued","correlation_id":")";
    static constexpr QByteArrayView depth = R"(","queue_depth":)";
    static constexpr QByteArrayView count = R"(,"accepted":)";
    QByteArray body;
    {
        ByteWriter out(body, head.size() + correlationId.size() + depth.size() + count.size() + 2 * 20 + 1);
        out.add(head);
        out.addAscii(correlationId);
        out.add(depth);
        out.addNumber(queueDepth);
        out.add(count);
        out.addNumber(accepted);
        out.add('}');
    }
    return body;
}

}  // namespace

http::HttpResponse IngestReply::queued(
    const QString &correlationId, qint64 queueDepth, qint64 accepted, const QList<event::IngestItemError> &errors)
{
    if (errors.isEmpty() && needsNoEscape(correlationId))
        return response(200, plainQueuedBody(correlationId, queueDepth, accepted));

    Body body;
    body.text("status", QStringLiteral("queued"))
        .text("correlation_id", correlationId)
        .number("queue_depth", queueDepth)
        .number("accepted", accepted);
    if (!errors.isEmpty())
        body.number("rejected", errors.size()).errors(errors);
    return response(200, body.finish());
}

http::HttpResponse IngestReply::unauthorized(const QString &correlationId, bool keySent)
{
    const QString hint = keySent
        ? QStringLiteral("the API key is not valid; send INGEST_API_KEY in the X-API-KEY header")
        : QStringLiteral("no API key; send INGEST_API_KEY in the X-API-KEY header");
    Body body;
    body.text("status", QStringLiteral("error"))
        .text("message", QStringLiteral("Unauthorized"))
        .text("correlation_id", correlationId)
        .text("hint", hint);
    return response(401, body.finish());
}

http::HttpResponse IngestReply::error(
    int status, const QString &message, const QString &correlationId, const QList<event::IngestItemError> &errors)
{
    Body body;
    body.text("status", QStringLiteral("error")).text("message", message).text("correlation_id", correlationId);
    if (!errors.isEmpty())
        body.errors(errors);
    return response(status, body.finish());
}

http::HttpResponse IngestReply::queueFull(const QString &correlationId, qint64 depth, qint64 limit)
{
    Body body;
    body.text("status", QStringLiteral("error"))
        .text("message", QStringLiteral("Service Unavailable - queue full"))
        .text("correlation_id", correlationId)
        .number("queue_depth", depth)
        .number("queue_limit", limit);
    return response(503, body.finish()).withHeader("Retry-After", QByteArray::number(backendRetryAfterSeconds));
}

http::HttpResponse IngestReply::rateLimited(const QString &correlationId, qint64 retryAfterSeconds)
{
    Body body;
    body.text("status", QStringLiteral("error"))
        .text("message", QStringLiteral("Too Many Requests - rate limit exceeded"))
        .text("correlation_id", correlationId)
        .number("retry_after", retryAfterSeconds);
    return response(429, body.finish()).withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
}

http::HttpResponse IngestReply::unavailable(const QString &correlationId)
{
    Body body;
    body.text("status", QStringLiteral("error"))
        .text("message", QStringLiteral("Service Unavailable - queue backend error"))
        .text("correlation_id", correlationId);
    return response(503, body.finish()).withHeader("Retry-After", QByteArray::number(backendRetryAfterSeconds));
}

QByteArray IngestReply::rejectedItem(
    const event::IngestItemError &error, const QString &correlationId, const QString &receivedAt)
{
    Body body;
    body.number("index", error.index)
        .text("message", error.message)
        .raw("raw", error.raw)
        .text("correlation_id", correlationId)
        .text("received_at", receivedAt);
    return body.finish();
}

}  // namespace mutt::ingest
