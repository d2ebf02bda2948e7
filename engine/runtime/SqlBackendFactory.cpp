#include "config/DataDirectory.h"
#include "runtime/StoreFactory.h"
#include "sql/PostgresSqlStore.h"
#include "sql/SqliteSqlStore.h"

namespace mutt::runtime {
namespace {

Result<std::unique_ptr<sql::SqlStore>> openSqlite(const config::DataDirectory &dataDir, QString *location)
{
    *location = dataDir.sqlStorePath();
    Result<std::unique_ptr<sql::SqliteSqlStore>> store = sql::SqliteSqlStore::open(dataDir.sqlStorePath());
    if (!store)
        return withContext(store.error(), QStringLiteral("cannot open the SQL store %1: ").arg(dataDir.sqlStorePath()));
    return std::unique_ptr<sql::SqlStore>(std::move(store.value()));
}

sql::PostgresConfig postgresConfig(const config::Settings &settings)
{
    sql::PostgresConfig config;
    config.host = settings.dbHost;
    config.port = settings.dbPort;
    config.database = settings.dbName;
    config.user = config::dbUser(settings);
    // Asked on every (re)connect, so a password rotated in Vault or a file
    // is tried without a restart.
    config.passwords = config::dbPasswordSource(settings);
    config.tlsEnabled = settings.dbTlsEnabled;
    config.tlsCaCertPath = settings.dbTlsCaCertPath;
    config.poolMinConnections = settings.dbPoolMinConn;
    config.poolMaxConnections = settings.dbPoolMaxConn;
    config.partitionMonthsAhead = settings.partitionPrecreateMonths;
    return config;
}

Result<std::unique_ptr<sql::SqlStore>> openPostgres(const config::Settings &settings, QString *location)
{
    const sql::PostgresConfig config = postgresConfig(settings);
    *location = config.location();
    Result<std::unique_ptr<sql::PostgresSqlStore>> store = sql::PostgresSqlStore::open(config);
    if (!store)
        return withContext(store.error(), QStringLiteral("cannot open the SQL store %1: ").arg(*location));
    return std::unique_ptr<sql::SqlStore>(std::move(store.value()));
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
