#include "forwarder/AuthWatch.h"

#include <QDateTime>

namespace mutt::forwarder {

std::optional<QString> AuthWatch::problem(const QString &dlq) const
{
    const qint64 rejectedAt = m_rejectedAtMs.load(std::memory_order_acquire);
    if (rejectedAt == 0 || rejectedAt < m_acceptedAtMs.load(std::memory_order_acquire))
        return std::nullopt;
    return QStringLiteral("rejected: Moogsoft answered %1 at %2 and accepted no alert since; alerts go to %3, check "
                          "MOOG_API_KEY")
        .arg(m_status.load(std::memory_order_relaxed))
        .arg(QDateTime::fromMSecsSinceEpoch(rejectedAt, Qt::UTC).toString(Qt::ISODateWithMs), dlq);
}

}  // namespace mutt::forwarder
