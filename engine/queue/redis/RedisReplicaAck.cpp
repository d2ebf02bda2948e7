#include "queue/redis/RedisReplicaAck.h"

#include <algorithm>

namespace mutt::queue {

RedisReplicaAck::RedisReplicaAck(int replicas, std::chrono::milliseconds timeout)
    : m_replicas(std::max(0, replicas))
    , m_timeout(std::max<std::chrono::milliseconds>(timeout, std::chrono::milliseconds(1)))
{
}

RedisReplicaAck::RedisReplicaAck(const RedisOptions &options)
    : RedisReplicaAck(options.minReplicasAck, options.replicaAckTimeout)
{
}

void RedisReplicaAck::append(QList<RedisCommand> &commands) const
{
    if (!enabled())
        return;
    // A timeout of 0 makes WAIT block forever, so it is at least 1 ms.
    commands.append(RedisCommand {
        QByteArrayLiteral("WAIT"), QByteArray::number(m_replicas), QByteArray::number(qint64(m_timeout.count()))});
}

Status RedisReplicaAck::take(Result<QList<RedisReply>> &replies) const
{
    if (!enabled() || !replies)
        return {};
    QList<RedisReply> &list = replies.value();
    if (list.isEmpty())
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis sent no reply to WAIT"));
    const RedisReply wait = list.takeLast();
    return judge(wait);
}

Status RedisReplicaAck::judge(const RedisReply &reply) const
{
    if (reply.isError())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("redis refused WAIT: %1; the write is not acknowledged").arg(QString::fromUtf8(reply.text)));
    const std::optional<qint64> acknowledged
        = reply.type == RedisReply::Type::Integer ? std::optional<qint64>(reply.integer) : std::optional<qint64>();
    if (!acknowledged)
        return makeError(
            ErrorCode::Unavailable, QStringLiteral("redis returned a WAIT reply that is not a replica count"));
    if (*acknowledged < m_replicas)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral(
                "only %1 of the %2 replicas required by REDIS_MIN_REPLICAS_ACK acknowledged the write within "
                "%3 ms; the write is not acknowledged (check the replicas with INFO replication)")
                .arg(*acknowledged)
                .arg(m_replicas)
                .arg(m_timeout.count()));
    return {};
}

}  // namespace mutt::queue
