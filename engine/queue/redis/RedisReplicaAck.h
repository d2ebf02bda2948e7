#pragma once

#include "core/Result.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReply.h"
#include "queue/redis/RedisReplyReader.h"

#include <QList>

#include <chrono>

namespace mutt::queue {

// REDIS_MIN_REPLICAS_ACK: a write batch counts as done only once that many
// replicas contain it. append() adds `WAIT <replicas> <timeout>` behind the
// batch in the same pipeline. take() removes the WAIT reply and fails the
// batch with Unavailable when fewer replicas acknowledged it in time. The
// master has applied such a batch, but callers treat it like any other
// unconfirmed write, so the sender retries. With 0 replicas both do nothing.
class RedisReplicaAck final {
public:
    RedisReplicaAck() = default;
    RedisReplicaAck(int replicas, std::chrono::milliseconds timeout);
    explicit RedisReplicaAck(const RedisOptions &options);

    [[nodiscard]] bool enabled() const { return m_replicas > 0; }
    [[nodiscard]] int replicas() const { return m_replicas; }

    void append(QList<RedisCommand> &commands) const;
    // Removes the WAIT reply from a successful batch and checks it.
    [[nodiscard]] Status take(Result<QList<RedisReply>> &replies) const;
    // Checks one WAIT reply: an error unless it counts enough replicas.
    [[nodiscard]] Status judge(const RedisReply &reply) const;

private:
    int m_replicas = 0;
    std::chrono::milliseconds m_timeout {0};
};

}  // namespace mutt::queue
