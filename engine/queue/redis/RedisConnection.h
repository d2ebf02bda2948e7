#pragma once

#include "core/Result.h"
#include "queue/redis/RedisEndpoint.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReply.h"
#include "queue/redis/RedisReplyReader.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

class QTcpSocket;
class QTimer;

namespace mutt::queue {

// One connection to a Redis server, living on the store's I/O thread (all
// methods must be called there). Batches of commands are pipelined: written
// at once, many batches in flight, replies matched in order. After the TCP
// (or TLS) connect it authenticates with the first accepted password,
// selects the database and, for Sentinel, checks that the server is a
// master. A Sentinel connection talks to a Sentinel itself: no AUTH, SELECT
// or ROLE, only the optional subscription. When the connection fails, every batch without a reply fails with
// Unavailable and lost() is emitted. A batch is never re-sent, so it is never
// duplicated. The owner decides whether to reconnect.
class RedisConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisConnection)

public:
    enum class Kind { Command, Blocking, Subscriber, Sentinel };
    enum class State { Closed, Connecting, Ready };

    using Replies = Result<QList<RedisReply>>;
    using Done = std::function<void(Replies)>;
    using Message = std::function<void(const QByteArray &channel, const QByteArray &payload)>;

    RedisConnection(Kind kind, const RedisOptions &options, QObject *parent);
    ~RedisConnection() override;

    // Starts connecting to `endpoint`; ready() or lost() follows.
    void open(const RedisEndpoint &endpoint);
    // Fails every pending batch with `reason` and disconnects (no lost()).
    void close(const QString &reason);

    // Sends a batch: at once when ready, after the handshake while
    // connecting, and fails at once with Unavailable when closed.
    // `extraTimeout` lengthens the reply timeout (blocking commands).
    void send(QList<RedisCommand> commands, Done done, std::chrono::milliseconds extraTimeout = {});

    // Subscriber and Sentinel connections: the channel subscribed at every
    // handshake and the handler of its messages.
    void setSubscription(const QByteArray &channel, Message onMessage);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] RedisEndpoint endpoint() const { return m_endpoint; }
    [[nodiscard]] bool idle() const { return m_inFlight.empty() && m_queued.empty(); }
    // False when the server lacks LMOVE/BLMOVE (Redis < 6.2): known after ready().
    [[nodiscard]] bool hasMoveCommands() const { return m_hasMoveCommands; }
    // EXPIRE key seconds NX (Redis 7.0 and later).
    [[nodiscard]] bool hasExpireFlags() const { return m_hasExpireFlags; }

signals:
    void ready();
    void lost(const QString &reason);

private:
    struct Pending {
        int expected = 0;
        QList<RedisReply> replies;
        Done done;
        std::chrono::steady_clock::time_point deadline;
    };
    struct Queued {
        QList<RedisCommand> commands;
        Done done;
        std::chrono::milliseconds extraTimeout;
    };

    void onConnected();
    void onReadyRead();
    void onSocketError(const QString &reason);
    void onWatchdog();

    void write(const QList<RedisCommand> &commands, Done done, std::chrono::milliseconds extraTimeout);
    void deliver(RedisReply reply);
    void fail(const QString &reason, bool notify);

    void handshake();
    void authenticate(QStringList passwords, int index);
    void selectAndCheck();
    void subscribeOrReady();
    void becomeReady();

    const Kind m_kind;
    const RedisOptions m_options;
    State m_state = State::Closed;
    RedisEndpoint m_endpoint;
    QPointer<QTcpSocket> m_socket;
    std::unique_ptr<RedisReplyReader> m_reader;
    QTimer *m_watchdog = nullptr;
    std::chrono::steady_clock::time_point m_connectDeadline;

    std::deque<Pending> m_inFlight;
    std::deque<Queued> m_queued;
    bool m_hasMoveCommands = true;
    bool m_hasExpireFlags = false;

    QByteArray m_channel;
    Message m_onMessage;
};

}  // namespace mutt::queue
