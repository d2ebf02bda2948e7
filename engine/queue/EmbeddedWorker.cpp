#include "queue/EmbeddedWorker.h"

#include "core/Log.h"
#include "queue/EmbeddedDatabase.h"
#include "queue/EmbeddedOps.h"
#include "queue/EmbeddedWakeups.h"

#include <QDateTime>

#include <algorithm>
#include <exception>
#include <future>

namespace mutt::queue {

EmbeddedWorker::EmbeddedWorker(
    std::unique_ptr<EmbeddedDatabase> db, EmbeddedWakeups &wakeups, const EmbeddedStoreOptions &options)
    : m_db(std::move(db))
    , m_ops(std::make_unique<EmbeddedOps>(*m_db))
    , m_wakeups(wakeups)
    , m_options(options)
    , m_nextPurge(std::chrono::steady_clock::now())
    , m_flushing(options.sync == EmbeddedSync::Full)
    , m_thread([this] { loop(); })
{
}

EmbeddedWorker::~EmbeddedWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_queued.notify_one();
    m_thread.join();
    m_ops.reset();
    m_db.reset();
}

void EmbeddedWorker::submit(Work work, Done done, Durability durability)
{
    std::unique_lock lock(m_mutex);
    if (m_stopping) {
        lock.unlock();
        done(stoppedError());
        return;
    }

    const bool wasEmpty = m_tasks.empty();
    m_tasks.push_back(Task {std::move(work), std::move(done), durability});
    lock.unlock();
    if (wasEmpty)
        m_queued.notify_one();
}

Status EmbeddedWorker::run(const Work &work, Durability durability)
{
    if (std::this_thread::get_id() == m_thread.get_id())
        return makeError(
            ErrorCode::Internal, QStringLiteral("a queue store call was made from the store's own worker thread"));

    // Shared: the worker may still be inside set_value() when this caller
    // wakes up and returns.
    auto committed = std::make_shared<std::promise<Status>>();
    std::future<Status> result = committed->get_future();
    submit(
        work, [committed](Status status) { committed->set_value(std::move(status)); }, durability);
    return result.get();
}

void EmbeddedWorker::loop()
{
    const auto maxGroup = std::size_t(std::max(1, m_options.maxGroupTasks));
    for (;;) {
        std::vector<Task> group;
        {
            std::unique_lock lock(m_mutex);
            m_queued.wait_until(lock, m_nextPurge, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_stopping && m_tasks.empty())
                return;
            while (!m_tasks.empty() && group.size() < maxGroup) {
                group.push_back(std::move(m_tasks.front()));
                m_tasks.pop_front();
            }
        }

        if (std::chrono::steady_clock::now() >= m_nextPurge)
            purgeExpired();
        if (!group.empty())
            runGroup(group);
    }
}

void EmbeddedWorker::runGroup(std::vector<Task> &group)
{
    std::vector<Status> results;
    results.reserve(group.size());
    const bool accepts = std::any_of(
        group.begin(), group.end(), [](const Task &task) { return task.durability == Durability::Accept; });
    Status groupStatus = useSync(accepts && m_options.sync == EmbeddedSync::Full);
    if (groupStatus)
        groupStatus = m_db->statement("BEGIN IMMEDIATE").run();

    for (std::size_t i = 0; groupStatus && i < group.size(); ++i) {
        results.push_back(runTask(group[i], groupStatus));
        // A disk error can make SQLite roll the whole transaction back; the
        // tasks that already ran are gone with it.
        if (groupStatus && !m_db->inTransaction())
            groupStatus = results.back();
    }
    if (groupStatus)
        groupStatus = m_db->statement("COMMIT").run();

    if (groupStatus) {
        m_wakeups.notifyPushed(m_ops->lists.takePushed());
    } else {
        log::get("queue")->error("queue store commit failed path={} tasks={} reason={}; the callers get the error "
                                 "and may retry",
            m_db->path(), group.size(), groupStatus.error().message);
        m_db->rollback();
        m_ops->lists.takePushed();
        m_ops->limits.forgetWindows();
    }

    for (std::size_t i = 0; i < group.size(); ++i)
        group[i].done(groupStatus ? results[i] : groupStatus);
}

Status EmbeddedWorker::runTask(Task &task, Status &groupStatus)
{
    const qsizetype pushedMark = m_ops->lists.pushedMark();
    if (Status opened = m_db->statement("SAVEPOINT task").run(); !opened) {
        groupStatus = opened;
        return opened;
    }

    Status status;
    try {
        status = task.work(*m_ops);
    } catch (const std::exception &e) {
        status = makeError(
            ErrorCode::Internal, QStringLiteral("queue store task threw: %1").arg(QString::fromUtf8(e.what())));
    }

    if (!status) {
        m_ops->lists.rollbackPushed(pushedMark);
        m_ops->limits.forgetWindows();
        if (status.error().code != ErrorCode::InvalidInput)
            log::get("queue")->warn("queue store operation failed path={} reason={}; its changes were undone",
                m_db->path(), status.error().message);
        if (!m_db->inTransaction())
            return status;
        // If the task cannot be undone, nothing of the group may be committed.
        if (Status undone = m_db->statement("ROLLBACK TO task").run(); !undone)
            groupStatus = undone;
    }
    if (Status released = m_db->statement("RELEASE task").run(); !released && groupStatus)
        groupStatus = released;
    return status;
}

Status EmbeddedWorker::useSync(bool flush)
{
    if (flush == m_flushing)
        return {};
    // Not a cached statement: SQLite applies this pragma when it compiles it,
    // and only outside a transaction.
    Status set = m_db->exec(flush ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    if (set)
        m_flushing = flush;
    return set;
}

void EmbeddedWorker::purgeExpired()
{
    m_nextPurge = std::chrono::steady_clock::now() + m_options.purgeInterval;
    Result<qint64> purged = m_ops->kv.purgeExpired(QDateTime::currentMSecsSinceEpoch());
    if (!purged) {
        log::get("queue")->warn("purging expired keys failed path={} reason={}; retrying in {} ms", m_db->path(),
            purged.error().message, m_options.purgeInterval.count());
        return;
    }
    if (purged.value() > 0)
        log::get("queue")->debug("purged expired keys path={} count={}", m_db->path(), purged.value());
}

Error EmbeddedWorker::stoppedError() const
{
    return makeError(ErrorCode::Unavailable,
        QStringLiteral("queue store %1 is closing; the operation was not applied").arg(m_db->path()));
}

}  // namespace mutt::queue
