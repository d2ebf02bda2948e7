#include "queue/redis/RedisReplyReader.h"

#include <hiredis/hiredis.h>

#include <vector>

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

}  // namespace

RedisReplyReader::RedisReplyReader() : m_reader(redisReaderCreate()) { }

RedisReplyReader::~RedisReplyReader()
{
    redisReaderFree(readerOf(m_reader));
}

QByteArray RedisReplyReader::encode(const RedisCommand &command)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(command.size()));
    lengths.reserve(size_t(command.size()));
    for (const QByteArray &arg : command) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }

    char *target = nullptr;
    const int length = redisFormatCommandArgv(&target, int(argv.size()), argv.data(), lengths.data());
    if (length < 0 || target == nullptr)
        return {};
    QByteArray encoded(target, length);
    redisFreeCommand(target);
    return encoded;
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
