#include "config/DataDirectory.h"
#include "queue/EmbeddedStore.h"
#include "queue/redis/RedisStore.h"
#include "runtime/StoreFactory.h"

namespace mutt::runtime {
namespace {

Result<QueueBackend> openEmbedded(const config::Settings &settings, const config::DataDirectory &dataDir)
{
    queue::EmbeddedStoreOptions options;
    options.sync = queue::EmbeddedStoreOptions::syncFromName(settings.embeddedSync).value_or(queue::EmbeddedSync::Full);
    Result<std::unique_ptr<queue::EmbeddedStore>> store = queue::EmbeddedStore::open(dataDir.queueStorePath(), options);
    if (!store)
        return makeError(store.error().code,
            QStringLiteral("cannot open the queue store %1: %2").arg(dataDir.queueStorePath(), store.error().message));

    std::shared_ptr<queue::EmbeddedStore> shared(std::move(store.value()));
    QueueBackend backend;
    backend.store = shared.get();
    backend.coordination = shared.get();
    backend.owner = std::move(shared);
    backend.location = dataDir.queueStorePath();
    return backend;
}

Result<QueueBackend> openRedis(const config::Settings &settings)
{
    QString hostsError;
    queue::RedisOptions::parseHosts(settings.redisSentinelHosts, &hostsError);
    if (!hostsError.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("REDIS_SENTINEL_HOSTS: %1; write it as host1:port1,host2:port2").arg(hostsError));

    const queue::RedisOptions options = queue::RedisOptions::fromSettings(settings);
    Result<std::unique_ptr<queue::RedisStore>> store = queue::RedisStore::open(options);
    if (!store) {
        // The connection's own message already ends with advice for password,
        // TLS and database errors; add the general one only when it has none.
        const QString &reason = store.error().message;
        const bool hasAdvice = reason.contains(QStringLiteral("; check ")) || reason.contains(QStringLiteral("; set "))
            || reason.contains(QStringLiteral(", set "));
        const QString advice = hasAdvice ? QString()
                                         : QStringLiteral("; check REDIS_HOST, REDIS_PORT, REDIS_TLS_ENABLED and the "
                                                          "Redis passwords");
        return makeError(store.error().code,
            QStringLiteral("cannot open the Redis queue store at %1: %2%3").arg(options.describe(), reason, advice));
    }

    std::shared_ptr<queue::RedisStore> shared(std::move(store.value()));
    QueueBackend backend;
    backend.store = shared.get();
    backend.coordination = shared.get();
    backend.owner = std::move(shared);
    backend.location = options.describe();
    return backend;
}

}  // namespace

Result<QueueBackend> openQueueBackend(const config::Settings &settings, const config::DataDirectory *dataDir)
{
    if (!settings.embedded)
        return openRedis(settings);
    if (dataDir == nullptr)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the embedded queue store needs a data directory"));
    return openEmbedded(settings, *dataDir);
}

}  // namespace mutt::runtime
