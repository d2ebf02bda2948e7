#pragma once

#include "alerter/OidTrie.h"

#include <re2/set.h>

#include <atomic>
#include <memory>
#include <vector>

namespace mutt::alerter {

class CompiledRule;
class EventFields;

// The multi-pattern matcher over a list of compiled rules in (priority, id)
// order: one arc trie for OID rules, one RE2::Set of literals for contains
// rules and RE2::Sets of regex rules. firstMatch() collects every candidate
// in one pass per set and keeps the lowest index that passes the rule's
// filters, so the cost grows with the number of sets, not of rules.
class RuleIndex final {
public:
    // `rules` must outlive the index and not change.
    explicit RuleIndex(const std::vector<CompiledRule> &rules);
    ~RuleIndex();
    RuleIndex(const RuleIndex &) = delete;
    RuleIndex &operator=(const RuleIndex &) = delete;

    // Index into `rules` of the first matching rule, or -1.
    [[nodiscard]] int firstMatch(const EventFields &event) const;

private:
    struct PatternSet {
        std::unique_ptr<RE2::Set> set;
        std::vector<int> rules;  // set pattern index -> rule index
    };

    void compileSets(std::vector<PatternSet> &sets);
    void addPattern(std::vector<PatternSet> &sets, bool literal, size_t maxPerSet, int ruleIndex);
    [[nodiscard]] int slowMatch(const EventFields &event) const;

    const std::vector<CompiledRule> &m_rules;
    OidTrie m_oids;
    std::vector<PatternSet> m_literalSets;
    std::vector<PatternSet> m_regexSets;
    std::vector<int> m_loose;  // rules no set could take, tested one by one
    mutable std::atomic<bool> m_fallbackLogged {false};
};

}  // namespace mutt::alerter
