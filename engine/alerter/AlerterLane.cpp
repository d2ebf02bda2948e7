#include "alerter/AlerterLane.h"

#include "alerter/AlerterConfig.h"
#include "alerter/AlerterMetrics.h"
#include "alerter/RuleCache.h"
#include "alerter/RuleSet.h"
#include "config/Settings.h"
#include "core/Log.h"
#include "queue/QueueStore.h"

#include <algorithm>

namespace mutt::alerter {
namespace {

auto logger()
{
    return mutt::log::get("alerter");
}

// Repeated backpressure lines are logged at most this often per lane.
constexpr auto kWarnEvery = std::chrono::seconds(30);
constexpr auto kRulesPoll = std::chrono::milliseconds(1000);
constexpr auto kClaimSlice = std::chrono::milliseconds(250);
// While deferring, the alert queue depth is read again this often.
constexpr auto kDeferPoll = std::chrono::milliseconds(20);
constexpr auto kStrayCheckEvery = std::chrono::seconds(5);

}  // namespace

AlerterLane::AlerterLane(AlerterDeps deps, RuleCache &cache, StopSignal &stop, queue::ClaimGuard &guard)
    : m_deps(deps)
    , m_cache(cache)
    , m_stop(stop)
    , m_processing(guard.processingList())
    , m_guard(guard)
    , m_batch(deps, m_processing, guard)
    , m_backoff(stop)
    , m_claimSizer(deps.settings.alerterBatchSize)
{
}

AlerterLane::~AlerterLane()
{
    join();
}

void AlerterLane::start()
{
    m_thread = std::thread([this] { run(); });
}

void AlerterLane::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void AlerterLane::run()
{
    logger()->info("alerter lane started processing_list={} batch={}", m_processing, m_deps.settings.alerterBatchSize);
    returnLeftovers();

    while (!m_stop.stopRequested()) {
        if (!m_cache.loaded()) {
            m_stop.waitFor(kRulesPoll, [this] { return m_cache.loaded(); });
            continue;
        }
        checkForStrays();
        if (m_recheck) {
            processLeftInList();
            continue;
        }
        if (!admit())
            continue;
        claimAndProcess();
    }
    finishCommit();
    logger()->info("alerter lane stopped processing_list={}", m_processing);
}

// Items left in this list by an earlier process with the same pod name: no
// live worker owns them (pod names are unique), so they go back to be
// processed next.
void AlerterLane::returnLeftovers()
{
    while (!m_stop.stopRequested()) {
        const auto returned = m_deps.queue.returnAll(m_processing, m_deps.settings.ingestQueue);
        if (returned.ok()) {
            if (returned.value() > 0)
                logger()->info("returned items left from an earlier run processing_list={} items={}", m_processing,
                    returned.value());
            m_backoff.reset();
            return;
        }
        logger()->warn("could not return leftover items processing_list={}; reason={}; retrying in {} ms", m_processing,
            returned.error().toString(), m_backoff.next().count());
        m_backoff.wait();
    }
}

bool AlerterLane::admit()
{
    const auto depth = m_deps.queue.length(m_deps.settings.alertQueue);
    if (!depth.ok()) {
        m_alertRoom = 0;
        return true;  // the claim reports the store failure and backs off
    }
    m_deps.metrics.queueDepth.set(double(depth.value()));

    const qint64 shedThreshold = m_deps.config.queueShedThreshold();
    // The committing batch has not pushed its alerts yet.
    m_alertRoom = shedThreshold - depth.value() - (m_committing ? m_committing->alerts() : 0);
    if (depth.value() > shedThreshold) {
        if (!finishCommit())
            return false;
        if (m_deps.config.shedMode() == u"dlq") {
            shedBatch(depth.value(), shedThreshold);
            return false;
        }
        m_deps.metrics.shedDefer.inc();
        if (warnDue(m_lastShedLog)) {
            logger()->warn("claiming paused alert_queue={} depth={} shed_threshold={} mode=defer; resumes when the "
                           "forwarder drains the alert queue",
                m_deps.settings.alertQueue, depth.value(), shedThreshold);
        }
        waitForRoom(shedThreshold);
        return false;
    }

    const qint64 warnThreshold = m_deps.config.queueWarnThreshold();
    if (depth.value() > warnThreshold && warnDue(m_lastDepthWarn)) {
        logger()->warn("alert queue is deep alert_queue={} depth={} warn_threshold={} shed_threshold={}; check the "
                       "forwarder and the Moogsoft webhook",
            m_deps.settings.alertQueue, depth.value(), warnThreshold, shedThreshold);
    }
    return true;
}

// Waits up to BRPOPLPUSH_TIMEOUT in short slices, so that stop() never waits
// for a long blocking claim. A push wakes a waiting claim at once.
std::optional<QList<QByteArray>> AlerterLane::claim(int size, bool wait)
{
    // Redis may serve a pending blocking claim while this process is paused,
    // and a janitor may then take the items, so the mark is taken before the
    // claim is sent.
    m_claimMark = m_guard.mark();
    const auto deadline = std::chrono::steady_clock::now()
        + (wait ? std::chrono::milliseconds(std::chrono::seconds(m_deps.settings.brpoplpushTimeout))
                : std::chrono::milliseconds(0));
    while (true) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const auto slice = std::clamp(left, std::chrono::milliseconds(0), kClaimSlice);
        auto claimed = m_deps.queue.claim(m_deps.settings.ingestQueue, m_processing, size, slice);
        if (!claimed.ok()) {
            logger()->warn("claim failed queue={} processing_list={}; reason={}; retrying in {} ms",
                m_deps.settings.ingestQueue, m_processing, claimed.error().toString(), m_backoff.next().count());
            // A failed claim may still have moved items into the list, because
            // its reply was lost or a failover kept the claim but lost its undo.
            recheck("claimed items whose claim reported an error");
            m_backoff.wait();
            return std::nullopt;
        }
        if (!claimed.value().isEmpty())
            return std::move(claimed).value();
        if (left <= kClaimSlice || m_stop.stopRequested())
            return std::nullopt;
    }
}

