#include "queue/EmbeddedKeyValue.h"

#include "queue/EmbeddedDatabase.h"
#include "queue/EmbeddedLists.h"

#include <algorithm>

namespace mutt::queue {
namespace {

// Binds ?1 = prefix and, when there is an upper bound, ?2 = the bound.
void bindPrefix(EmbeddedStatement &query, const QString &prefix, const QByteArray &bound)
{
    query.bind(1, prefix);
    if (!bound.isEmpty())
        query.bind(2, bound);
}

}  // namespace

EmbeddedKeyValue::EmbeddedKeyValue(EmbeddedDatabase &db) : m_db(db) { }

Result<qint64> EmbeddedKeyValue::increment(const QString &key, qint64 delta, qint64 ttlSeconds, qint64 nowMs)
{
    // An expired row counts as absent: it restarts at `delta` with a new expiry.
    EmbeddedStatement upsert = m_db.statement(
        "INSERT INTO counters(key, value, expires_at_ms) VALUES(?1, ?2, ?3) ON CONFLICT(key) DO UPDATE SET "
        "value = CASE WHEN expires_at_ms IS NOT NULL AND expires_at_ms <= ?4 THEN ?2 ELSE value + ?2 END, "
        "expires_at_ms = CASE WHEN expires_at_ms IS NOT NULL AND expires_at_ms <= ?4 THEN ?3 "
        "ELSE coalesce(expires_at_ms, ?3) END "
        "RETURNING value");
    upsert.bind(1, key).bind(2, delta).bind(4, nowMs);
    if (ttlSeconds > 0)
        upsert.bind(3, nowMs + ttlSeconds * 1000);
    else
        upsert.bindNull(3);

    Result<bool> row = upsert.next();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(ErrorCode::Internal, QStringLiteral("incrementing counter %1 returned no value").arg(key));
    const qint64 value = upsert.int64(0);
    if (Status finished = upsert.run(); !finished)
        return finished.error();
    return value;
}

Result<qint64> EmbeddedKeyValue::counter(const QString &key, qint64 nowMs)
{
    EmbeddedStatement query
        = m_db.statement("SELECT value FROM counters WHERE key = ?1 AND (expires_at_ms IS NULL OR expires_at_ms > ?2)");
    Result<bool> row = query.bind(1, key).bind(2, nowMs).next();
    if (!row)
        return row.error();
    return row.value() ? query.int64(0) : 0;
}

Result<std::optional<qint64>> EmbeddedKeyValue::counterExpiry(const QString &key, qint64 nowMs)
{
    EmbeddedStatement query
        = m_db.statement("SELECT expires_at_ms FROM counters WHERE key = ?1 AND expires_at_ms > ?2");
    Result<bool> row = query.bind(1, key).bind(2, nowMs).next();
    if (!row)
        return row.error();
    return row.value() ? std::optional<qint64>(query.int64(0)) : std::nullopt;
}

Result<QList<QPair<QString, qint64>>> EmbeddedKeyValue::counters(const QString &prefix, qint64 nowMs)
{
    const QByteArray bound = prefixUpperBound(prefix);
    EmbeddedStatement query = bound.isEmpty()
        ? m_db.statement("SELECT key, value FROM counters WHERE key >= ?1 "
                         "AND (expires_at_ms IS NULL OR expires_at_ms > ?3) ORDER BY key")
        : m_db.statement("SELECT key, value FROM counters WHERE key >= ?1 AND key < CAST(?2 AS TEXT) "
                         "AND (expires_at_ms IS NULL OR expires_at_ms > ?3) ORDER BY key");
    bindPrefix(query, prefix, bound);
    query.bind(3, nowMs);

    QList<QPair<QString, qint64>> found;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            return found;
        found.append({query.text(0), query.int64(1)});
    }
}

