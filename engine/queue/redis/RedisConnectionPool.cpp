#include "queue/redis/RedisConnectionPool.h"

#include "core/Log.h"
#include "queue/redis/RedisBackoff.h"
#include "queue/redis/RedisSentinel.h"
#include "queue/redis/RedisSentinelWatch.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>

namespace mutt::queue {

QString RedisHealth::describe() const
{
    if (connected)
        return QStringLiteral("redis: connected to %1").arg(target);
    const QString since = unavailableSinceMs > 0
        ? QDateTime::fromMSecsSinceEpoch(unavailableSinceMs, Qt::UTC).toString(Qt::ISODateWithMs)
        : QStringLiteral("start");
    return QStringLiteral("redis: unavailable since %1, last error %2; reconnecting to %3")
        .arg(since, lastError.isEmpty() ? QStringLiteral("none") : lastError, target);
}

RedisConnectionPool::RedisConnectionPool(RedisOptions options)
    : m_options(std::move(options))
    , m_maxBlocking(std::max(1, m_options.maxConnections - 2))
{
    m_health.target = m_options.describe();
}

RedisConnectionPool::~RedisConnectionPool()
{
    shutdown(QStringLiteral("redis store closed"));
}

void RedisConnectionPool::start()
{
    m_commandRetry = new QTimer(this);
    m_commandRetry->setSingleShot(true);
    connect(m_commandRetry, &QTimer::timeout, this, &RedisConnectionPool::openCommand);
    m_subscriberRetry = new QTimer(this);
    m_subscriberRetry->setSingleShot(true);
    connect(m_subscriberRetry, &QTimer::timeout, this, &RedisConnectionPool::openSubscriber);

    m_command = new RedisConnection(RedisConnection::Kind::Command, m_options, this);
    connect(m_command, &RedisConnection::ready, this, [this] {
        m_commandAttempts = 0;
        m_hasMoveCommands = m_command->hasMoveCommands();
        m_hasExpireFlags = m_command->hasExpireFlags();
        setHealth(true, {});
        log::get("redis")->info("redis connected endpoint={} db={} tls={} blmove={} expire_nx={}",
            m_command->endpoint().toString(), m_options.db, m_options.tls, m_command->hasMoveCommands(),
            m_command->hasExpireFlags());
    });
    connect(m_command, &RedisConnection::lost, this, &RedisConnectionPool::onCommandLost);
    openCommand();

    if (m_options.usesSentinel()) {
        m_watch = new RedisSentinelWatch(m_options, this);
        connect(m_watch, &RedisSentinelWatch::masterAnnounced, this, &RedisConnectionPool::onMasterAnnounced);
        m_watch->start();
    }
}

void RedisConnectionPool::sendCommand(QList<RedisCommand> commands, RedisConnection::Done done)
{
    if (m_command == nullptr || m_command->state() == RedisConnection::State::Closed) {
        done(makeError(ErrorCode::Unavailable, health().describe()));
        return;
    }
    m_command->send(std::move(commands), std::move(done));
}

void RedisConnectionPool::sendBlocking(
    QList<RedisCommand> commands, RedisConnection::Done done, std::chrono::milliseconds wait)
{
    if (m_shutdown) {
        done(makeError(ErrorCode::Unavailable, QStringLiteral("redis store closed")));
        return;
    }
    Waiting request {std::move(commands), std::move(done), wait};
    if (!m_idleBlocking.empty()) {
        RedisConnection *connection = m_idleBlocking.back();
        m_idleBlocking.pop_back();
        runBlocking(connection, std::move(request));
        return;
    }
    if (m_blockingCount >= m_maxBlocking) {
        // Every blocking connection waits for items: this claim starts when one returns.
        m_waiting.push_back(std::move(request));
        return;
    }
    Result<RedisConnection *> created = newBlocking();
    if (!created) {
        request.done(created.error());
        return;
    }
    runBlocking(created.value(), std::move(request));
}

void RedisConnectionPool::subscribe(
    const QByteArray &channel, RedisConnection::Message onMessage, std::function<void()> subscribed)
{
    if (m_subscriber != nullptr) {
        if (m_subscriber->state() == RedisConnection::State::Ready)
            subscribed();
        else
            m_subscribeWaiters.push_back(std::move(subscribed));
        return;
    }
    m_subscribeWaiters.push_back(std::move(subscribed));
    m_subscriber = new RedisConnection(RedisConnection::Kind::Subscriber, m_options, this);
    m_subscriber->setSubscription(channel, std::move(onMessage));
    connect(m_subscriber, &RedisConnection::ready, this, [this] {
        m_subscriberAttempts = 0;
        log::get("redis")->info("redis subscriber connected endpoint={}", m_subscriber->endpoint().toString());
        std::vector<std::function<void()>> waiters = std::move(m_subscribeWaiters);
        m_subscribeWaiters.clear();
        for (const auto &waiter : waiters)
            waiter();
    });
    connect(m_subscriber, &RedisConnection::lost, this, [this](const QString &reason) {
        log::get("redis")->warn("redis subscriber lost reason={}; resubscribing", reason);
        m_master.reset();
        m_subscriberRetry->start(backoff(m_subscriberAttempts++));
    });
    openSubscriber();
}

void RedisConnectionPool::shutdown(const QString &reason)
{
    if (m_shutdown)
        return;
    m_shutdown = true;
    if (m_commandRetry)
        m_commandRetry->stop();
    if (m_subscriberRetry)
        m_subscriberRetry->stop();
    if (m_watch)
        m_watch->stop();
    std::deque<Waiting> waiting = std::move(m_waiting);
    m_waiting.clear();
    for (Waiting &request : waiting)
        request.done(makeError(ErrorCode::Unavailable, reason));
    for (RedisConnection *connection : findChildren<RedisConnection *>(Qt::FindDirectChildrenOnly))
        connection->close(reason);
}

RedisHealth RedisConnectionPool::health() const
{
    std::lock_guard lock(m_healthMutex);
    return m_health;
}

Result<RedisEndpoint> RedisConnectionPool::resolve()
{
    if (!m_options.usesSentinel())
        return RedisEndpoint {m_options.host, m_options.port};
    if (m_master)
        return *m_master;
    Result<RedisEndpoint> master = RedisSentinel::discover(m_options);
    if (master)
        m_master = master.value();
    return master;
}

void RedisConnectionPool::openCommand()
{
    if (m_shutdown || m_command->state() != RedisConnection::State::Closed)
        return;
    Result<RedisEndpoint> endpoint = resolve();
    if (!endpoint) {
        onCommandLost(endpoint.error().message);
        return;
    }
    {
        std::lock_guard lock(m_healthMutex);
        m_health.target = endpoint.value().toString();
    }
    m_command->open(endpoint.value());
}

void RedisConnectionPool::onCommandLost(const QString &reason)
{
    m_master.reset();
    setHealth(false, reason);
    if (m_shutdown)
        return;
    const std::chrono::milliseconds delay = backoff(m_commandAttempts++);
    log::get("redis")->warn(
        "redis connection lost reason={}; reconnecting in {} ms attempt={}", reason, delay.count(), m_commandAttempts);
    m_commandRetry->start(delay);
}

void RedisConnectionPool::openSubscriber()
{
    if (m_shutdown || m_subscriber->state() != RedisConnection::State::Closed)
        return;
    Result<RedisEndpoint> endpoint = resolve();
    if (!endpoint) {
        m_subscriberRetry->start(backoff(m_subscriberAttempts++));
        return;
    }
    m_subscriber->open(endpoint.value());
}

std::chrono::milliseconds RedisConnectionPool::backoff(int attempt) const
{
    return redisBackoff(m_options, attempt);
}

// A Sentinel named the master. When it is not the server the connections
// use, they all move. The command and subscriber connections reconnect at
// once: batches sent to the old master fail with Unavailable, and batches
// sent while reconnecting wait for the new one. Blocking connections are
// closed, so their claims fail and are retried on new connections.
void RedisConnectionPool::onMasterAnnounced(const RedisEndpoint &master, const QString &source)
{
    if (m_shutdown || m_command == nullptr)
        return;
    m_master = master;

    std::vector<RedisConnection *> stale;
    for (RedisConnection *connection : findChildren<RedisConnection *>(Qt::FindDirectChildrenOnly)) {
        const bool used = connection == m_command || connection == m_subscriber
            || connection->state() != RedisConnection::State::Closed;
        if (used && connection->endpoint() != master)
            stale.push_back(connection);
    }
    if (stale.empty())
        return;

    log::get("redis")->warn("redis master moved from={} to={} source={}; moving {} connections",
        m_command->endpoint().toString(), master.toString(), source, stale.size());
    const QString reason = QStringLiteral("redis master moved to %1").arg(master.toString());
    for (RedisConnection *connection : stale) {
        if (connection == m_command) {
            m_command->close(reason);
            m_commandRetry->stop();
            m_commandAttempts = 0;
            openCommand();
        } else if (connection == m_subscriber) {
            m_subscriber->close(reason);
            m_subscriberRetry->stop();
            m_subscriberAttempts = 0;
            openSubscriber();
        } else if (const auto idle = std::find(m_idleBlocking.begin(), m_idleBlocking.end(), connection);
                   idle != m_idleBlocking.end()) {
            m_idleBlocking.erase(idle);
            dropBlocking(connection);
        } else {
            // A claim is waiting on it: the claim fails, and releaseBlocking()
            // drops the closed connection.
            connection->close(reason);
        }
    }
}

Result<RedisConnection *> RedisConnectionPool::newBlocking()
{
    Result<RedisEndpoint> endpoint = resolve();
    if (!endpoint)
        return endpoint.error();
    auto *connection = new RedisConnection(RedisConnection::Kind::Blocking, m_options, this);
    ++m_blockingCount;
    connect(connection, &RedisConnection::lost, this, [this, connection](const QString &) {
        const auto idle = std::find(m_idleBlocking.begin(), m_idleBlocking.end(), connection);
        if (idle != m_idleBlocking.end()) {
            m_idleBlocking.erase(idle);
            dropBlocking(connection);
        }
    });
    connection->open(endpoint.value());
    return connection;
}

void RedisConnectionPool::runBlocking(RedisConnection *connection, Waiting request)
{
    connection->send(
        std::move(request.commands),
        [this, connection, done = std::move(request.done)](RedisConnection::Replies replies) {
            done(std::move(replies));
            // Release after the caller has its result, so the connection may
            // take the next waiting claim at once.
            QMetaObject::invokeMethod(
                this, [this, connection] { releaseBlocking(connection); }, Qt::QueuedConnection);
        },
        request.wait);
}

void RedisConnectionPool::releaseBlocking(RedisConnection *connection)
{
    if (connection->state() != RedisConnection::State::Ready || m_shutdown) {
        dropBlocking(connection);
        return;
    }
    if (!m_waiting.empty()) {
        Waiting next = std::move(m_waiting.front());
        m_waiting.pop_front();
        runBlocking(connection, std::move(next));
        return;
    }
    m_idleBlocking.push_back(connection);
}

void RedisConnectionPool::dropBlocking(RedisConnection *connection)
{
    --m_blockingCount;
    connection->close(QStringLiteral("redis blocking connection dropped"));
    connection->deleteLater();
    if (m_shutdown || m_waiting.empty())
        return;
    Waiting next = std::move(m_waiting.front());
    m_waiting.pop_front();
    Result<RedisConnection *> created = newBlocking();
    if (!created) {
        next.done(created.error());
        return;
    }
    runBlocking(created.value(), std::move(next));
}

void RedisConnectionPool::setHealth(bool connected, const QString &error)
{
    std::lock_guard lock(m_healthMutex);
    if (connected) {
        m_health.connected = true;
        m_health.unavailableSinceMs = 0;
        return;
    }
    if (m_health.connected || m_health.unavailableSinceMs == 0)
        m_health.unavailableSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_health.connected = false;
    m_health.lastError = error;
}

}  // namespace mutt::queue
