#pragma once

#include "core/Result.h"
#include "queue/EmbeddedStoreOptions.h"
#include "queue/QueueStore.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace mutt::queue {

class EmbeddedDatabase;
class EmbeddedOps;
class EmbeddedWakeups;

// The thread that owns the store's connection. Callers queue tasks, and the
// thread runs every pending task (up to a bound) in one transaction. Each task
// runs inside its own savepoint, so a failing task undoes only itself. The
// group then commits once and every task is completed. The commit waits for
// fdatasync (synchronous=FULL) only when the store's sync is Full and a task
// of the group is Durability::Accept; a group of Move tasks commits with
// synchronous=NORMAL. In WAL mode an fdatasync covers the whole log, so an
// Accept commit also makes every earlier Move commit durable.
class EmbeddedWorker final {
public:
    using Work = std::function<Status(EmbeddedOps &)>;
    // Runs on the worker thread after the commit: the task's own error, the
    // commit's error, or success. Must not block or call the store.
    using Done = std::function<void(Status)>;

    EmbeddedWorker(std::unique_ptr<EmbeddedDatabase> db, EmbeddedWakeups &wakeups, const EmbeddedStoreOptions &options);
    // Runs every queued task, commits, closes the connection and joins.
    ~EmbeddedWorker();

    EmbeddedWorker(const EmbeddedWorker &) = delete;
    EmbeddedWorker &operator=(const EmbeddedWorker &) = delete;

    void submit(Work work, Done done, Durability durability = Durability::Accept);

    // Runs `work` and waits until it is committed; returns its value.
    template <typename T>
    Result<T> call(const std::function<Result<T>(EmbeddedOps &)> &work, Durability durability = Durability::Accept)
    {
        std::optional<Result<T>> out;
        Status status = run(
            [&](EmbeddedOps &ops) -> Status {
                out.emplace(work(ops));
                return out->ok() ? Status() : Status(out->error());
            },
            durability);
        if (!status)
            return status.error();
        return std::move(*out);
    }

    // Runs `work` and waits until it is committed.
    Status run(const Work &work, Durability durability = Durability::Accept);

private:
    struct Task {
        Work work;
        Done done;
        Durability durability = Durability::Accept;
    };

    void loop();
    void runGroup(std::vector<Task> &group);
    // Runs one task in its own savepoint; sets groupStatus when the whole
    // transaction can no longer be committed.
    Status runTask(Task &task, Status &groupStatus);
    // Sets synchronous=FULL or NORMAL for the next commit, when it changes.
    Status useSync(bool flush);
    void purgeExpired();
    [[nodiscard]] Error stoppedError() const;

    std::unique_ptr<EmbeddedDatabase> m_db;
    std::unique_ptr<EmbeddedOps> m_ops;
    EmbeddedWakeups &m_wakeups;
    const EmbeddedStoreOptions m_options;
    std::chrono::steady_clock::time_point m_nextPurge;
    bool m_flushing = false;  // synchronous=FULL is in force on the connection

    std::mutex m_mutex;
    std::condition_variable m_queued;
    std::deque<Task> m_tasks;  // guarded by m_mutex
    bool m_stopping = false;  // guarded by m_mutex
    std::thread m_thread;
};

}  // namespace mutt::queue
