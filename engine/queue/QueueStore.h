#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>

namespace mutt::queue {

// One step of an atomic batch. The list operations mirror Redis: the head is
// the producers' end (LPUSH), the tail is the consumers' end (RPOP/BLMOVE
// RIGHT). Items are opaque bytes and are compared byte for byte.
struct Op {
    enum class Kind {
        PushHead,  // LPUSH key items...   (items[0] ends up deepest, as in Redis)
        PushTail,  // RPUSH key items...   (consumed next; used for recovery and due retries)
        Remove,  // LREM key 1 item      (exact bytes, first occurrence from the head; -1: from the tail)
        Increment,  // INCRBY key delta, then EXPIRE key ttl NX when ttlSeconds > 0
        Schedule,  // ZADD key dueAtMs item (sorted set of scheduled retries)
        Trim,  // LTRIM key 0 limit-1  (keeps the newest `limit` items; 0 empties the list)
    };

    Kind kind = Kind::PushHead;
    QString key;
    QList<QByteArray> items;  // PushHead, PushTail
    QByteArray item;  // Remove, Schedule
    qint64 value
        = 0;  // Remove: 1 or -1 (LREM count); Increment: delta; Schedule: due time (ms since epoch); Trim: limit
    qint64 ttlSeconds = 0;  // Increment only

    static Op pushHead(QString key, QList<QByteArray> items);
    static Op pushTail(QString key, QList<QByteArray> items);
    static Op remove(QString key, QByteArray item);
    // LREM key -1 item: removes the oldest copy. Finds an item near the tail
    // (the next to be consumed) without reading the whole list.
    static Op removeOldest(QString key, QByteArray item);
    static Op increment(QString key, qint64 delta = 1, qint64 ttlSeconds = 0);
    static Op schedule(QString key, QByteArray item, qint64 dueAtMs);
    static Op trim(QString key, qint64 limit);
};

// Durability class of a write, which sets how the embedded store makes it
// durable. The Redis store ignores it because the server's appendfsync sets
// its durability.
enum class Durability {
    // New data from outside (the ingest push that precedes the HTTP 200, rule
    // and config writes): with MUTT_EMBEDDED_SYNC=full the commit waits for
    // its fdatasync, so an acknowledged change survives power loss.
    Accept,
    // Only moves or removes items that are already durable (claims, delivery
    // results, retry scheduling, DLQ moves of claimed items, promotions) and
    // the counters that go with them: the commit does not wait for its own
    // fdatasync. Power loss may undo the last such commits. Their items are
    // then back where they were and are processed again (at-least-once), and
    // their counters roll back with them. The next Accept commit makes every
    // earlier commit durable too.
    Move,
};

// The sliding-window rate limit a claimRated() takes its grants from, with
// the semantics of Coordination::rateAcquireUpTo().
struct RateWindow {
    QString key;
    qint64 limit = 1;
    qint64 windowMs = 1000;
    qint64 nowMs = 0;
};

struct RatedClaim {
    QList<QByteArray> items;  // claimed, oldest first; each took one grant
    // Set when the limiter granted fewer than the source held (up to max):
    // ms until the oldest grant leaves the window. 0 with no items means the
    // source was empty.
    qint64 waitMs = 0;
};

// A durable store of named lists, counters, sorted sets and expiring keys:
// the embedded SQLite store and the Redis store implement it with the same
// semantics, checked by one conformance suite.
//
// Every method may be called from any thread. Methods block the calling thread
// until the backend has replied; applyAsync() does not. Writes other than
// apply() and applyAsync() choose their Durability as documented on each.
class QueueStore {
public:
    virtual ~QueueStore() = default;

    // "embedded" or "redis".
    [[nodiscard]] virtual QString backendName() const = 0;

    // Succeeds when the backend answers.
    virtual Status ping() = 0;

    // Applies every op or none. When it returns success the change is
    // committed as `durability` requires (on disk for Accept in the embedded
    // store, acknowledged by Redis).
    virtual Status apply(const QList<Op> &ops, Durability durability = Durability::Accept) = 0;

