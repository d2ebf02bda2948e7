#pragma once

#include "config/Settings.h"
#include "core/Result.h"

#include <QString>

#include <memory>
#include <optional>

namespace mutt::sql {
class SqlStore;
}

namespace mutt::muttd {

// The stores for one-shot commands (rules import/export, migrate), opened
// without starting any role, on the backends the settings choose.
class StoreAccess final {
public:
    // One store's schema version before and after open() migrated it, and
    // how long the migration took.
    struct SchemaChange {
        int fromVersion = 0;  // 0: the store was created
        int toVersion = 0;
        qint64 elapsedMs = 0;
    };

    enum class Scope { SqlOnly, SqlAndQueue };
    // On the embedded backend, what open() may create instead of returning
    // an InvalidInput error, so that a mistyped --data-dir is not read as
    // an empty store or filled with a new one:
    // - CreateIfMissing: the data directory and the stores (migrate);
    // - ExistingDirectory: the stores, in a data directory that exists
    //   (rules import, whose first use may be a just-created folder);
    // - ExistingOnly: nothing (read-only commands).
    enum class Creation { CreateIfMissing, ExistingDirectory, ExistingOnly };

    // Opens and migrates the SQL store (and, for SqlAndQueue, the queue store,
    // which creates its schema on open).
    static Result<StoreAccess> open(const config::Settings &settings, Scope scope = Scope::SqlAndQueue,
        Creation creation = Creation::CreateIfMissing);

    StoreAccess(StoreAccess &&) noexcept;
    StoreAccess &operator=(StoreAccess &&) noexcept;
    ~StoreAccess();

    [[nodiscard]] sql::SqlStore &sql() const { return *m_sql; }
    // Where the stores live, for messages.
    [[nodiscard]] const QString &location() const { return m_location; }
    // The embedded queue store's file, or empty when the scope or the
    // backend opened no embedded queue store.
    [[nodiscard]] const QString &queueStorePath() const { return m_queueStorePath; }
    [[nodiscard]] const SchemaChange &sqlSchema() const { return m_sqlSchema; }
    // Empty when queueStorePath() is.
    [[nodiscard]] const std::optional<SchemaChange> &queueSchema() const { return m_queueSchema; }

private:
    StoreAccess() = default;

    QString m_location;
    QString m_queueStorePath;
    SchemaChange m_sqlSchema;
    std::optional<SchemaChange> m_queueSchema;
    std::shared_ptr<void> m_queue;
    std::unique_ptr<sql::SqlStore> m_sql;
};

}  // namespace mutt::muttd
