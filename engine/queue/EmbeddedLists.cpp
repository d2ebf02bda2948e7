#include "queue/EmbeddedLists.h"

#include "queue/EmbeddedDatabase.h"
#include "queue/ListRange.h"

#include <algorithm>

namespace mutt::queue {

QByteArray prefixUpperBound(const QString &prefix)
{
    QByteArray bound = prefix.toUtf8();
    while (!bound.isEmpty() && quint8(bound.back()) == 0xFF)
        bound.chop(1);
    if (!bound.isEmpty())
        bound.back() = char(quint8(bound.back()) + 1);
    return bound;
}

EmbeddedLists::EmbeddedLists(EmbeddedDatabase &db) : m_db(db) { }

Status EmbeddedLists::pushHead(const QString &key, const QList<QByteArray> &items)
{
    Result<Meta> current = createdMeta(key);
    if (!current)
        return current.error();

    Meta next = current.value();
    if (Status inserted = insert(next.id, next.head + 1, 1, items); !inserted)
        return inserted;
    next.head += items.size();
    next.length += items.size();
    m_pushed.append(key);
    return saveMeta(next);
}

Status EmbeddedLists::pushTail(const QString &key, const QList<QByteArray> &items)
{
    Result<Meta> current = createdMeta(key);
    if (!current)
        return current.error();

    Meta next = current.value();
    if (Status inserted = insert(next.id, next.tail - 1, -1, items); !inserted)
        return inserted;
    next.tail -= items.size();
    next.length += items.size();
    m_pushed.append(key);
    return saveMeta(next);
}

Status EmbeddedLists::removeOne(const QString &key, const QByteArray &item, bool oldest)
{
    return removeEach(key, {item}, oldest);
}

Status EmbeddedLists::removeEach(const QString &key, const QList<QByteArray> &items, bool oldest)
{
    Result<Meta> current = meta(key);
    if (!current)
        return current.error();
    if (current.value().id == 0)
        return {};

    // The scan follows the (list, seq) index from the chosen end and stops at
    // the first match, so an item near that end is found at once. One
    // statement for the whole batch, the list bound once.
    EmbeddedStatement remove = oldest
        ? m_db.statement("DELETE FROM list_items WHERE id = (SELECT id FROM list_items WHERE list = ?1 AND "
                         "payload = ?2 ORDER BY seq ASC LIMIT 1)")
        : m_db.statement("DELETE FROM list_items WHERE id = (SELECT id FROM list_items WHERE list = ?1 AND "
                         "payload = ?2 ORDER BY seq DESC LIMIT 1)");
    remove.bind(1, current.value().id);
    qint64 count = 0;
    for (const QByteArray &item : items) {
        if (Status removed = remove.bind(2, item).run(); !removed)
            return removed;
        count += remove.changes();
        remove.reset();
    }
    if (count == 0)
        return {};

    Meta next = current.value();
    next.length -= count;
    return saveMeta(next);
}

Status EmbeddedLists::trim(const QString &key, qint64 limit)
{
    Result<Meta> current = meta(key);
    if (!current)
        return current.error();
    if (current.value().length <= limit)
        return {};

    EmbeddedStatement remove = m_db.statement("DELETE FROM list_items WHERE list = ?1 AND seq IN "
                                              "(SELECT seq FROM list_items WHERE list = ?1 ORDER BY seq ASC LIMIT ?2)");
    if (Status removed = remove.bind(1, current.value().id).bind(2, current.value().length - limit).run(); !removed)
        return removed;

    Meta next = current.value();
    next.length = limit;
    return saveMeta(next);
}

Result<qint64> EmbeddedLists::length(const QString &key)
{
    Result<Meta> current = meta(key);
    if (!current)
        return current.error();
    return current.value().length;
}

Result<QList<QByteArray>> EmbeddedLists::range(const QString &key, qint64 start, qint64 stop)
{
    Result<Meta> current = meta(key);
    if (!current)
        return current.error();

    const qint64 length = current.value().length;
    const std::optional<ListRange> bounds = listRange(length, start, stop);
    if (!bounds)
        return QList<QByteArray>();

    const qint64 count = bounds->last - bounds->first + 1;
    const qint64 fromTail = length - 1 - bounds->last;
    if (fromTail < bounds->first)
        return rangeFromTail(current.value().id, fromTail, count);
    return rangeFromHead(current.value().id, bounds->first, count);
}

Result<QList<QByteArray>> EmbeddedLists::moveTailToHead(const QString &source, const QString &destination, int max)
{
    Result<Meta> from = meta(source);
    if (!from)
        return from.error();
    if (from.value().id == 0)
        return QList<QByteArray>();

    EmbeddedStatement oldest
        = m_db.statement("SELECT id, payload FROM list_items WHERE list = ?1 ORDER BY seq ASC LIMIT ?2");
    oldest.bind(1, from.value().id).bind(2, qint64(max));
    QList<QByteArray> items;
    QList<qint64> ids;
    for (;;) {
        Result<bool> row = oldest.next();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        ids.append(oldest.int64(0));
        items.append(oldest.blob(1));
    }
    if (items.isEmpty())
        return items;

    Result<Meta> to = createdMeta(destination);
    if (!to)
        return to.error();
    Meta fromNext = from.value();
    Meta toNext = to.value();
    if (Status moved = moveItems(ids, toNext.id, toNext.head + 1, 1); !moved)
        return moved.error();
    toNext.head += ids.size();
    fromNext.length -= ids.size();
    toNext.length += ids.size();
    m_pushed.append(destination);

    if (Status saved = saveMeta(fromNext); !saved)
        return saved.error();
    if (Status saved = saveMeta(toNext); !saved)
        return saved.error();
    return items;
}

Result<qint64> EmbeddedLists::moveAllToTail(const QString &source, const QString &destination)
{
    Result<Meta> from = meta(source);
    if (!from)
        return from.error();
    if (from.value().id == 0)
        return 0;

    EmbeddedStatement newest = m_db.statement("SELECT id FROM list_items WHERE list = ?1 ORDER BY seq DESC");
    newest.bind(1, from.value().id);
    QList<qint64> ids;
    for (;;) {
        Result<bool> row = newest.next();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        ids.append(newest.int64(0));
    }
    if (ids.isEmpty())
        return 0;

    // Newest first onto the tail, so the oldest ends at the very tail and is
    // consumed first: the order the items had in `source`.
    Result<Meta> to = createdMeta(destination);
    if (!to)
        return to.error();
    Meta toNext = to.value();
    if (Status moved = moveItems(ids, toNext.id, toNext.tail - 1, -1); !moved)
        return moved.error();
    toNext.tail -= ids.size();
    toNext.length += ids.size();
    m_pushed.append(destination);

    Meta emptied = from.value();
    emptied.length = 0;
    if (Status saved = saveMeta(emptied); !saved)
        return saved.error();
    if (Status saved = saveMeta(toNext); !saved)
        return saved.error();
    return qint64(ids.size());
}

Result<QStringList> EmbeddedLists::keys(const QString &prefix)
{
    const QByteArray bound = prefixUpperBound(prefix);
    EmbeddedStatement query = bound.isEmpty()
        ? m_db.statement("SELECT key FROM lists WHERE key >= ?1 ORDER BY key")
        : m_db.statement("SELECT key FROM lists WHERE key >= ?1 AND key < CAST(?2 AS TEXT) ORDER BY key");
    query.bind(1, prefix);
    if (!bound.isEmpty())
        query.bind(2, bound);

    QStringList names;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            return names;
        names.append(query.text(0));
    }
}

