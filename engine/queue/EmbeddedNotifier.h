#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mutt::queue {

// A store-owned thread that runs callers' callbacks (applyAsync completions,
// config-change notifications) in order, outside every store lock, so a
// callback may call the store again without deadlocking its worker.
class EmbeddedNotifier final {
public:
    EmbeddedNotifier();
    // Runs every callback already posted, then joins.
    ~EmbeddedNotifier();

    EmbeddedNotifier(const EmbeddedNotifier &) = delete;
    EmbeddedNotifier &operator=(const EmbeddedNotifier &) = delete;

    void post(std::function<void()> callback);
    [[nodiscard]] bool isNotifierThread() const { return std::this_thread::get_id() == m_thread.get_id(); }

private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_posted;
    std::deque<std::function<void()>> m_callbacks;  // guarded by m_mutex
    bool m_stopping = false;  // guarded by m_mutex
    std::thread m_thread;
};

}  // namespace mutt::queue
