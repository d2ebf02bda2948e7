#include "StoreAccess.h"

#include "config/DataDirectory.h"
#include "queue/EmbeddedDatabase.h"
#include "runtime/StoreFactory.h"
#include "sql/SqlStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <optional>

namespace mutt::muttd {

StoreAccess::StoreAccess(StoreAccess &&) noexcept = default;
StoreAccess &StoreAccess::operator=(StoreAccess &&) noexcept = default;
StoreAccess::~StoreAccess() = default;

namespace {

Status checkEmbeddedStoreExists(const config::Settings &settings, StoreAccess::Creation creation)
{
    if (settings.dataDir.isEmpty())
        return {};  // DataDirectory::prepare reports it
    const QString path = QDir::cleanPath(QDir(settings.dataDir).absolutePath());
    if (!QFileInfo(path).isDir())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("the data directory %1 does not exist; check --data-dir or MUTT_DATA_DIR, or run muttd "
                           "migrate --data-dir %1 to create an empty store there")
                .arg(path));
    if (creation == StoreAccess::Creation::ExistingDirectory)
        return {};
    const QString sqlStore = QDir(path).filePath(QStringLiteral("mutt.db"));
    if (!QFileInfo::exists(sqlStore))
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("the data directory %1 holds no SQL store (mutt.db); check --data-dir or MUTT_DATA_DIR, "
                           "or run muttd migrate --data-dir %1 to create an empty store there")
                .arg(path));
    return {};
}

}  // namespace

Result<StoreAccess> StoreAccess::open(const config::Settings &settings, Scope scope, Creation creation)
{
    if (settings.embedded && creation != Creation::CreateIfMissing) {
        if (Status exists = checkEmbeddedStoreExists(settings, creation); !exists)
            return exists.error();
    }

    std::optional<config::DataDirectory> dataDir;
    if (settings.embedded) {
        config::Settings prepared = settings;
        // The commands that open stores serve no requests, so they create
        // no API key files.
        Result<config::DataDirectory> made
            = config::DataDirectory::prepare(prepared, config::DataDirectory::Keys::Skip);
        if (!made)
            return made.error();
        dataDir = made.value();
    }
    const config::DataDirectory *directory = dataDir ? &*dataDir : nullptr;

    StoreAccess access;
    if (scope == Scope::SqlAndQueue) {
        // The embedded queue store upgrades its schema on open, so the
        // version before comes from the file.
        SchemaChange queueSchema;
        if (directory != nullptr) {
            const Result<int> stored = queue::EmbeddedDatabase::storedSchemaVersion(directory->queueStorePath());
            if (!stored)
                return stored.error();
            queueSchema.fromVersion = stored.value();
        }
        QElapsedTimer queueTimer;
        queueTimer.start();
        Result<runtime::QueueBackend> queue = runtime::openQueueBackend(settings, directory);
        if (!queue)
            return queue.error();
        access.m_queue = std::move(queue.value().owner);
        if (directory != nullptr) {
            access.m_queueStorePath = directory->queueStorePath();
            queueSchema.toVersion = queue::EmbeddedDatabase::schemaVersion;
            queueSchema.elapsedMs = queueTimer.elapsed();
            access.m_queueSchema = queueSchema;
        }
    }

    Result<std::unique_ptr<sql::SqlStore>> sqlStore = runtime::openSqlBackend(settings, directory, &access.m_location);
    if (!sqlStore)
        return sqlStore.error();
    access.m_sql = std::move(sqlStore.value());

    const Result<int> before = access.m_sql->schemaVersion();
    if (!before)
        return withContext(before.error(),
            QStringLiteral("cannot read the schema version of the SQL store %1: ").arg(access.m_location));
    QElapsedTimer sqlTimer;
    sqlTimer.start();
    if (const Status migrated = access.m_sql->migrate(); !migrated) {
        return withContext(
            migrated.error(), QStringLiteral("cannot migrate the SQL store %1: ").arg(access.m_location));
    }
    const qint64 sqlElapsedMs = sqlTimer.elapsed();
    const Result<int> after = access.m_sql->schemaVersion();
    if (!after)
        return withContext(after.error(),
            QStringLiteral("cannot read the schema version of the SQL store %1: ").arg(access.m_location));
    access.m_sqlSchema = SchemaChange {before.value(), after.value(), sqlElapsedMs};
    return access;
}

}  // namespace mutt::muttd
