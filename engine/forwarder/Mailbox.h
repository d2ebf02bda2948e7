#pragma once

#include "core/Result.h"
#include "forwarder/MoogClient.h"

#include <QList>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace mutt::forwarder {

// Hand-over point into the forwarder's delivery thread: the network thread
// posts finished requests, store threads post finished commits, and the
// config watcher posts changes. Shared through std::shared_ptr so that
// callbacks holding a std::weak_ptr stay safe after the forwarder is gone.
struct Mailbox {
    struct Applied {
        quint64 id = 0;
        Status status;
    };

    std::mutex mutex;
    std::condition_variable wake;
    std::deque<SendResult> results;
    std::deque<Applied> applied;
    bool configChanged = false;
    bool stopRequested = false;

    // Finished requests of one pass of the network thread's event loop.
    void postResults(std::vector<SendResult> finished)
    {
        {
            std::lock_guard lock(mutex);
            for (SendResult &result : finished)
                results.push_back(std::move(result));
        }
        wake.notify_one();
    }

    // One commit recorded the results of every id in `ids`.
    void postApplied(const QList<quint64> &ids, const Status &status)
    {
        {
            std::lock_guard lock(mutex);
            for (const quint64 id : ids)
                applied.push_back(Applied {id, status});
        }
        wake.notify_one();
    }

    void postConfigChanged()
    {
        {
            std::lock_guard lock(mutex);
            configChanged = true;
        }
        wake.notify_one();
    }

    void requestStop()
    {
        {
            std::lock_guard lock(mutex);
            stopRequested = true;
        }
        wake.notify_one();
    }
};

}  // namespace mutt::forwarder
