#include "ingest/IngestWriter.h"

#include "http/HttpDeliveryBatch.h"
#include "queue/QueueNames.h"
#include "queue/QueueStore.h"

#include <QDateTime>

namespace mutt::ingest {
namespace {

// MUTT v2.5 traffic counters, one per UTC minute, hour and day, with the TTLs
// of its ingest transaction.
constexpr qint64 minuteTtl = 7200;
constexpr qint64 hourTtl = 172800;
constexpr qint64 dayTtl = 2592000;
constexpr qint64 msPerMinute = 60'000;

// Increments summed per key, in the order the keys first appear.
class CounterSums final {
public:
    void add(const QString &key, qint64 delta, qint64 ttlSeconds)
    {
        for (Sum &sum : m_sums) {
            if (sum.key == key) {
                sum.delta += delta;
                return;
            }
        }
        m_sums.append(Sum {key, delta, ttlSeconds});
    }

    void appendTo(QList<queue::Op> &ops) const
    {
        for (const Sum &sum : m_sums)
            ops.append(queue::Op::increment(sum.key, sum.delta, sum.ttlSeconds));
    }

private:
    struct Sum {
        QString key;
        qint64 delta = 0;
        qint64 ttlSeconds = 0;
    };
    QList<Sum> m_sums;
};

IngestWriter::PeriodKeys periodKeysOf(const QString &prefix, qint64 minuteNumber)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(minuteNumber * msPerMinute, Qt::UTC);
    return IngestWriter::PeriodKeys {
        prefix + QStringLiteral(":1m:") + at.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm")),
        prefix + QStringLiteral(":1h:") + at.toString(QStringLiteral("yyyy-MM-dd'T'HH")),
        prefix + QStringLiteral(":24h:") + at.toString(QStringLiteral("yyyy-MM-dd")),
    };
}

}  // namespace

IngestWriter::IngestWriter(const config::Settings &settings, queue::QueueStore &store)
    : m_queue(settings.ingestQueue)
    , m_metricsPrefix(settings.metricsPrefix)
    , m_rejectedListMax(settings.rejectedListMax)
    , m_store(store)
{
}

void IngestWriter::submit(Write write)
{
    std::unique_lock lock(m_mutex);
    m_pending.push_back(std::move(write));
    if (!m_stopped && m_inFlight >= kMaxInFlight)
        return;
    Group group = takeGroup();
    ++m_inFlight;
    apply(std::move(group), lock);
}

void IngestWriter::stop()
{
    std::unique_lock lock(m_mutex);
    m_stopped = true;
    while (!m_pending.empty()) {
        Group group = takeGroup();
        ++m_inFlight;
        apply(std::move(group), lock);
        lock.lock();
    }
}

IngestWriter::Group IngestWriter::takeGroup()
{
    qsizetype count = 0;
    qsizetype bytes = 0;
    while (count < qsizetype(m_pending.size()) && count < kMaxGroupWrites) {
        qsizetype writeBytes = 0;
        for (const QByteArray &item : m_pending[count].items)
            writeBytes += item.size();
        if (count > 0 && bytes + writeBytes > kMaxGroupBytes)
            break;
        bytes += writeBytes;
        ++count;
    }

    Group group(std::make_move_iterator(m_pending.begin()), std::make_move_iterator(m_pending.begin() + count));
    m_pending.erase(m_pending.begin(), m_pending.begin() + count);
    return group;
}

void IngestWriter::apply(Group group, std::unique_lock<std::mutex> &taken)
{
    // Groups reach the store in the order they were taken, because each one
    // takes m_applyMutex before m_mutex is released.
    const std::lock_guard applying(m_applyMutex);
    taken.unlock();

    QList<QByteArray> items;
    QList<QByteArray> rejected;
    qint64 accepted = 0;
    CounterSums periods;
    for (Write &write : group) {
        const qint64 count = write.items.size();
        accepted += count;
        items.append(std::move(write.items));
        rejected.append(std::move(write.rejected));
        write.items.clear();
        write.rejected.clear();

        // Formatting the keys is the costly part, so the writer keeps the
        // keys of the last minute it saw (m_applyMutex guards them).
        if (write.receivedAtMs / msPerMinute != m_keysMinute) {
            m_keysMinute = write.receivedAtMs / msPerMinute;
            m_keys = periodKeysOf(m_metricsPrefix, m_keysMinute);
        }
        const PeriodKeys &keys = m_keys;
        periods.add(keys.minute, count, minuteTtl);
        periods.add(keys.hour, count, hourTtl);
        periods.add(keys.day, count, dayTtl);
    }

    // One LPUSH of every item in arrival order leaves the list as the
    // requests' own LPUSHes one after another would.
    QList<queue::Op> ops {
        queue::Op::pushHead(m_queue, std::move(items)),
        queue::Op::increment(queue::keys::statAccepted, accepted),
    };
    periods.appendTo(ops);
    if (!rejected.isEmpty() && m_rejectedListMax > 0) {
        ops.append(queue::Op::pushHead(queue::keys::rejectedIngest, std::move(rejected)));
        ops.append(queue::Op::trim(queue::keys::rejectedIngest, m_rejectedListMax));
    }

    // The completion sends the responses and the next group without
    // blocking, so it runs on the store's I/O thread: one thread hand-over
    // less between the store's reply and the HTTP I/O threads.
    auto shared = std::make_shared<const Group>(std::move(group));
    m_store.applyAsyncDirect(std::move(ops),
        [self = shared_from_this(), shared](const Status &status) { self->completed(*shared, status); });
}

void IngestWriter::completed(const Group &group, const Status &status)
{
    {
        std::unique_lock lock(m_mutex);
        --m_inFlight;
        // The next batch goes out before this batch's responses are sent, so
        // the store is not left idle meanwhile.
        if (!m_pending.empty() && (m_stopped || m_inFlight < kMaxInFlight)) {
            Group next = takeGroup();
            ++m_inFlight;
            apply(std::move(next), lock);
        }
    }

    // The responses of the whole group reach each HTTP I/O thread in one event.
    const http::HttpDeliveryBatch batch;
    for (const Write &write : group) {
        if (write.done)
            write.done(status);
    }
}

}  // namespace mutt::ingest
