#include "queue/EmbeddedLimits.h"

#include "queue/EmbeddedKeyValue.h"

#include <QRandomGenerator>

#include <algorithm>
#include <limits>

namespace mutt::queue {

EmbeddedLimits::EmbeddedLimits(EmbeddedKeyValue &kv) : m_kv(kv) { }

namespace {

Status checkRate(const QString &key, qint64 count, qint64 limit, qint64 windowMs)
{
    if (key.isEmpty() || limit < 1 || windowMs < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rate limit key=%1 limit=%2 window_ms=%3: the key must be set and limit and "
                           "window at least 1")
                .arg(key, QString::number(limit), QString::number(windowMs)));
    if (count > limit)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rate limit key=%1: %2 grants asked at once with limit %3; ask for 1 to limit grants")
                .arg(key, QString::number(count), QString::number(limit)));
    return {};
}

}  // namespace

Result<qint64> EmbeddedLimits::rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    return rateAcquireMany(key, 1, limit, windowMs, nowMs);
}

Result<qint64> EmbeddedLimits::rateAcquireMany(
    const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    if (Status valid = checkRate(key, count, limit, windowMs); !valid)
        return valid.error();
    if (count < 1)
        return 0;

    Result<qint64> stored = trimWindow(key, windowMs, nowMs);
    if (!stored)
        return stored.error();
    if (stored.value() + count > limit)
        return waitFor(key, stored.value() + count - limit, windowMs, nowMs);

    if (Status added = addGrants(key, count, nowMs); !added)
        return added.error();
    return 0;
}

Result<RateGrant> EmbeddedLimits::rateAcquireUpTo(
    const QString &key, qint64 requested, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    if (Status valid = checkRate(key, 1, limit, windowMs); !valid)
        return valid.error();
    if (requested < 1)
        return RateGrant {};

    Result<qint64> stored = trimWindow(key, windowMs, nowMs);
    if (!stored)
        return stored.error();

    RateGrant grant;
    grant.granted = std::clamp<qint64>(limit - stored.value(), 0, requested);
    if (grant.granted > 0) {
        if (Status added = addGrants(key, grant.granted, nowMs); !added)
            return added.error();
    }
    if (grant.granted < requested) {
        Result<qint64> wait = waitFor(key, 1, windowMs, nowMs);
        if (!wait)
            return wait.error();
        grant.waitMs = wait.value();
    }
    return grant;
}

Result<qint64> EmbeddedLimits::trimWindow(const QString &key, qint64 windowMs, qint64 nowMs)
{
    Result<QList<QByteArray>> removed = m_kv.scoredTakeUpTo(key, nowMs - windowMs);
    if (!removed)
        return removed.error();

    const auto cached = m_windowCounts.constFind(key);
    if (cached != m_windowCounts.constEnd()) {
        qint64 left = cached.value();
        for (const QByteArray &member : std::as_const(removed.value()))
            left -= grantsOf(member);
        left = std::max<qint64>(0, left);
        m_windowCounts.insert(key, left);
        return left;
    }
    Result<QList<EmbeddedKeyValue::Scored>> stored
        = m_kv.scoredUpTo(key, std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max());
    if (!stored)
        return stored.error();
    qint64 counted = 0;
    for (const EmbeddedKeyValue::Scored &entry : std::as_const(stored.value()))
        counted += grantsOf(entry.member);
    m_windowCounts.insert(key, counted);
    return counted;
}

Status EmbeddedLimits::addGrants(const QString &key, qint64 count, qint64 nowMs)
{
    // A random part, so two calls in the same millisecond both count.
    QByteArray member
        = QByteArray::number(nowMs) + ':' + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    if (count > 1)
        member += '*' + QByteArray::number(count);
    if (Status added = m_kv.scoredAdd(key, member, nowMs); !added) {
        forgetWindow(key);
        return added;
    }
    m_windowCounts[key] += count;
    return {};
}

qint64 EmbeddedLimits::grantsOf(const QByteArray &member)
{
    const qsizetype star = member.lastIndexOf('*');
    if (star < 0)
        return 1;
    bool ok = false;
    const qint64 count = member.mid(star + 1).toLongLong(&ok);
    return ok && count > 0 ? count : 1;
}

// The grant that makes `needed` places free when it leaves the window: the
// oldest members, summed until they hold `needed` grants.
Result<qint64> EmbeddedLimits::waitFor(const QString &key, qint64 needed, qint64 windowMs, qint64 nowMs)
{
    // Each member is at least one grant, so `needed` members always suffice.
    Result<QList<EmbeddedKeyValue::Scored>> oldest = m_kv.scoredUpTo(key, std::numeric_limits<qint64>::max(), needed);
    if (!oldest)
        return oldest.error();
    qint64 leavingMs = nowMs;
    qint64 freed = 0;
    for (const EmbeddedKeyValue::Scored &entry : std::as_const(oldest.value())) {
        leavingMs = entry.score;
        freed += grantsOf(entry.member);
        if (freed >= needed)
            break;
    }
    if (freed < needed)
        leavingMs = nowMs;  // fewer grants stored than needed: one whole window
    return std::max<qint64>(1, leavingMs + windowMs - nowMs);
}

Result<UnhandledCount> EmbeddedLimits::countUnhandled(
    const QString &counterKey, qint64 threshold, qint64 windowSeconds, qint64 nowMs)
{
    if (counterKey.isEmpty() || threshold < 1 || windowSeconds < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("unhandled counter key=%1 threshold=%2 window_s=%3: the key must be set and "
                           "threshold and window at least 1")
                .arg(counterKey, QString::number(threshold), QString::number(windowSeconds)));

    Result<qint64> count = m_kv.increment(counterKey, 1, windowSeconds, nowMs);
    if (!count)
        return count.error();
    UnhandledCount result {count.value(), false};
    if (result.count < threshold)
        return result;

    // The :triggered key (as MUTT v2.5 names it) marks that this window has
    // fired. It expires with the counter, so the next window can fire again.
    const QString triggeredKey = counterKey + QStringLiteral(":triggered");
    Result<std::optional<QByteArray>> triggered = m_kv.value(triggeredKey, nowMs);
    if (!triggered)
        return triggered.error();
    if (triggered.value())
        return result;

    Result<std::optional<qint64>> windowEnd = m_kv.counterExpiry(counterKey, nowMs);
    if (!windowEnd)
        return windowEnd.error();
    const qint64 expiresAtMs = windowEnd.value().value_or(nowMs + windowSeconds * 1000);
    if (Status marked = m_kv.setValue(triggeredKey, QByteArray::number(threshold), expiresAtMs); !marked)
        return marked.error();
    result.fire = true;
    return result;
}

}  // namespace mutt::queue
