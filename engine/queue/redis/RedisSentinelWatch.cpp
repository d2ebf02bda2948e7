#include "queue/redis/RedisSentinelWatch.h"

#include "core/Log.h"
#include "queue/redis/RedisBackoff.h"
#include "queue/redis/RedisConnection.h"
#include "queue/redis/RedisSentinel.h"

#include <QTimer>

namespace mutt::queue {
namespace {

constexpr std::chrono::milliseconds kPollInterval {1000};
constexpr char kSwitchChannel[] = "+switch-master";

}  // namespace

RedisSentinelWatch::RedisSentinelWatch(const RedisOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
}

RedisSentinelWatch::~RedisSentinelWatch()
{
    stop();
}

void RedisSentinelWatch::start()
{
    m_listeners.reserve(size_t(m_options.sentinels.size()));
    for (const auto &[host, port] : m_options.sentinels) {
        Listener listener;
        listener.sentinel = RedisEndpoint {host, port};
        listener.connection = new RedisConnection(RedisConnection::Kind::Sentinel, m_options, this);
        listener.retry = new QTimer(this);
        listener.retry->setSingleShot(true);
        m_listeners.push_back(listener);
    }
    for (size_t i = 0; i < m_listeners.size(); ++i) {
        Listener &listener = m_listeners[i];
        const QString where = listener.sentinel.toString();
        listener.connection->setSubscription(
            QByteArray(kSwitchChannel), [this, where](const QByteArray &, const QByteArray &payload) {
                const std::optional<RedisEndpoint> master
                    = RedisSentinel::parseSwitchMaster(payload, m_options.sentinelMaster);
                if (!master)
                    return;
                log::get("redis")->info("sentinel announced a new master sentinel={} master_name={} master={}", where,
                    m_options.sentinelMaster, master->toString());
                emit masterAnnounced(*master, QStringLiteral("+switch-master from ") + where);
            });
        connect(listener.connection, &RedisConnection::ready, this, [this, i] { m_listeners[i].attempts = 0; });
        connect(listener.connection, &RedisConnection::lost, this, [this, i](const QString &reason) {
            Listener &lost = m_listeners[i];
            const std::chrono::milliseconds delay = redisBackoff(m_options, lost.attempts++);
            log::get("redis")->warn("sentinel subscription lost sentinel={} reason={}; reconnecting in {} ms",
                lost.sentinel.toString(), reason, delay.count());
            if (!m_stopped)
                lost.retry->start(delay);
        });
        connect(listener.retry, &QTimer::timeout, this, [this, i] { openListener(m_listeners[i]); });
        openListener(listener);
    }

    m_poller = new RedisConnection(RedisConnection::Kind::Sentinel, m_options, this);
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(kPollInterval);
    connect(m_pollTimer, &QTimer::timeout, this, &RedisSentinelWatch::poll);
    m_pollTimer->start();
}

void RedisSentinelWatch::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_pollTimer)
        m_pollTimer->stop();
    for (Listener &listener : m_listeners) {
        listener.retry->stop();
        listener.connection->close(QStringLiteral("sentinel watch stopped"));
    }
    if (m_poller)
        m_poller->close(QStringLiteral("sentinel watch stopped"));
}

void RedisSentinelWatch::openListener(Listener &listener)
{
    if (m_stopped || listener.connection->state() != RedisConnection::State::Closed)
        return;
    listener.connection->open(listener.sentinel);
}

void RedisSentinelWatch::poll()
{
    if (m_stopped || m_pollBusy || m_options.sentinels.isEmpty())
        return;
    const auto &[host, port] = m_options.sentinels.at(m_pollIndex % m_options.sentinels.size());
    const RedisEndpoint sentinel {host, port};
    if (m_poller->state() == RedisConnection::State::Closed)
        m_poller->open(sentinel);
    m_pollBusy = true;
    m_poller->send({RedisCommand {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("get-master-addr-by-name"),
                       m_options.sentinelMaster.toUtf8()}},
        [this, sentinel](RedisConnection::Replies replies) {
            m_pollBusy = false;
            Result<RedisEndpoint> master = replies ? RedisSentinel::parseMasterAddress(replies.value().constFirst())
                                                   : Result<RedisEndpoint>(replies.error());
            if (!master) {
                // The next poll goes to the next Sentinel.
                log::get("redis")->debug(
                    "sentinel poll failed sentinel={} reason={}", sentinel.toString(), master.error().message);
                m_poller->close(QStringLiteral("sentinel poll failed"));
                ++m_pollIndex;
                return;
            }
            emit masterAnnounced(master.value(), QStringLiteral("get-master-addr-by-name from ") + sentinel.toString());
        });
}

}  // namespace mutt::queue
