#include "queue/EmbeddedWakeups.h"

namespace mutt::queue {

EmbeddedWakeups::Watch::Watch(EmbeddedWakeups &wakeups, QString key) : m_wakeups(wakeups), m_key(std::move(key))
{
    std::lock_guard lock(m_wakeups.m_mutex);
    Entry &entry = m_wakeups.m_entries[m_key];
    ++entry.watchers;
    m_seen = entry.generation;
}

EmbeddedWakeups::Watch::~Watch()
{
    std::lock_guard lock(m_wakeups.m_mutex);
    auto found = m_wakeups.m_entries.find(m_key);
    if (found != m_wakeups.m_entries.end() && --found->watchers == 0)
        m_wakeups.m_entries.erase(found);
}

bool EmbeddedWakeups::Watch::waitForPush(std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(m_wakeups.m_mutex);
    const auto generation = [this] { return m_wakeups.m_entries.value(m_key).generation; };
    m_wakeups.m_changed.wait_until(lock, deadline, [&] { return m_wakeups.m_shutdown || generation() != m_seen; });
    const quint64 now = generation();
    const bool pushed = now != m_seen && !m_wakeups.m_shutdown;
    m_seen = now;
    return pushed;
}

void EmbeddedWakeups::notifyPushed(const QStringList &keys)
{
    if (keys.isEmpty())
        return;

    bool woke = false;
    {
        std::lock_guard lock(m_mutex);
        for (const QString &key : keys) {
            auto found = m_entries.find(key);
            if (found == m_entries.end())
                continue;
            ++found->generation;
            woke = true;
        }
    }
    if (woke)
        m_changed.notify_all();
}

void EmbeddedWakeups::shutdown()
{
    {
        std::lock_guard lock(m_mutex);
        m_shutdown = true;
    }
    m_changed.notify_all();
}

}  // namespace mutt::queue
