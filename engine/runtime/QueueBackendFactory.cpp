#include "config/DataDirectory.h"
#include "queue/EmbeddedStore.h"
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

Result<QueueBackend> openRedis(const config::Settings &)
{
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("MUTT_BACKEND=redis: the Redis queue store is not available in this build; "
                       "run with --embedded (MUTT_BACKEND=embedded)"));
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
