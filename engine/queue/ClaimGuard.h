#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace mutt::queue {

class QueueStore;

// Tells whether a worker still owns the items it claimed into its processing
// list. The janitor of another worker moves the items of a list whose
// heartbeat key has expired back to their source queue. A worker that was
// paused for longer than the heartbeat TTL (SIGSTOP, a frozen VM, a long
// stall) may have lost its items that way while it still has them in
// memory. If it then recorded their results, the items would be processed
// twice and counted twice.
//
// The guard tracks the heartbeat writes of one processing list. A claim takes
// a mark(); before the results of the claimed items are written,
// mayHaveLost(mark) returns whether the heartbeat may have expired since the
// mark, and only then does stillClaimed() read the list. Every method may be
// called from any thread.
//
// NOTE: a pause between stillClaimed() and the write of the results, longer
// than the TTL again, still lets both workers record the same items.
class ClaimGuard final {
public:
    using Clock = std::chrono::steady_clock;

    // The heartbeat key of `processingList` is written with a TTL of
    // `ttlSeconds`.
    ClaimGuard(QueueStore &store, QString processingList, QString heartbeatKey, int ttlSeconds);

    // A point in the heartbeat history, taken when items are claimed.
    struct Mark {
        quint64 lapses = 0;
    };

    [[nodiscard]] const QString &processingList() const { return m_processingList; }
    [[nodiscard]] const QString &heartbeatKey() const { return m_heartbeatKey; }

    // Writes the heartbeat key (the time in ms since the epoch, with the
    // TTL) and records the write. Before the write it reads the key: when
    // the key contains a value that this guard did not write, another
    // process uses the same processing list (two processes with one pod
    // name), and `foreignWrite` is set. The first write of a guard never
    // sets it, because the key may still be there from a stopped process.
    Status writeHeartbeat(bool *foreignWrite = nullptr);

    // Records a heartbeat write that started at `sentAt` and was acknowledged
    // at `doneAt`. The key may have expired before this write if the write
    // before it started a TTL or more before `doneAt`.
    void recordWrite(Clock::time_point sentAt, Clock::time_point doneAt);

    [[nodiscard]] Mark mark() const;

    // False when the heartbeat key has existed without a gap since `mark`
    // up to `now`, so no janitor can have taken the items claimed since.
    [[nodiscard]] bool mayHaveLost(Mark mark, Clock::time_point now = Clock::now()) const;

    // For each of `items` (claimed since `mark`), whether it is still in
    // the processing list. When the heartbeat may have lapsed, it is written
    // first, so no janitor takes items after the list is read. Returns every
    // item as claimed, without reading the list, when the heartbeat cannot
    // have lapsed. Several equal items each need an occurrence of their own.
    Result<std::vector<bool>> stillClaimed(Mark mark, const QList<QByteArray> &items);

    // How stillClaimed() matches items against the list content `listed`.
    static std::vector<bool> matchListed(const QList<QByteArray> &items, const QList<QByteArray> &listed);

private:
    QueueStore &m_store;
    const QString m_processingList;
    const QString m_heartbeatKey;
    const Clock::duration m_ttl;

    std::mutex m_writeMutex;  // one heartbeat write at a time, so the read before it finds the last one
    // The last values this guard wrote, newest last. A store that lost the
    // latest writes (a crash, a failover) may return an older one of them.
    QList<QByteArray> m_written;

    mutable std::mutex m_mutex;
    std::optional<Clock::time_point> m_lastSent;  // start of the last acknowledged write
    quint64 m_lapses = 0;  // writes after which the key may have been missing
};

}  // namespace mutt::queue
