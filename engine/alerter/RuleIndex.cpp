#include "alerter/RuleIndex.h"

#include "alerter/CompiledRule.h"
#include "alerter/EventFields.h"
#include "core/Log.h"

#include <climits>

namespace mutt::alerter {
namespace {

// Regexes in one set share one DFA. Sets of at most this size keep its state
// count and memory bounded when rules are complex, so each extra set costs
// one more scan of the message.
constexpr size_t kRegexesPerSet = 256;
constexpr size_t kLiteralsPerSet = 4096;
constexpr int64_t kSetMaxMemBytes = int64_t(64) << 20;

RE2::Options setOptions(bool literal)
{
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_literal(literal);
    options.set_log_errors(false);
    options.set_max_mem(kSetMaxMemBytes);
    return options;
}

}  // namespace

RuleIndex::RuleIndex(const std::vector<CompiledRule> &rules) : m_rules(rules)
{
    for (size_t i = 0; i < rules.size(); ++i) {
        const CompiledRule &rule = rules[i];
        if (!rule.usable())
            continue;
        if (rule.type() == CompiledRule::Type::OidPrefix)
            m_oids.insert(*rule.trapOid(), int(i));
        else if (rule.type() == CompiledRule::Type::Contains)
            addPattern(m_literalSets, true, kLiteralsPerSet, int(i));
        else
            addPattern(m_regexSets, false, kRegexesPerSet, int(i));
    }

    for (auto *sets : {&m_literalSets, &m_regexSets})
        compileSets(*sets);
}

RuleIndex::~RuleIndex() = default;

void RuleIndex::compileSets(std::vector<PatternSet> &sets)
{
    for (auto it = sets.begin(); it != sets.end();) {
        if (it->set->Compile()) {
            ++it;
            continue;
        }
        mutt::log::get("alerter")->warn("rule index: a pattern set ran out of memory while compiling rules={}; "
                                        "those rules are tested one by one",
            it->rules.size());
        m_loose.insert(m_loose.end(), it->rules.begin(), it->rules.end());
        it = sets.erase(it);
    }
}

void RuleIndex::addPattern(std::vector<PatternSet> &sets, bool literal, size_t maxPerSet, int ruleIndex)
{
    if (sets.empty() || sets.back().rules.size() >= maxPerSet)
        sets.push_back(PatternSet {std::make_unique<RE2::Set>(setOptions(literal), RE2::UNANCHORED), {}});

    PatternSet &patterns = sets.back();
    const std::string &pattern = *m_rules[size_t(ruleIndex)].matchString();
    std::string error;
    if (patterns.set->Add(pattern, &error) < 0) {
        // CompiledRule compiled the same pattern alone, so this is not
        // expected; the rule is then tested on its own.
        mutt::log::get("alerter")->warn("rule index: RE2::Set rejected a pattern rule_id={}; reason={}; the rule "
                                        "is tested on its own",
            m_rules[size_t(ruleIndex)].row().id, error);
        m_loose.push_back(ruleIndex);
        return;
    }
    patterns.rules.push_back(ruleIndex);
}

int RuleIndex::firstMatch(const EventFields &event) const
{
    int best = INT_MAX;

    if (event.hasTrapOid()) {
        std::vector<int> hits;
        m_oids.collect(*event.trapOid(), hits);
        for (const int index : hits)
            best = std::min(best, index);
    }

    if (event.hasMessage()) {
        const re2::StringPiece text(event.message().data(), event.message().size());
        std::vector<int> hits;
        for (const auto *sets : {&m_literalSets, &m_regexSets}) {
            for (const PatternSet &patterns : *sets) {
                hits.clear();
                RE2::Set::ErrorInfo info {RE2::Set::kNoError};
                if (!patterns.set->Match(text, &hits, &info) && info.kind != RE2::Set::kNoError)
                    return slowMatch(event);
                for (const int hit : hits) {
                    const int index = patterns.rules[size_t(hit)];
                    if (index < best && m_rules[size_t(index)].messageTestApplies(event))
                        best = index;
                }
            }
        }
    }

    for (const int index : m_loose) {
        if (index < best && m_rules[size_t(index)].test(event).matched)
            best = index;
    }

    return best == INT_MAX ? -1 : best;
}

int RuleIndex::slowMatch(const EventFields &event) const
{
    if (!m_fallbackLogged.exchange(true)) {
        mutt::log::get("alerter")->warn("rule index: RE2::Set ran out of memory on an event; matching rules one "
                                        "by one for such events (slower); reduce complex regex rules if this "
                                        "repeats");
    }
    for (size_t i = 0; i < m_rules.size(); ++i) {
        if (m_rules[i].test(event).matched)
            return int(i);
    }
    return -1;
}

}  // namespace mutt::alerter