    // As apply(), but returns at once; `done` runs on a store-owned thread
    // once the batch is committed or has failed. The embedded store commits
    // concurrent batches in one transaction (group commit).
    virtual void applyAsync(QList<Op> ops, std::function<void(Status)> done, Durability durability = Durability::Accept)
        = 0;

    // As applyAsync(), but `done` may run on the store's I/O thread, which
    // saves one thread hand-over for each batch. So `done` must return
    // quickly and must not call a blocking method of this store. Nor may it
    // wait for a lock that another thread holds across such a call. It may
    // call applyAsync() and applyAsyncDirect(). This default runs applyAsync().
    virtual void applyAsyncDirect(
        QList<Op> ops, std::function<void(Status)> done, Durability durability = Durability::Accept)
    {
        applyAsync(std::move(ops), std::move(done), durability);
    }

    // LLEN. A missing list has length 0.
    virtual Result<qint64> length(const QString &key) = 0;

    // LRANGE key start stop: index 0 is the head (newest), -1 the tail
    // (oldest); negative indexes count from the tail; stop is inclusive.
    virtual Result<QList<QByteArray>> range(const QString &key, qint64 start, qint64 stop) = 0;

    // Moves up to `max` items from the tail of `source` to the head of
    // `processing` atomically (BLMOVE source processing RIGHT LEFT, repeated),
    // waiting up to `wait` for the first item. Returns the moved items oldest
    // first; an empty list means the wait ran out. A Move commit.
    virtual Result<QList<QByteArray>> claim(
        const QString &source, const QString &processing, int max, std::chrono::milliseconds wait)
        = 0;

    // Claims for one delivery round in one atomic step. It takes up to `max`
    // grants of the rate limit `rate`, but never more than `source` contains.
    // Then it moves that many items from the tail of `source` to the head of
    // `processing` as claim() does, without waiting. A Move commit.
    virtual Result<RatedClaim> claimRated(
        const QString &source, const QString &processing, int max, const RateWindow &rate)
        = 0;

    // Moves up to `max` items whose due time is <= nowMs from the sorted set
    // `scheduled` to the tail of `destination`, earliest first: the earliest
    // due ends at the very tail and is consumed first. Returns how many moved.
    // A Move commit, as are recoverOrphans() and returnAll().
    virtual Result<qint64> promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max) = 0;

    // ZCARD, and the earliest due time (ms since epoch) if the set is not empty.
    virtual Result<qint64> scheduledCount(const QString &key) = 0;
    virtual Result<std::optional<qint64>> earliestDue(const QString &key) = 0;

    // Current value of a counter written by Op::increment (0 when absent or
    // expired), and all counters whose key starts with `prefix`.
    virtual Result<qint64> counter(const QString &key) = 0;
    virtual Result<QList<QPair<QString, qint64>>> counters(const QString &prefix) = 0;

    // Expiring string keys (SET key value EX ttl, GET, DEL). ttlSeconds 0
    // means no expiry.
    virtual Status setValue(const QString &key, const QByteArray &value, qint64 ttlSeconds) = 0;
    virtual Result<std::optional<QByteArray>> value(const QString &key) = 0;
    virtual Status removeValue(const QString &key) = 0;

    // Names of lists, counters, string keys and sorted sets starting with
    // `prefix` that currently exist (SCAN MATCH prefix*).
    virtual Result<QStringList> keys(const QString &prefix) = 0;

    // Janitor: for every list named `<processingPrefix>:<pod>` whose heartbeat
    // key `<heartbeatPrefix>:<pod>` is missing or expired, moves all its items
    // to the tail of `source` (so they are processed next, oldest claimed
    // first), atomically per item. `<pod>` is everything after the prefix and
    // its colon, so pod names may contain colons. Returns the number of items
    // recovered.
    virtual Result<qint64> recoverOrphans(
        const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source)
        = 0;

    // Moves every item of `processing` back to the tail of `source` (used on
    // shutdown for items that were claimed but not started), keeping their
    // order as for recoverOrphans(). Returns the count.
    virtual Result<qint64> returnAll(const QString &processing, const QString &source) = 0;
};

}  // namespace mutt::queue
