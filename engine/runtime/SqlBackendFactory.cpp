#include "config/DataDirectory.h"
#include "runtime/StoreFactory.h"
#include "sql/SqliteSqlStore.h"

namespace mutt::runtime {
namespace {

Result<std::unique_ptr<sql::SqlStore>> openSqlite(const config::DataDirectory &dataDir, QString *location)
{
    *location = dataDir.sqlStorePath();
    Result<std::unique_ptr<sql::SqliteSqlStore>> store = sql::SqliteSqlStore::open(dataDir.sqlStorePath());
    if (!store)
        return makeError(store.error().code,
            QStringLiteral("cannot open the SQL store %1: %2").arg(dataDir.sqlStorePath(), store.error().message));
    return std::unique_ptr<sql::SqlStore>(std::move(store.value()));
}

Result<std::unique_ptr<sql::SqlStore>> openPostgres(const config::Settings &settings, QString *location)
{
    *location = QStringLiteral("%1:%2/%3").arg(settings.dbHost).arg(settings.dbPort).arg(settings.dbName);
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("MUTT_BACKEND=redis: the PostgreSQL store is not available in this build; "
                       "run with --embedded (MUTT_BACKEND=embedded)"));
}

}  // namespace

Result<std::unique_ptr<sql::SqlStore>> openSqlBackend(
    const config::Settings &settings, const config::DataDirectory *dataDir, QString *location)
{
    if (!settings.embedded)
        return openPostgres(settings, location);
    if (dataDir == nullptr)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the embedded SQL store needs a data directory"));
    return openSqlite(*dataDir, location);
}

}  // namespace mutt::runtime
