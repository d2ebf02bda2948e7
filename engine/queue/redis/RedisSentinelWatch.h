#pragma once

#include "queue/redis/RedisEndpoint.h"
#include "queue/redis/RedisOptions.h"

#include <QObject>
#include <QString>

#include <vector>

class QTimer;

namespace mutt::queue {

class RedisConnection;

// Follows the master of REDIS_SENTINEL_MASTER without blocking, on the
// store's I/O thread. Every configured Sentinel gets a connection subscribed
// to +switch-master, reopened with backoff when it breaks. A second
// connection sends get-master-addr-by-name to one Sentinel about once a
// second, in case an announcement is missed, and moves on to the next
// Sentinel when one fails. masterAnnounced() is emitted for every reply,
// changed or not, and the pool decides whether anything moves.
class RedisSentinelWatch final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisSentinelWatch)

public:
    RedisSentinelWatch(const RedisOptions &options, QObject *parent);
    ~RedisSentinelWatch() override;

    void start();
    void stop();

signals:
    void masterAnnounced(const mutt::queue::RedisEndpoint &master, const QString &source);

private:
    struct Listener {
        RedisEndpoint sentinel;
        RedisConnection *connection = nullptr;
        QTimer *retry = nullptr;
        int attempts = 0;
    };

    void openListener(Listener &listener);
    void poll();

    const RedisOptions m_options;
    bool m_stopped = false;
    std::vector<Listener> m_listeners;
    RedisConnection *m_poller = nullptr;
    QTimer *m_pollTimer = nullptr;
    qsizetype m_pollIndex = 0;
    bool m_pollBusy = false;
};

}  // namespace mutt::queue
