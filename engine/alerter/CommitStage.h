#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace mutt::alerter {

// Runs one job at a time on a thread of its own and keeps its result until
// the owner collects it. An alerter lane commits one batch here while it
// claims and plans the next, so the audit write and the queue apply of one
// batch overlap the claim of the following one.
//
// start(), pending() and wait() belong to one owner thread.
template <typename Result> class CommitStage final {
public:
    CommitStage() : m_thread([this] { run(); }) { }
    ~CommitStage()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    CommitStage(const CommitStage &) = delete;
    CommitStage &operator=(const CommitStage &) = delete;

    // Hands over a job. The previous one must have been collected with wait().
    void start(std::function<Result()> job)
    {
        {
            std::lock_guard lock(m_mutex);
            m_job = std::move(job);
            m_pending = true;
        }
        m_changed.notify_all();
    }

    // True from start() until wait() has returned the job's result.
    [[nodiscard]] bool pending() const
    {
        std::lock_guard lock(m_mutex);
        return m_pending;
    }

    // Blocks until the job handed over last has run, then returns its result.
    Result wait()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_result.has_value(); });
        Result result = std::move(*m_result);
        m_result.reset();
        m_pending = false;
        return result;
    }

private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_changed.wait(lock, [this] { return m_stopping || m_job; });
            if (!m_job)
                return;  // stopping with nothing to run
            std::function<Result()> job = std::move(m_job);
            m_job = nullptr;
            lock.unlock();
            Result result = job();
            lock.lock();
            m_result = std::move(result);
            m_changed.notify_all();
        }
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::function<Result()> m_job;  // guarded by m_mutex
    std::optional<Result> m_result;  // guarded by m_mutex
    bool m_pending = false;  // guarded by m_mutex
    bool m_stopping = false;  // guarded by m_mutex
    std::thread m_thread;  // last: starts after the members it uses
};

}  // namespace mutt::alerter
