#include "queue/EmbeddedLimits.h"

#include "queue/EmbeddedKeyValue.h"

#include <QRandomGenerator>

#include <algorithm>

namespace mutt::queue {

EmbeddedLimits::EmbeddedLimits(EmbeddedKeyValue &kv) : m_kv(kv) { }

Result<qint64> EmbeddedLimits::rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    if (key.isEmpty() || limit < 1 || windowMs < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rate limit key=%1 limit=%2 window_ms=%3: the key must be set and limit and "
                           "window at least 1")
                .arg(key, QString::number(limit), QString::number(windowMs)));

    if (Status trimmed = m_kv.scoredRemoveUpTo(key, nowMs - windowMs); !trimmed)
        return trimmed.error();
    Result<qint64> granted = m_kv.scoredCount(key);
    if (!granted)
        return granted.error();

    if (granted.value() < limit) {
        // Unique member per grant, so two grants in the same millisecond both count.
        const QByteArray member
            = QByteArray::number(nowMs) + ':' + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        if (Status added = m_kv.scoredAdd(key, member, nowMs); !added)
            return added.error();
        return 0;
    }

    Result<std::optional<qint64>> oldest = m_kv.lowestScore(key);
    if (!oldest)
        return oldest.error();
    return std::max<qint64>(1, oldest.value().value_or(nowMs) + windowMs - nowMs);
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