Status EmbeddedKeyValue::setValue(const QString &key, const QByteArray &value, qint64 expiresAtMs)
{
    EmbeddedStatement upsert
        = m_db.statement("INSERT OR REPLACE INTO kv(key, value, expires_at_ms) VALUES(?1, ?2, ?3)");
    upsert.bind(1, key).bind(2, value);
    if (expiresAtMs > 0)
        upsert.bind(3, expiresAtMs);
    else
        upsert.bindNull(3);
    return upsert.run();
}

Result<std::optional<QByteArray>> EmbeddedKeyValue::value(const QString &key, qint64 nowMs)
{
    EmbeddedStatement query
        = m_db.statement("SELECT value FROM kv WHERE key = ?1 AND (expires_at_ms IS NULL OR expires_at_ms > ?2)");
    Result<bool> row = query.bind(1, key).bind(2, nowMs).next();
    if (!row)
        return row.error();
    return row.value() ? std::optional<QByteArray>(query.blob(0)) : std::nullopt;
}

Result<QList<QPair<QString, QByteArray>>> EmbeddedKeyValue::values(const QString &prefix, qint64 nowMs)
{
    const QByteArray bound = prefixUpperBound(prefix);
    EmbeddedStatement query = bound.isEmpty()
        ? m_db.statement("SELECT key, value FROM kv WHERE key >= ?1 "
                         "AND (expires_at_ms IS NULL OR expires_at_ms > ?3) ORDER BY key")
        : m_db.statement("SELECT key, value FROM kv WHERE key >= ?1 AND key < CAST(?2 AS TEXT) "
                         "AND (expires_at_ms IS NULL OR expires_at_ms > ?3) ORDER BY key");
    bindPrefix(query, prefix, bound);
    query.bind(3, nowMs);

    QList<QPair<QString, QByteArray>> found;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            return found;
        found.append({query.text(0), query.blob(1)});
    }
}

Status EmbeddedKeyValue::removeValue(const QString &key)
{
    return m_db.statement("DELETE FROM kv WHERE key = ?1").bind(1, key).run();
}

Status EmbeddedKeyValue::scoredAdd(const QString &key, const QByteArray &member, qint64 score)
{
    return m_db
        .statement("INSERT INTO zset(key, member, score) VALUES(?1, ?2, ?3) "
                   "ON CONFLICT(key, member) DO UPDATE SET score = ?3")
        .bind(1, key)
        .bind(2, member)
        .bind(3, score)
        .run();
}

Status EmbeddedKeyValue::scoredRemove(const QString &key, const QByteArray &member)
{
    return m_db.statement("DELETE FROM zset WHERE key = ?1 AND member = ?2").bind(1, key).bind(2, member).run();
}

Result<qint64> EmbeddedKeyValue::scoredCount(const QString &key)
{
    EmbeddedStatement query = m_db.statement("SELECT count(*) FROM zset WHERE key = ?1");
    Result<bool> row = query.bind(1, key).next();
    if (!row)
        return row.error();
    return query.int64(0);
}

Result<std::optional<qint64>> EmbeddedKeyValue::lowestScore(const QString &key)
{
    EmbeddedStatement query = m_db.statement("SELECT min(score) FROM zset WHERE key = ?1");
    Result<bool> row = query.bind(1, key).next();
    if (!row)
        return row.error();
    if (!row.value() || query.isNull(0))
        return std::optional<qint64>();
    return std::optional<qint64>(query.int64(0));
}

Result<QList<EmbeddedKeyValue::Scored>> EmbeddedKeyValue::scoredUpTo(const QString &key, qint64 maxScore, qint64 limit)
{
    EmbeddedStatement query = m_db.statement(
        "SELECT member, score FROM zset WHERE key = ?1 AND score <= ?2 ORDER BY score, member LIMIT ?3");
    query.bind(1, key).bind(2, maxScore).bind(3, limit);
    QList<Scored> found;
    for (;;) {
        Result<bool> row = query.next();
        if (!row)
            return row.error();
        if (!row.value())
            return found;
        found.append({query.blob(0), query.int64(1)});
    }
}

