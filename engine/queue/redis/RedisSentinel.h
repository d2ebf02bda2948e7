#pragma once

#include "core/Result.h"
#include "queue/redis/RedisEndpoint.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReply.h"

#include <QByteArray>

#include <optional>

namespace mutt::queue {

// Asks the Sentinels (REDIS_SENTINEL_HOSTS), in order, for the address of
// the master REDIS_SENTINEL_MASTER. Blocking, bounded by the connect timeout
// per Sentinel; runs on the store's I/O thread only while no master is known.
// RedisSentinelWatch follows later changes without blocking.
class RedisSentinel final {
public:
    static Result<RedisEndpoint> discover(const RedisOptions &options);

    // The reply to SENTINEL get-master-addr-by-name: [host, port]; nil or an
    // error when the Sentinel does not know the master.
    static Result<RedisEndpoint> parseMasterAddress(const RedisReply &reply);
    // A +switch-master message: "<name> <old-host> <old-port> <new-host> <new-port>".
    // The new master when the message is about `masterName` and well formed.
    static std::optional<RedisEndpoint> parseSwitchMaster(const QByteArray &payload, const QString &masterName);

private:
    static Result<RedisEndpoint> ask(const RedisOptions &options, const QString &host, quint16 port);
};

}  // namespace mutt::queue
