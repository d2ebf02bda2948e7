#pragma once

#include "core/Result.h"
#include "queue/redis/RedisConnection.h"
#include "queue/redis/RedisEndpoint.h"
#include "queue/redis/RedisOptions.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

class QTimer;

namespace mutt::queue {

class RedisSentinelWatch;

// Connection state shown by /health and in error messages.
struct RedisHealth {
    bool connected = false;
    qint64 unavailableSinceMs = 0;  // when the command connection was lost (0 while connected)
    QString lastError;
    QString target;  // host:port of the master in use, or the configured address

    // "redis: unavailable since <time>, last error <reason>".
    [[nodiscard]] QString describe() const;
};

// The connections of one Redis store, on its I/O thread. Every method but
// health() and hasMoveCommands() must run there. The pool has one pipelined
// command connection, reconnected with exponential backoff and jitter, and a
// subscriber connection for pub/sub, resubscribed after each reconnect.
// Blocking connections for BLMOVE claims are created on demand up to the pool size.
// With Sentinel a RedisSentinelWatch reports the master; when it names
// another server, every connection moves there at once.
class RedisConnectionPool final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisConnectionPool)

public:
    explicit RedisConnectionPool(RedisOptions options);
    ~RedisConnectionPool() override;

    void start();
    void sendCommand(QList<RedisCommand> commands, RedisConnection::Done done);
    void sendBlocking(QList<RedisCommand> commands, RedisConnection::Done done, std::chrono::milliseconds wait);
    // Subscribes the subscriber connection to `channel`; `subscribed` runs
    // once the first SUBSCRIBE is confirmed.
    void subscribe(const QByteArray &channel, RedisConnection::Message onMessage, std::function<void()> subscribed);
    void shutdown(const QString &reason);

    [[nodiscard]] RedisHealth health() const;
    [[nodiscard]] bool hasMoveCommands() const { return m_hasMoveCommands.load(); }
    [[nodiscard]] bool hasExpireFlags() const { return m_hasExpireFlags.load(); }

private:
    struct Waiting {
        QList<RedisCommand> commands;
        RedisConnection::Done done;
        std::chrono::milliseconds wait;
    };

    Result<RedisEndpoint> resolve();
    void openCommand();
    void onCommandLost(const QString &reason);
    void openSubscriber();
    std::chrono::milliseconds backoff(int attempt) const;
    void onMasterAnnounced(const RedisEndpoint &master, const QString &source);

    Result<RedisConnection *> newBlocking();
    void runBlocking(RedisConnection *connection, Waiting request);
    void releaseBlocking(RedisConnection *connection);
    void dropBlocking(RedisConnection *connection);
    void setHealth(bool connected, const QString &error);

    const RedisOptions m_options;
    const int m_maxBlocking;
    bool m_shutdown = false;
    std::optional<RedisEndpoint> m_master;
    RedisSentinelWatch *m_watch = nullptr;

    RedisConnection *m_command = nullptr;
    QTimer *m_commandRetry = nullptr;
    int m_commandAttempts = 0;

    RedisConnection *m_subscriber = nullptr;
    QTimer *m_subscriberRetry = nullptr;
    int m_subscriberAttempts = 0;
    std::vector<std::function<void()>> m_subscribeWaiters;

    std::vector<RedisConnection *> m_idleBlocking;
    int m_blockingCount = 0;
    std::deque<Waiting> m_waiting;

    std::atomic<bool> m_hasMoveCommands {true};
    std::atomic<bool> m_hasExpireFlags {false};
    mutable std::mutex m_healthMutex;
    RedisHealth m_health;  // guarded by m_healthMutex
};

}  // namespace mutt::queue
