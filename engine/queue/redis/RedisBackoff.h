#pragma once

#include "queue/redis/RedisOptions.h"

#include <chrono>

namespace mutt::queue {

// Reconnect delay for the `attempt`-th retry (0 first): exponential from
// reconnectInitial up to reconnectMax, with +-20% jitter so a fleet does not
// reconnect in lockstep after a Redis restart.
std::chrono::milliseconds redisBackoff(const RedisOptions &options, int attempt);

}  // namespace mutt::queue
