#include "sql/SqliteSqlStore.h"

#include "core/Log.h"
#include "sql/SqliteDialect.h"

#include <QDir>
#include <QFileInfo>

namespace mutt::sql {

SqliteSqlStore::SqliteSqlStore(const QString &path)
    : QtSqlStore(std::make_unique<SqliteDialect>(path))
    , m_path(path) { }

Result<std::unique_ptr<SqliteSqlStore>> SqliteSqlStore::open(const QString &path)
{
    const auto logger = log::get("sql");
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("SQLite database path is empty; give a file path"));

    const QFileInfo file(path);
    if (!QDir().mkpath(file.absolutePath())) {
        logger->error("sql store open failed backend=sqlite path={} reason=\"cannot create folder {}\"", path,
            file.absolutePath());
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot create folder %1 for the SQLite database; "
                           "check its permissions")
                .arg(file.absolutePath()));
    }

    std::unique_ptr<SqliteSqlStore> store(new SqliteSqlStore(path));
    if (auto connected = store->connections().database(); !connected) {
        logger->error("sql store open failed backend=sqlite path={} reason=\"{}\"", path, connected.error().logText());
        return connected.error();
    }

    logger->info("sql store opened backend=sqlite path={} journal_mode=wal busy_timeout_ms={}", path,
        SqliteDialect::kBusyTimeout.count());
    return store;
}

}  // namespace mutt::sql
