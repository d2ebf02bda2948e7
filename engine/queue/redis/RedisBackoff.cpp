#include "queue/redis/RedisBackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace mutt::queue {

std::chrono::milliseconds redisBackoff(const RedisOptions &options, int attempt)
{
    const qint64 base = options.reconnectInitial.count() << std::min(attempt, 20);
    const qint64 capped = std::min<qint64>(base, options.reconnectMax.count());
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(std::max<qint64>(1, qint64(double(capped) * jitter)));
}

}  // namespace mutt::queue
