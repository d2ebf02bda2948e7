#pragma once

#include "sql/SqlTypes.h"

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace mutt::alerter {

class EventFields;

// The outcome of testing one rule against one event, with the reason in
// words for the console's rule tester.
struct RuleTest {
    bool matched = false;
    QString reason;
};

// One alert_rules row prepared for matching: match type resolved, match
// string and OID as UTF-8, the pattern compiled with RE2 (case-insensitive;
// contains rules as literals). A row that cannot be prepared keeps the
// reason in loadError and never matches.
class CompiledRule final {
public:
    enum class Type { Contains, Regex, OidPrefix };

    explicit CompiledRule(sql::AlertRule row);
    ~CompiledRule();
    CompiledRule(CompiledRule &&) noexcept;
    CompiledRule &operator=(CompiledRule &&) noexcept;
    CompiledRule(const CompiledRule &) = delete;
    CompiledRule &operator=(const CompiledRule &) = delete;

    [[nodiscard]] const sql::AlertRule &row() const { return m_row; }
    [[nodiscard]] Type type() const { return m_type; }
    [[nodiscard]] bool usable() const { return m_loadError.isEmpty(); }
    [[nodiscard]] const QString &loadError() const { return m_loadError; }

    // The match string as stored (contains, regex) and the trap OID
    // (trimmed, no leading dot); nullopt when null or blank.
    [[nodiscard]] const std::optional<std::string> &matchString() const { return m_match; }
    [[nodiscard]] const std::optional<std::string> &trapOid() const { return m_oid; }
    [[nodiscard]] bool hasTrapOid() const { return m_oid.has_value(); }

    // True when the rule may be tested on the event's message. It must not be
    // an OID rule, the event and the rule must not both carry a trap OID
    // (then only the OID is compared), and its severity filter must pass.
    [[nodiscard]] bool messageTestApplies(const EventFields &event) const;

    // Full test with the reason, one rule at a time; the reference the
    // multi-pattern matcher must agree with.
    [[nodiscard]] RuleTest test(const EventFields &event) const;

private:
    [[nodiscard]] RuleTest testOid(const EventFields &event) const;
    [[nodiscard]] RuleTest testMessage(const EventFields &event) const;
    void prepare();

    sql::AlertRule m_row;
    Type m_type = Type::Contains;
    std::optional<std::string> m_match;
    std::optional<std::string> m_oid;
    std::unique_ptr<re2::RE2> m_pattern;
    QString m_loadError;
};

// True when `oid` (an event trap OID) lies under `prefix` by whole arcs; a
// leading dot on either side is ignored.
bool oidUnder(std::string_view oid, std::string_view prefix);

}  // namespace mutt::alerter
