#include "alerter/RuleSet.h"

#include "alerter/CompiledRule.h"
#include "alerter/EventFields.h"
#include "alerter/RuleIndex.h"
#include "core/Log.h"
#include "event/Event.h"
#include "sql/RuleValidation.h"

#include <algorithm>

namespace mutt::alerter {

struct RuleSet::Impl {
    explicit Impl(const sql::RuleSnapshot &snapshot);

    std::vector<CompiledRule> rules;  // every row, (priority, id) order
    QList<SkippedRule> skipped;
    qsizetype usable = 0;
    QSet<QString> devHosts;
    QHash<QString, QString> teams;
    std::unique_ptr<RuleIndex> index;  // built last: it refers to `rules`
};

namespace {

std::vector<sql::AlertRule> sortedRules(const QList<sql::AlertRule> &rows)
{
    std::vector<sql::AlertRule> sorted(rows.begin(), rows.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const sql::AlertRule &a, const sql::AlertRule &b) {
        return a.priority != b.priority ? a.priority < b.priority : a.id < b.id;
    });
    return sorted;
}

}  // namespace

RuleSet::Impl::Impl(const sql::RuleSnapshot &snapshot) : devHosts(snapshot.devHosts), teams(snapshot.teams)
{
    for (sql::AlertRule &row : sortedRules(snapshot.rules)) {
        if (!row.isActive)
            continue;
        rules.emplace_back(std::move(row));
        const CompiledRule &rule = rules.back();
        if (rule.usable()) {
            ++usable;
            continue;
        }
        skipped.append(SkippedRule {rule.row().id, rule.loadError()});
        mutt::log::get("alerter")->warn("rule skipped at load rule_id={}; reason={}; fix the rule, it will not match "
                                        "until then",
            rule.row().id, rule.loadError());
    }
    index = std::make_unique<RuleIndex>(rules);
}

QString environmentName(Environment environment)
{
    return environment == Environment::Dev ? QStringLiteral("dev") : QStringLiteral("prod");
}

RuleSet::RuleSet() : RuleSet(sql::RuleSnapshot {}) { }

RuleSet::RuleSet(const sql::RuleSnapshot &snapshot) : m_impl(std::make_shared<const Impl>(snapshot)) { }

RuleSet::~RuleSet() = default;

const sql::AlertRule *RuleSet::match(const event::Event &event) const
{
    const EventFields fields(event);
    const int index = m_impl->index->firstMatch(fields);
    return index < 0 ? nullptr : &m_impl->rules[size_t(index)].row();
}

std::optional<RuleDecision> RuleSet::decide(const event::Event &event) const
{
    const sql::AlertRule *rule = match(event);
    if (!rule)
        return std::nullopt;

    RuleDecision decision;
    decision.rule = rule;
    decision.environment = environmentOf(event.hostname());
    decision.handling = decision.environment == Environment::Dev ? rule->devHandling : rule->prodHandling;
    decision.forward = forwards(decision.handling);
    return decision;
}

QList<RuleVerdict> RuleSet::explain(const event::Event &event) const
{
    const EventFields fields(event);
    QList<RuleVerdict> verdicts;
    std::optional<qint64> winnerId;

    for (const CompiledRule &rule : m_impl->rules) {
        const RuleTest test = rule.test(fields);
        RuleVerdict verdict;
        verdict.ruleId = rule.row().id;
        verdict.priority = rule.row().priority;
        verdict.considered = !winnerId.has_value();
        verdict.matched = test.matched;
        verdict.winner = test.matched && !winnerId;
        verdict.reason = test.reason;
        if (winnerId)
            verdict.reason
                = QStringLiteral("not reached: rule %1 matched first; on its own: %2").arg(*winnerId).arg(test.reason);
        if (verdict.winner)
            winnerId = verdict.ruleId;
        verdicts.append(verdict);
    }
    return verdicts;
}

Environment RuleSet::environmentOf(const QString &hostname) const
{
    return m_impl->devHosts.contains(hostname) ? Environment::Dev : Environment::Prod;
}

QString RuleSet::teamFor(const QString &hostname) const
{
    return m_impl->teams.value(hostname);
}

qsizetype RuleSet::ruleCount() const
{
    return m_impl->usable;
}

const QList<SkippedRule> &RuleSet::skippedRules() const
{
    return m_impl->skipped;
}

qsizetype RuleSet::devHostCount() const
{
    return m_impl->devHosts.size();
}

qsizetype RuleSet::teamCount() const
{
    return m_impl->teams.size();
}

bool RuleSet::forwards(const QString &handling)
{
    return sql::handlingForwards(handling);
}

}  // namespace mutt::alerter