// Pauses claiming for up to alerter_defer_sleep_ms, but ends the pause as
// soon as the forwarder has drained the alert queue to the shed threshold,
// so that neither side idles while the other has work for it.
void AlerterLane::waitForRoom(qint64 threshold)
{
    const auto deadline = std::chrono::steady_clock::now() + m_deps.config.deferSleep();
    while (!m_stop.stopRequested()) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds(0))
            return;
        m_stop.waitFor(std::min(left, kDeferPoll));
        const auto depth = m_deps.queue.length(m_deps.settings.alertQueue);
        if (depth.ok() && depth.value() <= threshold)
            return;
    }
}

void AlerterLane::shedBatch(qint64 depth, qint64 threshold)
{
    if (!finishCommit())
        return;
    const auto claimed = claim(m_claimSizer.batchSize());
    if (!claimed)
        return;

    if (m_batch.shed(*claimed, depth, threshold).ok()) {
        m_backoff.reset();
        return;
    }
    recheck("items whose shedding to the DLQ failed");
    m_backoff.wait();
}

void AlerterLane::claimAndProcess()
{
    const int size = m_claimSizer.next(m_alertRoom);
    // With a batch committing, an empty queue is no reason to block: the
    // lane then waits for that batch instead, to handle its outcome at once.
    const bool committing = m_committing.has_value();
    const auto claimed = claim(size, !committing);
    if (!claimed) {
        finishCommit();
        return;
    }
    m_claimSizer.claimed(claimed->size(), size);

    BatchProcessor::Prepared next = prepare(*claimed);
    // A batch that did not commit is processed again from the list, and this
    // one with it: its items are in the list too.
    if (!finishCommit())
        return;
    startCommit(std::move(next));
}

BatchProcessor::Prepared AlerterLane::prepare(const QList<QByteArray> &items)
{
    const auto claimedAt = std::chrono::steady_clock::now();
    const std::shared_ptr<const RuleSet> rules = m_cache.current();
    return m_batch.prepare(items, *rules, claimedAt, m_claimMark);
}

void AlerterLane::startCommit(BatchProcessor::Prepared batch)
{
    m_committing = std::move(batch);
    m_commit.start([this] { return m_batch.commit(*m_committing); });
}

bool AlerterLane::finishCommit()
{
    if (!m_committing)
        return true;
    const BatchProcessor::Outcome outcome = m_commit.wait();
    m_batch.settle(*m_committing, outcome);
    const qsizetype items = m_committing->size();
    m_committing.reset();
    handleOutcome(outcome, items);
    return outcome != BatchProcessor::Outcome::NotCommitted;
}

// After a failed commit the items are still in this lane's processing list
// (no janitor takes them while the heartbeat lives), so they are processed
// again from there, oldest first, before anything new is claimed.
void AlerterLane::processLeftInList()
{
    finishCommit();
    const int batch = m_deps.settings.alerterBatchSize;
    m_claimMark = m_guard.mark();
    auto left = m_deps.queue.range(m_processing, -batch, -1);
    if (!left.ok()) {
        logger()->warn("cannot read processing_list={}; reason={}; retrying in {} ms", m_processing,
            left.error().toString(), m_backoff.next().count());
        m_backoff.wait();
        return;
    }
    if (left.value().isEmpty()) {
        m_recheck = false;
        return;
    }

    QList<QByteArray> items = std::move(left).value();
    std::reverse(items.begin(), items.end());
    logger()->info("processing {} processing_list={} items={}", m_recheckCause, m_processing, items.size());
    processBatch(items);
}

// Processes items found in the lane's list between batches, where it is
// empty unless the store lost a removal or kept a claim whose reply was lost.
void AlerterLane::checkForStrays()
{
    const auto now = std::chrono::steady_clock::now();
    if (m_recheck || now < m_nextStrayCheck)
        return;
    m_nextStrayCheck = now + kStrayCheckEvery;
    // The list contains the committing batch's items until its commit ends.
    if (!finishCommit())
        return;
    const auto listed = m_deps.queue.length(m_processing);
    if (!listed.ok() || listed.value() == 0)
        return;
    logger()->warn("processing list holds items no batch owns processing_list={} items={}; processing them now",
        m_processing, listed.value());
    recheck("items that no batch owns");
}

// Commits on the commit stage too, so that only its thread uses an SQL
// connection.
void AlerterLane::processBatch(const QList<QByteArray> &items)
{
    startCommit(prepare(items));
    finishCommit();
}

void AlerterLane::handleOutcome(BatchProcessor::Outcome outcome, qsizetype items)
{
    if (outcome == BatchProcessor::Outcome::Committed) {
        m_backoff.reset();
        return;
    }

    if (outcome == BatchProcessor::Outcome::NotCommitted)
        recheck("items left after a failed commit");
    else
        m_recheck = false;
    logger()->warn("batch not fully committed processing_list={} items={} committed={}; backing off {} ms",
        m_processing, items, !m_recheck, m_backoff.next().count());
    m_backoff.wait();
}

void AlerterLane::recheck(const char *cause)
{
    m_recheck = true;
    m_recheckCause = cause;
}

bool AlerterLane::warnDue(std::chrono::steady_clock::time_point &last)
{
    const auto now = std::chrono::steady_clock::now();
    if (last != std::chrono::steady_clock::time_point {} && now - last < kWarnEvery)
        return false;
    last = now;
    return true;
}

}  // namespace mutt::alerter