Result<std::optional<qint64>> EmbeddedKeyValue::scoreAt(const QString &key, qint64 offset)
{
    EmbeddedStatement query = m_db.statement("SELECT score FROM zset WHERE key = ?1 ORDER BY score LIMIT 1 OFFSET ?2");
    Result<bool> row = query.bind(1, key).bind(2, offset).next();
    if (!row)
        return row.error();
    if (!row.value())
        return std::optional<qint64>();
    return std::optional<qint64>(query.int64(0));
}

Result<qint64> EmbeddedKeyValue::scoredRemoveUpTo(const QString &key, qint64 maxScore)
{
    EmbeddedStatement remove = m_db.statement("DELETE FROM zset WHERE key = ?1 AND score <= ?2");
    if (Status removed = remove.bind(1, key).bind(2, maxScore).run(); !removed)
        return removed.error();
    return remove.changes();
}

Result<QList<QByteArray>> EmbeddedKeyValue::scoredTakeUpTo(const QString &key, qint64 maxScore)
{
    EmbeddedStatement remove = m_db.statement("DELETE FROM zset WHERE key = ?1 AND score <= ?2 RETURNING member");
    remove.bind(1, key).bind(2, maxScore);
    QList<QByteArray> members;
    for (;;) {
        Result<bool> row = remove.next();
        if (!row)
            return row.error();
        if (!row.value())
            return members;
        members.append(remove.blob(0));
    }
}

Result<QStringList> EmbeddedKeyValue::keys(const QString &prefix, qint64 nowMs)
{
    QStringList names;
    const struct {
        const char *open;
        const char *bounded;
    } tables[] = {
        {"SELECT key FROM counters WHERE key >= ?1 AND (expires_at_ms IS NULL OR expires_at_ms > ?3)",
            "SELECT key FROM counters WHERE key >= ?1 AND key < CAST(?2 AS TEXT) "
            "AND (expires_at_ms IS NULL OR expires_at_ms > ?3)"},
        {"SELECT key FROM kv WHERE key >= ?1 AND (expires_at_ms IS NULL OR expires_at_ms > ?3)",
            "SELECT key FROM kv WHERE key >= ?1 AND key < CAST(?2 AS TEXT) "
            "AND (expires_at_ms IS NULL OR expires_at_ms > ?3)"},
        {"SELECT DISTINCT key FROM zset WHERE key >= ?1",
            "SELECT DISTINCT key FROM zset WHERE key >= ?1 AND key < CAST(?2 AS TEXT)"},
    };
    for (const auto &table : tables) {
        const bool expires = &table != &tables[2];
        Result<QStringList> found
            = keysOf(table.open, table.bounded, prefix, expires ? nowMs : std::optional<qint64>());
        if (!found)
            return found.error();
        names.append(found.value());
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

Result<qint64> EmbeddedKeyValue::purgeExpired(qint64 nowMs)
{
    qint64 purged = 0;
    for (const char *sql : {"DELETE FROM counters WHERE expires_at_ms <= ?1 RETURNING 1",
             "DELETE FROM kv WHERE expires_at_ms <= ?1 RETURNING 1"}) {
        EmbeddedStatement remove = m_db.statement(sql);
        remove.bind(1, nowMs);
        for (;;) {
            Result<bool> row = remove.next();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            ++purged;
        }
    }
    return purged;
}

Result<QStringList> EmbeddedKeyValue::keysOf(
    const char *sqlNoBound, const char *sqlBounded, const QString &prefix, std::optional<qint64> nowMs)
{
    const QByteArray bound = prefixUpperBound(prefix);
    EmbeddedStatement query = m_db.statement(bound.isEmpty() ? sqlNoBound : sqlBounded);
    bindPrefix(query, prefix, bound);
    if (nowMs)
        query.bind(3, *nowMs);

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

}  // namespace mutt::queue
