#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace mutt::queue {

class EmbeddedDatabase;

// Redis-style lists in the embedded store. Every method runs inside the
// caller's transaction. Keys that received items are remembered so waiting
// consumers can be woken after the commit.
class EmbeddedLists final {
public:
    explicit EmbeddedLists(EmbeddedDatabase &db);

    Status pushHead(const QString &key, const QList<QByteArray> &items);
    Status pushTail(const QString &key, const QList<QByteArray> &items);
    // LREM key 1 item: the first exact match from the head; no match is not an error.
    // Removes the newest copy of `item`, or the oldest with `oldest`.
    Status removeOne(const QString &key, const QByteArray &item, bool oldest = false);
    // removeOne for each of `items` in turn, with the list's length read and
    // written once for all of them.
    Status removeEach(const QString &key, const QList<QByteArray> &items, bool oldest);
    // Keeps the newest `limit` items; 0 empties the list.
    Status trim(const QString &key, qint64 limit);

    Result<qint64> length(const QString &key);
    Result<QList<QByteArray>> range(const QString &key, qint64 start, qint64 stop);
    // Moves up to `max` items from the tail of `source` to the head of
    // `destination`; returns them oldest first.
    Result<QList<QByteArray>> moveTailToHead(const QString &source, const QString &destination, int max);
    // Moves every item of `source` to the tail of `destination`, keeping their
    // order, so the oldest of them is consumed first. Returns the count.
    Result<qint64> moveAllToTail(const QString &source, const QString &destination);
    // Names of non-empty lists starting with `prefix`, sorted.
    Result<QStringList> keys(const QString &prefix);

    // Keys pushed to since the last takePushed(); a failed task rolls its own back.
    [[nodiscard]] qsizetype pushedMark() const { return m_pushed.size(); }
    void rollbackPushed(qsizetype mark) { m_pushed.resize(mark); }
    QStringList takePushed() { return std::exchange(m_pushed, {}); }

private:
    // A list's row in `lists`; id 0 for a list that does not exist.
    struct Meta {
        qint64 id = 0;
        qint64 head = -1;  // >= the largest seq in the list
        qint64 tail = 0;  // <= the smallest seq in the list
        qint64 length = 0;
    };

    Result<Meta> meta(const QString &key);
    // meta(), with a new empty row for a list that does not exist yet.
    Result<Meta> createdMeta(const QString &key);
    // Writes the bounds and length back, or deletes the row of an emptied list.
    Status saveMeta(const Meta &meta);
    // Inserts items[i] into `list` with seq firstSeq + i * step.
    Status insert(qint64 list, qint64 firstSeq, qint64 step, const QList<QByteArray> &items);
    // Moves the items with these ids to list `destination` at firstSeq, firstSeq + step, ...
    Status moveItems(const QList<qint64> &ids, qint64 destination, qint64 firstSeq, qint64 step);
    Result<QList<QByteArray>> rangeFromHead(qint64 list, qint64 offset, qint64 count);
    Result<QList<QByteArray>> rangeFromTail(qint64 list, qint64 offset, qint64 count);

    EmbeddedDatabase &m_db;
    QStringList m_pushed;
};

// The smallest string greater than every string starting with `prefix`, for
// `key >= prefix AND key < bound` range scans (UTF-8 byte order); empty when
// there is no bound.
QByteArray prefixUpperBound(const QString &prefix);

}  // namespace mutt::queue
