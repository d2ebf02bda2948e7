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

    // nullptr until the first reload succeeds.
    [[nodiscard]] std::shared_ptr<const RuleSet> current() const;
    [[nodiscard]] bool loaded() const { return current() != nullptr; }

private:
    sql::SqlStore &m_sql;
    AlerterMetrics &m_metrics;
    mutable std::mutex m_mutex;
    std::shared_ptr<const RuleSet> m_rules;
};

}  // namespace mutt::alerter
