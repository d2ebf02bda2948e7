#pragma once

#include "core/Result.h"
#include "queue/redis/RedisEndpoint.h"
#include "queue/redis/RedisOptions.h"

namespace mutt::queue {

// Asks the Sentinels (REDIS_SENTINEL_HOSTS), in order, for the address of
// the master REDIS_SENTINEL_MASTER. Blocking, bounded by the connect timeout
// per Sentinel; runs on the store's I/O thread only while no master is known.
class RedisSentinel final {
public:
    static Result<RedisEndpoint> discover(const RedisOptions &options);

private:
    static Result<RedisEndpoint> ask(const RedisOptions &options, const QString &host, quint16 port);
};

}  // namespace mutt::queue
