#include "runtime/StatusSampler.h"

#include "queue/QueueNames.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <vector>

namespace mutt::runtime {
namespace {

// Below this an epoch number is in seconds (year 5138 in seconds, 1973 in ms).
constexpr double epochMsThreshold = 1e11;

std::optional<qint64> timeOfValue(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        return qint64(number < epochMsThreshold ? number * 1000.0 : number);
    }
    if (!value.isString())
        return std::nullopt;

    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

std::optional<qint64> receivedAt(const QJsonObject &object)
{
    if (auto own = timeOfValue(object.value(QLatin1StringView("_received_at"))))
        return own;
    const QJsonValue raw = object.value(QLatin1StringView("raw_json"));
    if (raw.isObject())
        return timeOfValue(raw.toObject().value(QLatin1StringView("_received_at")));
    if (raw.isString()) {
        const QJsonDocument inner = QJsonDocument::fromJson(raw.toString().toUtf8());
        return timeOfValue(inner.object().value(QLatin1StringView("_received_at")));
    }
    return std::nullopt;
}

Error storeError(const QString &key, const Error &error)
{
    return makeError(error.code, QStringLiteral("reading %1 failed: %2").arg(key, error.message));
}

}  // namespace

StatusSampler::StatusSampler(const config::Settings &settings) : m_settings(settings) { }

void StatusSampler::attach(queue::QueueStore *store, queue::Coordination *coordination)
{
    std::lock_guard lock(m_mutex);
    m_store = store;
    m_coordination = coordination;
    m_cache.reset();
}

void StatusSampler::detach()
{
    attach(nullptr, nullptr);
}

std::optional<qint64> StatusSampler::itemAgeMs(const QByteArray &item, bool preferDlqTime, qint64 nowMs)
{
    const QJsonObject object = QJsonDocument::fromJson(item).object();
    if (object.isEmpty())
        return std::nullopt;

    std::optional<qint64> at;
    if (preferDlqTime)
        at = timeOfValue(object.value(QLatin1StringView("_dlq_at")));
    if (!at)
        at = receivedAt(object);
    if (!at)
        return std::nullopt;
    return std::max<qint64>(0, nowMs - *at);
}

void StatusSampler::applyHeartbeat(QueueInfo &info, const std::optional<QByteArray> &value, qint64 nowMs)
{
    info.heartbeatAgeMs.reset();
    info.heartbeatAgeUnknown = false;
    if (!value)
        return;

    bool isNumber = false;
    const double stamp = value->trimmed().toDouble(&isNumber);
    if (!isNumber) {
        // v2.5 writes "alive": the worker is there, its age is not recorded.
        info.heartbeatAgeMs = 0;
        info.heartbeatAgeUnknown = true;
        return;
    }
    const qint64 atMs = qint64(stamp < epochMsThreshold ? stamp * 1000.0 : stamp);
    info.heartbeatAgeMs = std::max<qint64>(0, nowMs - atMs);
}

Result<QueueInfo> StatusSampler::listInfo(const QString &key, QueueInfo::Kind kind, qint64 nowMs)
{
    QueueInfo info;
    info.name = key;
    info.kind = kind;

    const Result<qint64> depth = m_store->length(key);
    if (!depth)
        return storeError(key, depth.error());
    info.depth = depth.value();
    if (info.depth == 0)
        return info;

    const Result<QList<QByteArray>> tail = m_store->range(key, -1, -1);
    if (!tail)
        return storeError(key, tail.error());
    if (!tail.value().isEmpty())
        info.oldestAgeMs = itemAgeMs(tail.value().constFirst(), kind == QueueInfo::Kind::Dlq, nowMs);
    return info;
}

// One entry per worker that has a processing list or a live heartbeat.
Status StatusSampler::addProcessingLists(
    const QString &listPrefix, const QString &heartbeatPrefix, qint64 nowMs, QList<QueueInfo> &out)
{
    const QString listStart = listPrefix + u':';
    const QString beatStart = heartbeatPrefix + u':';
    const Result<QStringList> lists = m_store->keys(listStart);
    if (!lists)
        return storeError(listStart + u'*', lists.error());
    const Result<QStringList> beats = m_store->keys(beatStart);
    if (!beats)
        return storeError(beatStart + u'*', beats.error());

    QStringList workers;
    for (const QString &key : lists.value())
        workers.append(key.mid(listStart.size()));
    for (const QString &key : beats.value()) {
        if (!workers.contains(key.mid(beatStart.size())))
            workers.append(key.mid(beatStart.size()));
    }
    workers.sort();

    for (const QString &worker : workers) {
        Result<QueueInfo> info = listInfo(listStart + worker, QueueInfo::Kind::Processing, nowMs);
        if (!info)
            return info.error();
        info.value().worker = worker;
        const Result<std::optional<QByteArray>> beat = m_store->value(beatStart + worker);
        if (!beat)
            return storeError(beatStart + worker, beat.error());
        applyHeartbeat(info.value(), beat.value(), nowMs);
        out.append(info.value());
    }
    return {};
}

Status StatusSampler::addCounters(Conservation &conservation, bool inputs)
{
    const Result<QList<QPair<QString, qint64>>> counters = m_store->counters(queue::keys::statsPrefix);
    if (!counters)
        return storeError(queue::keys::statsPrefix + u'*', counters.error());

    const QHash<QString, qint64 *> targets = inputs
        ? QHash<QString, qint64 *> {{queue::keys::statAccepted, &conservation.accepted},
            {queue::keys::statGenerated, &conservation.generated}}
        : QHash<QString, qint64 *> {{queue::keys::statForwarded, &conservation.forwarded},
            {queue::keys::statSuppressed, &conservation.suppressed},
            {queue::keys::statUnhandled, &conservation.unhandled},
            {queue::keys::statDiscarded, &conservation.discarded}};
    for (const auto &[key, value] : counters.value()) {
        if (qint64 *target = targets.value(key))
            *target = value;
    }
    return {};
}

Status StatusSampler::addList(const QString &key, QueueInfo::Kind kind, qint64 nowMs, QList<QueueInfo> &out)
{
    Result<QueueInfo> info = listInfo(key, kind, nowMs);
    if (!info)
        return info.error();
    out.append(info.value());
    return {};
}

Status StatusSampler::addRetrySet(QList<QueueInfo> &out)
{
    const Result<qint64> retries = m_store->scheduledCount(m_settings.moogRetrySet);
    if (!retries)
        return storeError(m_settings.moogRetrySet, retries.error());
    QueueInfo retry;
    retry.name = m_settings.moogRetrySet;
    retry.kind = QueueInfo::Kind::Retry;
    retry.depth = retries.value();
    out.append(retry);
    return {};
}

// Read order matters because the reads are not one transaction: inputs
// first, then the lists from upstream to downstream, then the outcomes. An
// event moving on during the sample is then counted twice at worst, so a
// transient difference is negative and never looks like loss (only the rare
// upstream moves: retry promotion, janitor recovery and DLQ replay, can
// briefly show +1).
Status StatusSampler::readPipeline(qint64 nowMs, StoreSample &sample)
{
    const std::vector<std::function<Status()>> steps {
        [&] { return addCounters(sample.conservation, true); },
        [&] { return addList(m_settings.ingestQueue, QueueInfo::Kind::Queue, nowMs, sample.queues); },
        [&] {
            return addProcessingLists(
                m_settings.alerterProcessingPrefix, m_settings.alerterHeartbeatPrefix, nowMs, sample.queues);
        },
        [&] { return addList(m_settings.alertQueue, QueueInfo::Kind::Queue, nowMs, sample.queues); },
        [&] {
            return addProcessingLists(
                m_settings.moogProcessingPrefix, m_settings.moogHeartbeatPrefix, nowMs, sample.queues);
        },
        [&] { return addRetrySet(sample.queues); },
        [&] { return addList(m_settings.alerterDlq, QueueInfo::Kind::Dlq, nowMs, sample.queues); },
        [&] { return addList(m_settings.moogDlq, QueueInfo::Kind::Dlq, nowMs, sample.queues); },
        [&] { return addList(m_settings.deadLetterQueue, QueueInfo::Kind::Dlq, nowMs, sample.queues); },
        [&] { return addCounters(sample.conservation, false); },
    };
    for (const auto &step : steps) {
        if (Status done = step(); !done)
            return done;
    }
    return {};
}

Result<StoreSample> StatusSampler::sample(qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    return sampleLocked(nowMs);
}

Result<StoreSample> StatusSampler::sampleLocked(qint64 nowMs)
{
    if (!m_store || !m_coordination)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the engine is not running"));

    StoreSample sample;
    sample.sampledAtMs = nowMs;
    if (Status read = readPipeline(nowMs, sample); !read)
        return read.error();

    for (const QueueInfo &info : sample.queues) {
        if (info.kind == QueueInfo::Kind::Dlq)
            sample.conservation.inDlq += info.depth;
        else
            sample.conservation.inFlight += info.depth;
    }

    const queue::CircuitPolicy policy {
        m_settings.circuitBreakerThreshold, qint64(m_settings.circuitBreakerTimeout) * 1000, 30'000};
    const Result<queue::CircuitStatus> circuit = m_coordination->circuitStatus(queue::keys::circuitName, policy, nowMs);
    if (!circuit)
        return storeError(QStringLiteral("circuit ") + queue::keys::circuitName, circuit.error());
    sample.circuit = circuit.value();
    return sample;
}

Result<StoreSample> StatusSampler::cached(qint64 nowMs, qint64 maxAgeMs)
{
    std::lock_guard lock(m_mutex);
    if (m_cache && nowMs - m_cache->sampledAtMs <= maxAgeMs)
        return *m_cache;

    Result<StoreSample> fresh = sampleLocked(nowMs);
    if (fresh)
        m_cache = fresh.value();
    return fresh;
}

}  // namespace mutt::runtime
