#include "StoreAccess.h"

#include "config/DataDirectory.h"
#include "queue/EmbeddedStore.h"
#include "sql/SqliteSqlStore.h"

namespace mutt::muttd {

StoreAccess::StoreAccess(StoreAccess &&) noexcept = default;
StoreAccess &StoreAccess::operator=(StoreAccess &&) noexcept = default;
StoreAccess::~StoreAccess() = default;

Result<StoreAccess> StoreAccess::open(const config::Settings &settings, Scope scope)
{
    if (!settings.embedded) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("MUTT_BACKEND=redis: the PostgreSQL backend is not "
                           "available in this build; use the embedded stores"));
    }

    config::Settings prepared = settings;
    const Result<config::DataDirectory> dataDir = config::DataDirectory::prepare(prepared);
    if (!dataDir)
        return dataDir.error();

    StoreAccess access;
    access.m_location = dataDir.value().path();

    if (scope == Scope::SqlAndQueue) {
        queue::EmbeddedStoreOptions options;
        options.sync
            = queue::EmbeddedStoreOptions::syncFromName(settings.embeddedSync).value_or(queue::EmbeddedSync::Full);
        Result<std::unique_ptr<queue::EmbeddedStore>> queueStore
            = queue::EmbeddedStore::open(dataDir.value().queueStorePath(), options);
        if (!queueStore) {
            return makeError(queueStore.error().code,
                QStringLiteral("cannot open the queue store %1: %2")
                    .arg(dataDir.value().queueStorePath(), queueStore.error().message));
        }
        access.m_queue = std::move(queueStore.value());
    }

    Result<std::unique_ptr<sql::SqliteSqlStore>> sqlStore = sql::SqliteSqlStore::open(dataDir.value().sqlStorePath());
    if (!sqlStore) {
        return makeError(sqlStore.error().code,
            QStringLiteral("cannot open the SQL store %1: %2")
                .arg(dataDir.value().sqlStorePath(), sqlStore.error().message));
    }
    access.m_sql = std::move(sqlStore.value());
    if (const Status migrated = access.m_sql->migrate(); !migrated) {
        return makeError(migrated.error().code,
            QStringLiteral("cannot migrate the SQL store %1: %2")
                .arg(dataDir.value().sqlStorePath(), migrated.error().message));
    }
    return access;
}

}  // namespace mutt::muttd
