#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace mutt::queue {

class EmbeddedDatabase;

// Counters, expiring string keys and sorted sets of the embedded store.
// Every method runs inside the caller's transaction. Times are ms since the
// epoch; a key whose expiry is <= now is absent.
class EmbeddedKeyValue final {
public:
    struct Scored {
        QByteArray member;
        qint64 score = 0;
    };

    explicit EmbeddedKeyValue(EmbeddedDatabase &db);

    // INCRBY, then EXPIRE NX when ttlSeconds > 0. Returns the new value.
    Result<qint64> increment(const QString &key, qint64 delta, qint64 ttlSeconds, qint64 nowMs);
    Result<qint64> counter(const QString &key, qint64 nowMs);
    // When the counter expires (ms), if it exists and has an expiry.
    Result<std::optional<qint64>> counterExpiry(const QString &key, qint64 nowMs);
    Result<QList<QPair<QString, qint64>>> counters(const QString &prefix, qint64 nowMs);

    // expiresAtMs 0: no expiry.
    Status setValue(const QString &key, const QByteArray &value, qint64 expiresAtMs);
    Result<std::optional<QByteArray>> value(const QString &key, qint64 nowMs);
    Result<QList<QPair<QString, QByteArray>>> values(const QString &prefix, qint64 nowMs);
    Status removeValue(const QString &key);

    // ZADD (updates the score of an existing member), ZREM, ZCARD.
    Status scoredAdd(const QString &key, const QByteArray &member, qint64 score);
    Status scoredRemove(const QString &key, const QByteArray &member);
    Result<qint64> scoredCount(const QString &key);
    Result<std::optional<qint64>> lowestScore(const QString &key);
    // The score at `offset` in score order (0: the lowest), if there is one.
    Result<std::optional<qint64>> scoreAt(const QString &key, qint64 offset);
    // Members with score <= maxScore, lowest score first, at most `limit`.
    Result<QList<Scored>> scoredUpTo(const QString &key, qint64 maxScore, qint64 limit);
    // ZREMRANGEBYSCORE key -inf maxScore; returns how many were removed.
    Result<qint64> scoredRemoveUpTo(const QString &key, qint64 maxScore);
    // As scoredRemoveUpTo(), returning the removed members.
    Result<QList<QByteArray>> scoredTakeUpTo(const QString &key, qint64 maxScore);

    // Counter, string and sorted-set keys starting with `prefix`, sorted.
    Result<QStringList> keys(const QString &prefix, qint64 nowMs);
    // Deletes expired counters and string keys; returns how many.
    Result<qint64> purgeExpired(qint64 nowMs);

private:
    Result<QStringList> keysOf(
        const char *sqlNoBound, const char *sqlBounded, const QString &prefix, std::optional<qint64> nowMs);

    EmbeddedDatabase &m_db;
};

}  // namespace mutt::queue
