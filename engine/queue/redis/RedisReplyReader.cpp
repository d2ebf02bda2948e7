#include "queue/redis/RedisReplyReader.h"

#include "core/ByteWriter.h"

#include <hiredis/hiredis.h>

namespace mutt::queue {
namespace {

redisReader *readerOf(void *reader)
{
    return static_cast<redisReader *>(reader);
}

RedisReply convert(const redisReply *reply)
{
    RedisReply out;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = reply->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            out.elements.append(convert(reply->element[i]));
        break;
    default: out.type = RedisReply::Type::Nil; break;
    }
    return out;
}

qsizetype decimalDigits(qsizetype value)
{
    qsizetype digits = 1;
    for (; value >= 10; value /= 10)
        ++digits;
    return digits;
}

}  // namespace

RedisReplyReader::RedisReplyReader() : m_reader(redisReaderCreate()) { }

RedisReplyReader::~RedisReplyReader()
{
    redisReaderFree(readerOf(m_reader));
}

QByteArray RedisReplyReader::encode(const RedisCommand &command)
{
    QByteArray encoded;
    encoded.reserve(encodedSize(command));
    encodeTo(encoded, command);
    return encoded;
}

qsizetype RedisReplyReader::encodedSize(const RedisCommand &command)
{
    // "*<count>\r\n", then "$<length>\r\n<bytes>\r\n" for each argument.
    qsizetype size = 3 + decimalDigits(command.size());
    for (const QByteArray &arg : command)
        size += 5 + decimalDigits(arg.size()) + arg.size();
    return size;
}

void RedisReplyReader::encodeTo(QByteArray &out, const RedisCommand &command)
{
    ByteWriter writer(out, encodedSize(command));
    writer.add('*');
    writer.addNumber(command.size());
    writer.add("\r\n");
    for (const QByteArray &arg : command) {
        writer.add('$');
        writer.addNumber(arg.size());
        writer.add("\r\n");
        writer.add(arg);
        writer.add("\r\n");
    }
}

Status RedisReplyReader::feed(const QByteArray &data)
{
    if (redisReaderFeed(readerOf(m_reader), data.constData(), size_t(data.size())) != REDIS_OK)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("redis protocol error: %1").arg(QString::fromUtf8(readerOf(m_reader)->errstr)));
    return {};
}

Result<std::optional<RedisReply>> RedisReplyReader::next()
{
    void *raw = nullptr;
    if (redisReaderGetReply(readerOf(m_reader), &raw) != REDIS_OK)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("redis protocol error: %1").arg(QString::fromUtf8(readerOf(m_reader)->errstr)));
    if (raw == nullptr)
        return std::optional<RedisReply>();
    RedisReply reply = convert(static_cast<redisReply *>(raw));
    freeReplyObject(raw);
    return std::optional<RedisReply>(std::move(reply));
}

}  // namespace mutt::queue
