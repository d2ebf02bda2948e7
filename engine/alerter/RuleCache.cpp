#include "alerter/RuleCache.h"

#include "alerter/AlerterMetrics.h"
#include "alerter/RuleSet.h"
#include "core/Log.h"
#include "sql/SqlStore.h"

#include <QElapsedTimer>

namespace mutt::alerter {

RuleCache::RuleCache(sql::SqlStore &sql, AlerterMetrics &metrics) : m_sql(sql), m_metrics(metrics) { }

Status RuleCache::reload()
{
    QElapsedTimer timer;
    timer.start();

    // Read before the snapshot: a change that commits in between is in the
    // snapshot, and only causes one more reload.
    const Result<qint64> change = m_sql.latestConfigChange();
    auto snapshot = m_sql.loadRuleSnapshot();
    if (!snapshot.ok()) {
        m_metrics.cacheReloadFailures.inc();
        return snapshot.error();
    }
    auto rules = std::make_shared<const RuleSet>(snapshot.value());

    m_metrics.cacheReloadLatency.observe(double(timer.nsecsElapsed()) / 1e9);
    m_metrics.rulesCount.set(double(rules->ruleCount()));
    m_metrics.devHostsCount.set(double(rules->devHostCount()));
    m_metrics.teamsCount.set(double(rules->teamCount()));
    m_metrics.rulesSkipped.set(double(rules->skippedRules().size()));
    mutt::log::get("alerter")->info("rule cache loaded rules={} skipped={} dev_hosts={} teams={} ms={}",
        rules->ruleCount(), rules->skippedRules().size(), rules->devHostCount(), rules->teamCount(), timer.elapsed());

    std::lock_guard lock(m_mutex);
    m_rules = std::move(rules);
    m_loadedChange = change.valueOr(-1);
    return {};
}

Result<bool> RuleCache::changedSinceReload()
{
    const Result<qint64> change = m_sql.latestConfigChange();
    if (!change)
        return change.error();
    std::lock_guard lock(m_mutex);
    return m_rules && change.value() != m_loadedChange;
}

std::shared_ptr<const RuleSet> RuleCache::current() const
{
    std::lock_guard lock(m_mutex);
    return m_rules;
}

}  // namespace mutt::alerter
