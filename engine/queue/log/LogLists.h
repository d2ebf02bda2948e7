#pragma once

#include "core/Result.h"
#include "queue/log/RecordLog.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace mutt::queue {

class LogListsReader;

struct LogListsOptions {
    RecordLogOptions log;
    // The lists write a snapshot and drop older segments once the log's
    // record bytes exceed twice the live item bytes plus this much.
    qint64 compactSlackBytes = qint64(64) * 1024 * 1024;
};

// Redis-style lists held in memory and made durable by a RecordLog, with the
// semantics of EmbeddedLists: the head is index 0 and the newest end, the
// tail is the oldest end, and an emptied list no longer exists.
//
// Writes happen inside a batch: beginBatch(), any number of writes, then
// commit() appends the batch as one record, so after a crash a batch is on
// disk entirely or not at all. abandonBatch() undoes the batch's changes in
// memory and writes nothing. Reads see the open batch's changes.
//
// NOTE: every item stays in memory, so the lists take at least their item
// bytes: 1M DLQ items of 725 bytes take about 725 MB, over the console's
// 300 MB memory target in docs/BENCHMARKS.md. Long lists should keep only
// RecordRefs of their items instead. A snapshot is one record, so the live
// items must also stay under RecordLog::kMaxBodyBytes.
//
// Not thread-safe: one owner calls every method.
class LogLists final {
public:
    static Result<std::unique_ptr<LogLists>> open(const QString &directory, const LogListsOptions &options = {});

    ~LogLists();
    LogLists(const LogLists &) = delete;
    LogLists &operator=(const LogLists &) = delete;

    // Starts a batch. Fails when one is already open.
    Status beginBatch();
    // Appends the open batch as one record and commits the log, waiting for
    // fdatasync with `flush`. An empty batch writes nothing. When the append
    // or the commit fails, memory is restored as by abandonBatch(). After a
    // failed commit the batch may still be on disk and come back on reopen,
    // and the RecordLog rejects later writes. May write a snapshot afterwards
    // (see LogListsOptions).
    Status commitBatch(bool flush);
    // Restores every list to its state before beginBatch(). Writes nothing.
    void abandonBatch();
    [[nodiscard]] bool inBatch() const { return m_inBatch; }

    // Writes. Each fails with InvalidInput outside a batch.
    Status pushHead(const QString &key, const QList<QByteArray> &items);
    Status pushTail(const QString &key, const QList<QByteArray> &items);
    // Runs LREM key 1 item (LREM key -1 item with `oldest`) for each of
    // `items` in turn. An item that is not in the list is skipped.
    Status removeEach(const QString &key, const QList<QByteArray> &items, bool oldest);
    // Keeps the newest `limit` items. A limit of 0 or less empties the list.
    Status trim(const QString &key, qint64 limit);
    // Moves up to `max` items from the tail of `source` to the head of
    // `destination` and returns them oldest first. With source == destination
    // this rotates the list.
    Result<QList<QByteArray>> moveTailToHead(const QString &source, const QString &destination, int max);
    // Moves every item of `source` to the tail of `destination`, keeping
    // their order, and returns the count. With source == destination the list
    // stays as it is.
    Result<qint64> moveAllToTail(const QString &source, const QString &destination);

    [[nodiscard]] qint64 length(const QString &key) const;
    // LRANGE key start stop: negative indexes count from the tail, bounds are
    // clamped, an empty or inverted range gives no items.
    [[nodiscard]] QList<QByteArray> range(const QString &key, qint64 start, qint64 stop) const;
    // Names of non-empty lists starting with `prefix`, sorted by UTF-8 bytes
    // as the embedded SQLite store sorts them.
    [[nodiscard]] QStringList keys(const QString &prefix) const;

    // Writes a snapshot of every list, waits for its fdatasync and removes
    // the segments before it. Fails inside a batch. The snapshot is built in
    // memory first, so for a moment it takes as much memory again as the items.
    Status compact();

    // Item bytes of every list.
    [[nodiscard]] qint64 liveBytes() const { return m_liveBytes; }
    // Bytes of the records (frames included) from the last snapshot on.
    [[nodiscard]] qint64 logBytes() const { return m_logBytes; }
    [[nodiscard]] RecordLog &log() { return *m_log; }

private:
    using List = std::deque<QByteArray>;

    explicit LogLists(const LogListsOptions &options);

    Status requireBatch(const QString &key) const;
    List &list(const QByteArray &key);
    [[nodiscard]] const List *findList(const QByteArray &key) const;
    void dropIfEmpty(const QByteArray &key);

    // Changes shared by the writes and the replay. They keep m_liveBytes.
    void applyPushHead(const QByteArray &key, const QList<QByteArray> &items);
    void applyPushTail(const QByteArray &key, const QList<QByteArray> &items);
    QByteArray applyRemove(const QByteArray &key, bool fromTail, qsizetype position);
    List applyTrim(const QByteArray &key, qint64 limit);
    QList<QByteArray> applyMoveTailToHead(const QByteArray &source, const QByteArray &destination, qint64 max);
    qint64 applyMoveAllToTail(const QByteArray &source, const QByteArray &destination);

    // Replay of the records, defined in LogListsReplay.cpp.
    Status replayRecord(quint8 type, QByteArrayView body, const RecordRef &ref);
    Status replayBatches();
    [[nodiscard]] Status invalidRecord(quint8 type, const RecordRef &ref, qsizetype byte) const;
    bool replayBatch(LogListsReader &reader);
    bool replaySnapshot(LogListsReader &reader);
    [[nodiscard]] QByteArray encodeSnapshot() const;

    LogListsOptions m_options;
    std::unique_ptr<RecordLog> m_log;
    // Keyed by the UTF-8 bytes of the list name, so iteration follows the
    // byte order keys() promises.
    std::map<QByteArray, List> m_lists;
    qint64 m_liveBytes = 0;
    qint64 m_logBytes = 0;
    std::vector<RecordRef> m_replayBatches;  // batches after the last snapshot, during open()

    bool m_inBatch = false;
    QByteArray m_batch;  // the open batch's encoded operations
    std::vector<std::function<void()>> m_undo;  // run newest first by abandonBatch()
};

}  // namespace mutt::queue
