#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"

#include <QHash>
#include <QString>

namespace mutt::queue {

class EmbeddedKeyValue;

// The sliding-window rate limiter and the fixed-window unhandled-event
// counter of Coordination. Every method runs inside the caller's transaction.
//
// The limiter keeps the number of grants per window key in memory, so a
// grant costs O(1) instead of counting the whole window: the count is read
// once from the table, then moved by the limiter's own inserts and trims.
// The store's worker forgets the counts whenever it rolls back, and any other
// write to a window key must call forgetWindow().
//
// A window is a sorted set scored by grant time. One member represents all
// grants of one call: "<ms>:<random hex>" for one grant, "<ms>:<random
// hex>*<count>" for several. So a claim round of many alerts writes one row.
class EmbeddedLimits final {
public:
    explicit EmbeddedLimits(EmbeddedKeyValue &kv);

    // 0 when granted, else ms until the oldest grant leaves the window.
    Result<qint64> rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs);
    // All `count` grants or none: 0 when granted, else ms until they may fit.
    Result<qint64> rateAcquireMany(const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs);
    // As many of `requested` grants as fit now.
    Result<RateGrant> rateAcquireUpTo(
        const QString &key, qint64 requested, qint64 limit, qint64 windowMs, qint64 nowMs);
    Result<UnhandledCount> countUnhandled(
        const QString &counterKey, qint64 threshold, qint64 windowSeconds, qint64 nowMs);

    void forgetWindow(const QString &key) { m_windowCounts.remove(key); }
    // Number of grants that one window member represents (see above).
    [[nodiscard]] static qint64 grantsOf(const QByteArray &member);
    void forgetWindows() { m_windowCounts.clear(); }

private:
    // Drops grants that left the window; returns how many remain.
    Result<qint64> trimWindow(const QString &key, qint64 windowMs, qint64 nowMs);
    // Adds `count` grants at nowMs.
    Status addGrants(const QString &key, qint64 count, qint64 nowMs);
    // ms until `needed` more grants fit: when the needed-th oldest grant leaves.
    Result<qint64> waitFor(const QString &key, qint64 needed, qint64 windowMs, qint64 nowMs);

    EmbeddedKeyValue &m_kv;
    QHash<QString, qint64> m_windowCounts;  // grants stored per window key, valid inside the transaction
};

}  // namespace mutt::queue