Result<EmbeddedLists::Meta> EmbeddedLists::meta(const QString &key)
{
    EmbeddedStatement query = m_db.statement("SELECT id, head, tail, length FROM lists WHERE key = ?1");
    Result<bool> row = query.bind(1, key).next();
    if (!row)
        return row.error();
    if (!row.value())
        return Meta {};
    return Meta {query.int64(0), query.int64(1), query.int64(2), query.int64(3)};
}

Result<EmbeddedLists::Meta> EmbeddedLists::createdMeta(const QString &key)
{
    Result<Meta> current = meta(key);
    if (!current || current.value().id != 0)
        return current;

    Meta created;
    EmbeddedStatement insert
        = m_db.statement("INSERT INTO lists(key, head, tail, length) VALUES(?1, ?2, ?3, 0) RETURNING id");
    // With RETURNING, SQLite makes the change in the first step.
    Result<bool> row = insert.bind(1, key).bind(2, created.head).bind(3, created.tail).next();
    if (!row)
        return row.error();
    created.id = insert.int64(0);
    return created;
}

Status EmbeddedLists::saveMeta(const Meta &meta)
{
    if (meta.length <= 0) {
        // An emptied list no longer exists (as in Redis); its items are gone,
        // so the next push may start a new list row and sequence.
        return m_db.statement("DELETE FROM lists WHERE id = ?1").bind(1, meta.id).run();
    }
    return m_db.statement("UPDATE lists SET head = ?2, tail = ?3, length = ?4 WHERE id = ?1")
        .bind(1, meta.id)
        .bind(2, meta.head)
        .bind(3, meta.tail)
        .bind(4, meta.length)
        .run();
}

Status EmbeddedLists::insert(qint64 list, qint64 firstSeq, qint64 step, const QList<QByteArray> &items)
{
    // One statement for the whole push, the list bound once: pushes of 100
    // items are the ingest hot path.
    EmbeddedStatement insert = m_db.statement("INSERT INTO list_items(list, seq, payload) VALUES(?1, ?2, ?3)");
    insert.bind(1, list);
    qint64 seq = firstSeq;
    for (const QByteArray &item : items) {
        if (Status inserted = insert.bind(2, seq).bind(3, item).run(); !inserted)
            return inserted;
        insert.reset();
        seq += step;
    }
    return {};
}

Status EmbeddedLists::moveItems(const QList<qint64> &ids, qint64 destination, qint64 firstSeq, qint64 step)
{
    // One statement for the whole move, the destination bound once.
    EmbeddedStatement move = m_db.statement("UPDATE list_items SET list = ?2, seq = ?3 WHERE id = ?1");
    move.bind(2, destination);
    qint64 seq = firstSeq;
    for (const qint64 id : ids) {
        if (Status moved = move.bind(1, id).bind(3, seq).run(); !moved)
            return moved;
        move.reset();
        seq += step;
    }
    return {};
}

Result<QList<QByteArray>> EmbeddedLists::rangeFromHead(qint64 list, qint64 offset, qint64 count)
{
    EmbeddedStatement query
        = m_db.statement("SELECT payload FROM list_items WHERE list = ?1 ORDER BY seq DESC LIMIT ?2 OFFSET ?3");
    query.bind(1, list).bind(2, count).bind(3, offset);
    QList<QByteArray> items;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            return items;
        items.append(query.blob(0));
    }
}

Result<QList<QByteArray>> EmbeddedLists::rangeFromTail(qint64 list, qint64 offset, qint64 count)
{
    EmbeddedStatement query
        = m_db.statement("SELECT payload FROM list_items WHERE list = ?1 ORDER BY seq ASC LIMIT ?2 OFFSET ?3");
    query.bind(1, list).bind(2, count).bind(3, offset);
    QList<QByteArray> items;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        items.append(query.blob(0));
    }
    std::reverse(items.begin(), items.end());
    return items;
}

}  // namespace mutt::queue
