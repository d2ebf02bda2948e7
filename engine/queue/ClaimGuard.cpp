#include "queue/ClaimGuard.h"

#include "queue/QueueStore.h"

#include <QDateTime>
#include <QHash>

namespace mutt::queue {
namespace {

// Heartbeat values remembered per guard, to tell them from another process's.
constexpr qsizetype kRememberedWrites = 16;

}  // namespace

ClaimGuard::ClaimGuard(QueueStore &store, QString processingList, QString heartbeatKey, int ttlSeconds)
    : m_store(store)
    , m_processingList(std::move(processingList))
    , m_heartbeatKey(std::move(heartbeatKey))
    , m_ttl(std::chrono::seconds(ttlSeconds))
{
}

Status ClaimGuard::writeHeartbeat(bool *foreignWrite)
{
    std::lock_guard writing(m_writeMutex);
    if (!m_written.isEmpty() && foreignWrite) {
        // A failed read only skips this check; the write below reports the store error.
        const auto current = m_store.value(m_heartbeatKey);
        *foreignWrite = current.ok() && current.value() && !m_written.contains(*current.value());
    }

    const Clock::time_point sentAt = Clock::now();
    const QByteArray value = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const Status written
        = m_store.setValue(m_heartbeatKey, value, std::chrono::duration_cast<std::chrono::seconds>(m_ttl).count());
    if (written.ok()) {
        if (m_written.size() == kRememberedWrites)
            m_written.removeFirst();
        m_written.append(value);
        recordWrite(sentAt, Clock::now());
    }
    return written;
}

// Redis sets the key's expiry when it runs the SET, which is after `sentAt`,
// so the previous write keeps the key until at least its start plus the TTL.
// This write ran before `doneAt`. A gap is therefore only possible when
// `doneAt` is a TTL or more after the previous write's start.
void ClaimGuard::recordWrite(Clock::time_point sentAt, Clock::time_point doneAt)
{
    std::lock_guard lock(m_mutex);
    if (!m_lastSent || doneAt - *m_lastSent >= m_ttl)
        ++m_lapses;
    if (!m_lastSent || sentAt > *m_lastSent)
        m_lastSent = sentAt;
}

ClaimGuard::Mark ClaimGuard::mark() const
{
    std::lock_guard lock(m_mutex);
    return Mark {m_lapses};
}

bool ClaimGuard::mayHaveLost(Mark mark, Clock::time_point now) const
{
    std::lock_guard lock(m_mutex);
    return !m_lastSent || mark.lapses != m_lapses || now - *m_lastSent >= m_ttl;
}

Result<std::vector<bool>> ClaimGuard::stillClaimed(Mark mark, const QList<QByteArray> &items)
{
    if (!mayHaveLost(mark))
        return std::vector<bool>(size_t(items.size()), true);
    if (const Status written = writeHeartbeat(); !written.ok())
        return written.error();
    auto listed = m_store.range(m_processingList, 0, -1);
    if (!listed.ok())
        return listed.error();
    return matchListed(items, listed.value());
}

std::vector<bool> ClaimGuard::matchListed(const QList<QByteArray> &items, const QList<QByteArray> &listed)
{
    QHash<QByteArray, qsizetype> available;
    for (const QByteArray &item : listed)
        ++available[item];
    std::vector<bool> claimed;
    claimed.reserve(size_t(items.size()));
    for (const QByteArray &item : items) {
        const auto found = available.find(item);
        const bool present = found != available.end() && found.value() > 0;
        if (present)
            --found.value();
        claimed.push_back(present);
    }
    return claimed;
}

}  // namespace mutt::queue
