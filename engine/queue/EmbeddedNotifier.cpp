#include "queue/EmbeddedNotifier.h"

#include "core/Log.h"

#include <exception>

namespace mutt::queue {

EmbeddedNotifier::EmbeddedNotifier() : m_thread([this] { run(); }) { }

EmbeddedNotifier::~EmbeddedNotifier()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_posted.notify_one();
    m_thread.join();
}

void EmbeddedNotifier::post(std::function<void()> callback)
{
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        wasEmpty = m_callbacks.empty();
        m_callbacks.push_back(std::move(callback));
    }
    if (wasEmpty)
        m_posted.notify_one();
}

void EmbeddedNotifier::run()
{
    for (;;) {
        std::deque<std::function<void()>> batch;
        {
            std::unique_lock lock(m_mutex);
            m_posted.wait(lock, [this] { return m_stopping || !m_callbacks.empty(); });
            if (m_callbacks.empty())
                return;
            batch.swap(m_callbacks);
        }

        // Exceptions must not leave this thread: log and go on with the next callback.
        for (auto &callback : batch) {
            try {
                callback();
            } catch (const std::exception &e) {
                log::get("queue")->error("store callback threw reason={}; the callback's work is lost", e.what());
            } catch (...) {
                log::get("queue")->error("store callback threw an unknown exception; the callback's work is lost");
            }
        }
    }
}

}  // namespace mutt::queue
