#include "queue/EmbeddedStore.h"
#include "queue/StoreArguments.h"

#include "core/Log.h"
#include "queue/EmbeddedDatabase.h"
#include "queue/EmbeddedLockFile.h"
#include "queue/EmbeddedNotifier.h"
#include "queue/EmbeddedOps.h"
#include "queue/EmbeddedWakeups.h"
#include "queue/EmbeddedWorker.h"
#include "queue/QueueNames.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace mutt::queue {
namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

}  // namespace

Result<std::unique_ptr<EmbeddedStore>> EmbeddedStore::open(const QString &path, const EmbeddedStoreOptions &options)
{
    if (path.isEmpty())
        return makeError(
            ErrorCode::InvalidInput, QStringLiteral("queue store path is empty; set MUTT_DATA_DIR or --data-dir"));
    const QString directory = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(directory))
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot create directory %1 for queue store %2; check its permissions")
                .arg(directory, path));

    Result<std::unique_ptr<EmbeddedLockFile>> lock = EmbeddedLockFile::acquire(path);
    if (!lock)
        return lock.error();
    Result<std::unique_ptr<EmbeddedDatabase>> db = EmbeddedDatabase::open(path, options);
    if (!db) {
        log::get("queue")->error("opening queue store failed path={} reason={}", path, db.error().message);
        return db.error();
    }

    std::unique_ptr<EmbeddedStore> store(new EmbeddedStore(path, std::move(lock).value()));
    store->m_worker = std::make_unique<EmbeddedWorker>(std::move(db).value(), *store->m_wakeups, options);
    log::get("queue")->info("queue store opened path={} sync={} journal=wal schema_version={}", path,
        EmbeddedStoreOptions::syncName(options.sync), EmbeddedDatabase::schemaVersion);
    return store;
}

EmbeddedStore::EmbeddedStore(QString path, std::unique_ptr<EmbeddedLockFile> lock)
    : m_path(std::move(path))
    , m_lock(std::move(lock))
    , m_wakeups(std::make_unique<EmbeddedWakeups>())
    , m_notifier(std::make_unique<EmbeddedNotifier>())
{
}

EmbeddedStore::~EmbeddedStore()
{
    // Order: wake waiting consumers, commit what is queued, run the callbacks
    // that produced, then release the lock file.
    m_wakeups->shutdown();
    m_worker.reset();
    m_notifier.reset();
    m_lock.reset();
    log::get("queue")->info("queue store closed path={}", m_path);
}

QString EmbeddedStore::backendName() const
{
    return QStringLiteral("embedded");
}

Status EmbeddedStore::ping()
{
    return m_worker->run([](EmbeddedOps &) { return Status(); }, Durability::Move);
}

Status EmbeddedStore::apply(const QList<Op> &ops, Durability durability)
{
    if (Status valid = validateOps(ops); !valid)
        return valid;
    return m_worker->run([&ops](EmbeddedOps &store) { return store.apply(ops, nowMs()); }, durability);
}

void EmbeddedStore::applyAsync(QList<Op> ops, std::function<void(Status)> done, Durability durability)
{
    auto complete = [this, done = std::move(done)](Status status) {
        if (done)
            m_notifier->post([done, status = std::move(status)] { done(status); });
    };
    if (Status valid = validateOps(ops); !valid) {
        complete(valid);
        return;
    }
    m_worker->submit([ops = std::move(ops)](EmbeddedOps &store) { return store.apply(ops, nowMs()); },
        std::move(complete), durability);
}

Result<qint64> EmbeddedStore::length(const QString &key)
{
    return m_worker->call<qint64>([&](EmbeddedOps &store) { return store.lists.length(key); }, Durability::Move);
}

Result<QList<QByteArray>> EmbeddedStore::range(const QString &key, qint64 start, qint64 stop)
{
    return m_worker->call<QList<QByteArray>>(
        [&](EmbeddedOps &store) { return store.lists.range(key, start, stop); }, Durability::Move);
}

Result<QList<QByteArray>> EmbeddedStore::claim(
    const QString &source, const QString &processing, int max, std::chrono::milliseconds wait)
{
    if (Status valid = requireMove(source, processing); !valid)
        return valid.error();
    if (max < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("claim from %1: max %2 is below 1").arg(source, QString::number(max)));

    const auto deadline = std::chrono::steady_clock::now() + std::max(wait, std::chrono::milliseconds(0));
    EmbeddedWakeups::Watch watch(*m_wakeups, source);
    for (;;) {
        Result<QList<QByteArray>> claimed = m_worker->call<QList<QByteArray>>(
            [&](EmbeddedOps &store) { return store.lists.moveTailToHead(source, processing, max); }, Durability::Move);
        if (!claimed || !claimed.value().isEmpty())
            return claimed;
        if (!watch.waitForPush(deadline))
            return QList<QByteArray>();
    }
}

