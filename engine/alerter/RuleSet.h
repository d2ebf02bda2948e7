#pragma once

#include "sql/SqlTypes.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace mutt::event {
class Event;
}

namespace mutt::alerter {

enum class Environment { Prod, Dev };

// "prod" or "dev".
QString environmentName(Environment environment);

// The decision for an event that matched a rule.
struct RuleDecision {
    const sql::AlertRule *rule = nullptr;  // valid as long as the RuleSet it came from
    Environment environment = Environment::Prod;
    QString handling;  // dev_handling or prod_handling, as stored
    bool forward = false;  // Page_and_ticket, Page_only or Ticket_only (any case)
};

// A rule that could not be prepared at load (for example a regex RE2 rejects).
struct SkippedRule {
    qint64 ruleId = 0;
    QString error;
};

// One line of explain(): how a rule fares against an event.
struct RuleVerdict {
    qint64 ruleId = 0;
    int priority = 0;
    bool considered = false;  // reached in priority order: no earlier rule matched
    bool matched = false;  // the rule's own test passes on this event
    bool winner = false;  // the first match: the rule the alerter applies
    QString reason;
};

// The active alert rules compiled for matching, with the dev hosts and the
// host -> team map of the same snapshot. Immutable once built; copies share
// the compiled state, and every method may be called from any thread.
//
// Matching follows the alert_rules contract: rules in (priority, id) order,
// first match wins. An event with a trap_oid is compared only by OID against
// rules that have a trap_oid (oid_prefix, whole arcs, leading dots ignored);
// otherwise a rule with a match_string is tested on the message (contains:
// substring, regex: unanchored RE2 search, both case-insensitive) after its
// syslog_severity filter. The cost per event is nearly independent of the
// number of rules, because OID rules sit in an arc trie, contains rules in one
// RE2::Set of literals and regex rules in RE2::Sets. The lowest
// (priority, id) candidate that passes the filters wins.
class RuleSet final {
public:
    RuleSet();  // no rules
    explicit RuleSet(const sql::RuleSnapshot &snapshot);
    ~RuleSet();
    RuleSet(const RuleSet &) = default;
    RuleSet &operator=(const RuleSet &) = default;
    RuleSet(RuleSet &&) noexcept = default;
    RuleSet &operator=(RuleSet &&) noexcept = default;

    // The first matching rule, or nullptr.
    [[nodiscard]] const sql::AlertRule *match(const event::Event &event) const;

    // The matching rule with the environment and handling it implies.
    [[nodiscard]] std::optional<RuleDecision> decide(const event::Event &event) const;

    // Every rule (skipped ones too) in priority order, each tested on its own.
    // For the rule tester: one rule at a time, not for the hot path.
    [[nodiscard]] QList<RuleVerdict> explain(const event::Event &event) const;

    // dev when the hostname is a development host (exact match), else prod.
    [[nodiscard]] Environment environmentOf(const QString &hostname) const;
    // The team of a host from device_teams, or an empty string.
    [[nodiscard]] QString teamFor(const QString &hostname) const;

    // Rules that will be matched, and those that could not be prepared.
    [[nodiscard]] qsizetype ruleCount() const;
    [[nodiscard]] const QList<SkippedRule> &skippedRules() const;
    [[nodiscard]] qsizetype devHostCount() const;
    [[nodiscard]] qsizetype teamCount() const;

    // Page_and_ticket, Page_only and Ticket_only (any case) forward to the
    // alert queue; any other handling is recorded and not forwarded. The
    // rule checks use the same test (sql::handlingForwards).
    static bool forwards(const QString &handling);

private:
    struct Impl;
    std::shared_ptr<const Impl> m_impl;
};

}  // namespace mutt::alerter
