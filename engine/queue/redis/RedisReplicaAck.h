#pragma once

#include "core/Result.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReply.h"

#include <QList>

#include <chrono>

namespace mutt::queue {

// REDIS_MIN_REPLICAS_ACK: a write batch counts as done only once that many
// replicas hold it. append() adds `WAIT <replicas> <timeout>` behind the
// batch in the same pipeline; take() removes its reply and fails the batch
// with Unavailable when fewer replicas acknowledged in time. The batch has
// then been applied on the master, but it is not acknowledged; callers
// treat it like any other unconfirmed write (the sender retries). With 0
// replicas both do nothing.
class RedisReplicaAck final {
public:
    RedisReplicaAck() = default;
    RedisReplicaAck(int replicas, std::chrono::milliseconds timeout);
    explicit RedisReplicaAck(const RedisOptions &options);

    [[nodiscard]] bool enabled() const { return m_replicas > 0; }
    [[nodiscard]] int replicas() const { return m_replicas; }

    void append(QList<RedisCommand> &commands) const;
    // Strips the WAIT reply from a successful batch and judges it.
    [[nodiscard]] Status take(Result<QList<RedisReply>> &replies) const;
    // The verdict on one WAIT reply.
    [[nodiscard]] Status judge(const RedisReply &reply) const;

private:
    int m_replicas = 0;
    std::chrono::milliseconds m_timeout {0};
};

}  // namespace mutt::queue