Result<RatedClaim> EmbeddedStore::claimRated(
    const QString &source, const QString &processing, int max, const RateWindow &rate)
{
    if (Status valid = validateRatedClaim(source, processing, max, rate); !valid)
        return valid.error();
    return m_worker->call<RatedClaim>(
        [&](EmbeddedOps &store) { return store.claimRated(source, processing, max, rate); }, Durability::Move);
}

Result<qint64> EmbeddedStore::promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max)
{
    if (Status valid = requireMove(scheduled, destination); !valid)
        return valid.error();
    if (max < 1)
        return qint64(0);
    return m_worker->call<qint64>(
        [&](EmbeddedOps &store) { return store.promoteDue(scheduled, destination, nowMs, max); }, Durability::Move);
}

Result<qint64> EmbeddedStore::scheduledCount(const QString &key)
{
    return m_worker->call<qint64>([&](EmbeddedOps &store) { return store.kv.scoredCount(key); }, Durability::Move);
}

Result<std::optional<qint64>> EmbeddedStore::earliestDue(const QString &key)
{
    return m_worker->call<std::optional<qint64>>(
        [&](EmbeddedOps &store) { return store.kv.lowestScore(key); }, Durability::Move);
}

Result<qint64> EmbeddedStore::counter(const QString &key)
{
    return m_worker->call<qint64>([&](EmbeddedOps &store) { return store.kv.counter(key, nowMs()); }, Durability::Move);
}

Result<QList<QPair<QString, qint64>>> EmbeddedStore::counters(const QString &prefix)
{
    return m_worker->call<QList<QPair<QString, qint64>>>(
        [&](EmbeddedOps &store) { return store.kv.counters(prefix, nowMs()); }, Durability::Move);
}

Status EmbeddedStore::setValue(const QString &key, const QByteArray &value, qint64 ttlSeconds)
{
    if (Status valid = requireKey(key, QStringLiteral("value key")); !valid)
        return valid;
    if (ttlSeconds < 0)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("key %1: ttlSeconds %2 is negative; use 0 for no "
                           "expiry")
                .arg(key, QString::number(ttlSeconds)));
    return m_worker->run(
        [&](EmbeddedOps &store) {
            const qint64 now = nowMs();
            return store.kv.setValue(key, value, ttlSeconds > 0 ? now + ttlSeconds * 1000 : 0);
        },
        Durability::Accept);
}

Result<std::optional<QByteArray>> EmbeddedStore::value(const QString &key)
{
    return m_worker->call<std::optional<QByteArray>>(
        [&](EmbeddedOps &store) { return store.kv.value(key, nowMs()); }, Durability::Move);
}

Status EmbeddedStore::removeValue(const QString &key)
{
    return m_worker->run([&](EmbeddedOps &store) { return store.kv.removeValue(key); }, Durability::Accept);
}

Result<QStringList> EmbeddedStore::keys(const QString &prefix)
{
    return m_worker->call<QStringList>(
        [&](EmbeddedOps &store) { return store.keys(prefix, nowMs()); }, Durability::Move);
}

Result<qint64> EmbeddedStore::recoverOrphans(
    const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source)
{
    for (const QString &name : {processingPrefix, heartbeatPrefix, source}) {
        if (Status valid = requireKey(name, QStringLiteral("janitor key or prefix")); !valid)
            return valid.error();
    }
    Result<qint64> recovered = m_worker->call<qint64>(
        [&](EmbeddedOps &store) { return store.recoverOrphans(processingPrefix, heartbeatPrefix, source, nowMs()); },
        Durability::Move);
    if (recovered && recovered.value() > 0)
        log::get("queue")->info(
            "recovered orphaned items prefix={} source={} count={}", processingPrefix, source, recovered.value());
    return recovered;
}

Result<qint64> EmbeddedStore::returnAll(const QString &processing, const QString &source)
{
    if (Status valid = requireMove(processing, source); !valid)
        return valid.error();
    return m_worker->call<qint64>(
        [&](EmbeddedOps &store) { return store.lists.moveAllToTail(processing, source); }, Durability::Move);
}

Result<CircuitDecision> EmbeddedStore::circuitAcquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    if (Status valid = validateCircuit(name, policy); !valid)
        return valid.error();
    return m_worker->call<CircuitDecision>(
        [&](EmbeddedOps &store) { return store.circuit.acquire(name, policy, nowMs); }, Durability::Move);
}

Result<CircuitRecordResult> EmbeddedStore::circuitRecord(
    const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs)
{
    if (Status valid = validateCircuit(name, policy); !valid)
        return valid.error();
    return m_worker->call<CircuitRecordResult>(
        [&](EmbeddedOps &store) { return store.circuit.record(name, success, wasProbe, policy, nowMs, sentAtMs); },
        Durability::Move);
}

