#include "StoreAccess.h"

#include "config/DataDirectory.h"
#include "runtime/StoreFactory.h"
#include "sql/SqlStore.h"

#include <optional>

namespace mutt::muttd {

StoreAccess::StoreAccess(StoreAccess &&) noexcept = default;
StoreAccess &StoreAccess::operator=(StoreAccess &&) noexcept = default;
StoreAccess::~StoreAccess() = default;

Result<StoreAccess> StoreAccess::open(const config::Settings &settings, Scope scope)
{
    std::optional<config::DataDirectory> dataDir;
    if (settings.embedded) {
        config::Settings prepared = settings;
        Result<config::DataDirectory> made = config::DataDirectory::prepare(prepared);
        if (!made)
            return made.error();
        dataDir = made.value();
    }
    const config::DataDirectory *directory = dataDir ? &*dataDir : nullptr;

    StoreAccess access;
    if (scope == Scope::SqlAndQueue) {
        Result<runtime::QueueBackend> queue = runtime::openQueueBackend(settings, directory);
        if (!queue)
            return queue.error();
        access.m_queue = std::move(queue.value().owner);
    }

    Result<std::unique_ptr<sql::SqlStore>> sqlStore = runtime::openSqlBackend(settings, directory, &access.m_location);
    if (!sqlStore)
        return sqlStore.error();
    access.m_sql = std::move(sqlStore.value());
    if (const Status migrated = access.m_sql->migrate(); !migrated) {
        return withContext(
            migrated.error(), QStringLiteral("cannot migrate the SQL store %1: ").arg(access.m_location));
    }
    return access;
}

}  // namespace mutt::muttd
