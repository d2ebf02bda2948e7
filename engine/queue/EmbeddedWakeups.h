#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mutt::queue {

// Lets a consumer wait until another thread's commit pushed to a list.
// A waiter registers before it looks at the list, so a push committed
// between its look and its wait still wakes it.
class EmbeddedWakeups final {
public:
    class Watch final {
    public:
        Watch(EmbeddedWakeups &wakeups, QString key);
        ~Watch();

        Watch(const Watch &) = delete;
        Watch &operator=(const Watch &) = delete;

        // True when the list was pushed to since the last call (or since the
        // watch began); false when the deadline passed or the store closes.
        bool waitForPush(std::chrono::steady_clock::time_point deadline);

    private:
        EmbeddedWakeups &m_wakeups;
        QString m_key;
        quint64 m_seen = 0;
    };

    // Called after a commit with the lists it pushed to.
    void notifyPushed(const QStringList &keys);
    // Wakes every waiter for good; used when the store closes.
    void shutdown();

private:
    struct Entry {
        int watchers = 0;
        quint64 generation = 0;
    };

    std::mutex m_mutex;
    std::condition_variable m_changed;
    QHash<QString, Entry> m_entries;  // guarded by m_mutex
    bool m_shutdown = false;  // guarded by m_mutex
};

}  // namespace mutt::queue