Result<CircuitStatus> EmbeddedStore::circuitStatus(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    if (Status valid = validateCircuit(name, policy); !valid)
        return valid.error();
    return m_worker->call<CircuitStatus>(
        [&](EmbeddedOps &store) { return store.circuit.status(name, policy, nowMs); }, Durability::Move);
}

Result<CircuitRecordResult> EmbeddedStore::circuitForce(
    const QString &name, CircuitState state, qint64 untilMs, const QString &by, const QString &reason, qint64 nowMs)
{
    if (Status valid = validateCircuit(name, CircuitPolicy {}); !valid)
        return valid.error();
    return m_worker->call<CircuitRecordResult>(
        [&](EmbeddedOps &store) { return store.circuit.force(name, state, untilMs, by, reason, nowMs); },
        Durability::Accept);
}

Result<CircuitRecordResult> EmbeddedStore::circuitReset(const QString &name, qint64 nowMs)
{
    if (Status valid = validateCircuit(name, CircuitPolicy {}); !valid)
        return valid.error();
    return m_worker->call<CircuitRecordResult>(
        [&](EmbeddedOps &store) { return store.circuit.reset(name, nowMs); }, Durability::Accept);
}

Result<qint64> EmbeddedStore::rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    return m_worker->call<qint64>(
        [&](EmbeddedOps &store) { return store.limits.rateAcquire(key, limit, windowMs, nowMs); }, Durability::Move);
}

Result<qint64> EmbeddedStore::rateAcquireMany(
    const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    return m_worker->call<qint64>(
        [&](EmbeddedOps &store) { return store.limits.rateAcquireMany(key, count, limit, windowMs, nowMs); },
        Durability::Move);
}

Result<RateGrant> EmbeddedStore::rateAcquireUpTo(
    const QString &key, qint64 requested, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    return m_worker->call<RateGrant>(
        [&](EmbeddedOps &store) { return store.limits.rateAcquireUpTo(key, requested, limit, windowMs, nowMs); },
        Durability::Move);
}

Result<UnhandledCount> EmbeddedStore::countUnhandled(const QString &counterKey, qint64 threshold, qint64 windowSeconds)
{
    return m_worker->call<UnhandledCount>(
        [&](EmbeddedOps &store) { return store.limits.countUnhandled(counterKey, threshold, windowSeconds, nowMs()); },
        Durability::Move);
}

Result<std::optional<QString>> EmbeddedStore::configValue(const QString &key)
{
    if (Status valid = requireKey(key, QStringLiteral("config key")); !valid)
        return valid.error();
    Result<std::optional<QByteArray>> stored = value(keys::configPrefix + key);
    if (!stored)
        return stored.error();
    if (!stored.value())
        return std::optional<QString>();
    return std::optional<QString>(QString::fromUtf8(*stored.value()));
}

Result<QHash<QString, QString>> EmbeddedStore::allConfig()
{
    Result<QList<QPair<QString, QByteArray>>> stored = m_worker->call<QList<QPair<QString, QByteArray>>>(
        [](EmbeddedOps &store) { return store.kv.values(keys::configPrefix, nowMs()); }, Durability::Move);
    if (!stored)
        return stored.error();

    QHash<QString, QString> config;
    for (const auto &[key, value] : stored.value())
        config.insert(key.mid(keys::configPrefix.size()), QString::fromUtf8(value));
    return config;
}

Status EmbeddedStore::setConfig(const QString &key, const QString &value)
{
    if (Status valid = requireKey(key, QStringLiteral("config key")); !valid)
        return valid;
    Status stored = setValue(keys::configPrefix + key, value.toUtf8(), 0);
    if (stored)
        publishConfigChange(key);
    return stored;
}

Status EmbeddedStore::removeConfig(const QString &key)
{
    if (Status valid = requireKey(key, QStringLiteral("config key")); !valid)
        return valid;
    Status removed = removeValue(keys::configPrefix + key);
    if (removed)
        publishConfigChange(key);
    return removed;
}

void EmbeddedStore::subscribeConfig(std::function<void(const QString &key)> onChange)
{
    if (!onChange)
        return;
    std::lock_guard lock(m_subscribersMutex);
    m_subscribers.push_back(std::move(onChange));
}

void EmbeddedStore::publishConfigChange(const QString &key)
{
    std::vector<std::function<void(const QString &)>> subscribers;
    {
        std::lock_guard lock(m_subscribersMutex);
        subscribers = m_subscribers;
    }
    if (subscribers.empty())
        return;
    m_notifier->post([subscribers = std::move(subscribers), key] {
        for (const auto &onChange : subscribers)
            onChange(key);
    });
}

}  // namespace mutt::queue
