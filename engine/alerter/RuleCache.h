#pragma once

#include "core/Result.h"

#include <memory>
#include <mutex>

namespace mutt::sql {
class SqlStore;
}

namespace mutt::alerter {

class RuleSet;
struct AlerterMetrics;

// The alerter's current rules: loaded from SQL and compiled by reload(),
// swapped in whole so a batch keeps the set it started with. A failed reload
// keeps the previous rules. Thread-safe.
class RuleCache final {
public:
    RuleCache(sql::SqlStore &sql, AlerterMetrics &metrics);
    RuleCache(const RuleCache &) = delete;
    RuleCache &operator=(const RuleCache &) = delete;

    Status reload();
    // True when the SQL store has a config change newer than the last
    // successful reload (see SqlStore::latestConfigChange()).
    Result<bool> changedSinceReload();

    // nullptr until the first reload succeeds.
    [[nodiscard]] std::shared_ptr<const RuleSet> current() const;
    [[nodiscard]] bool loaded() const { return current() != nullptr; }

private:
    sql::SqlStore &m_sql;
    AlerterMetrics &m_metrics;
    mutable std::mutex m_mutex;
    std::shared_ptr<const RuleSet> m_rules;
    qint64 m_loadedChange = -1;  // guarded by m_mutex: latestConfigChange() before the last reload, -1 if unknown
};

}  // namespace mutt::alerter
