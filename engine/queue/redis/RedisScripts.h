#pragma once

#include "queue/redis/RedisScript.h"

namespace mutt::queue {

// The Lua scripts of the Redis store. Each is one atomic step on the server
// with the semantics of the embedded store's SQLite transaction.
class RedisScripts final {
public:
    // KEYS[1] counter; ARGV delta, ttlSeconds. INCRBY, then EXPIRE only when
    // the key has no TTL yet (EXPIRE NX without needing Redis 7).
    static const RedisScript &increment();
    // KEYS[1] sorted set, KEYS[2] list; ARGV now, max.
    static const RedisScript &promoteDue();
    // KEYS[1] processing list, KEYS[2] destination, KEYS[3] heartbeat key or
    // "" (move regardless); ARGV batch. Moves up to `batch` items, newest
    // first, onto the tail. Returns moved count, or -1 when the heartbeat lives.
    static const RedisScript &moveAllToTail();
    // KEYS[1] zset; ARGV limit, windowMs, now, count, member prefix.
    static const RedisScript &rateAcquire();
    // KEYS[1] source list, KEYS[2] processing list, KEYS[3] rate zset; ARGV
    // max, limit, windowMs, now, member prefix. Grants up to min(max, LLEN
    // source) as rateAcquire does and moves that many items tail to head.
    // Returns {waitMs, items...}: waitMs > 0 when fewer were granted.
    static const RedisScript &claimRated();
    // KEYS[1] counter, KEYS[2] triggered marker; ARGV threshold, windowSeconds.
    static const RedisScript &countUnhandled();
    // KEYS state, failures, open_time, probe, forced; see RedisCircuit.
    static const RedisScript &circuit();
};

}  // namespace mutt::queue
