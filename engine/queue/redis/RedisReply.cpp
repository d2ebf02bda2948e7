#include "queue/redis/RedisReply.h"

#include <cstring>

namespace mutt::queue {

bool RedisReply::isError(const char *prefix) const
{
    return type == Type::Error && text.startsWith(QByteArray(prefix, qsizetype(std::strlen(prefix))));
}

std::optional<QByteArray> RedisReply::bytes() const
{
    if (type == Type::String || type == Type::Status)
        return text;
    if (type == Type::Integer)
        return QByteArray::number(integer);
    return std::nullopt;
}

std::optional<qint64> RedisReply::toInteger() const
{
    if (type == Type::Integer)
        return integer;
    if (type != Type::String && type != Type::Status)
        return std::nullopt;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

Status RedisReply::asStatus(const QByteArray &command) const
{
    if (type != Type::Error)
        return {};
    return makeError(ErrorCode::Unavailable,
        QStringLiteral("redis %1 failed: %2").arg(QString::fromUtf8(command), QString::fromUtf8(text)));
}

}  // namespace mutt::queue
