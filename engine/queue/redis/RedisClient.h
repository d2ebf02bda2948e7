#pragma once

#include "core/Result.h"
#include "queue/redis/RedisConnection.h"
#include "queue/redis/RedisConnectionPool.h"
#include "queue/redis/RedisOptions.h"
#include "queue/redis/RedisReply.h"
#include "queue/redis/RedisScript.h"

#include <QByteArray>
#include <QList>
#include <QThread>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace mutt::queue {

// The thread-safe face of the Redis connections. It owns the I/O thread
// (an event loop running the RedisConnectionPool) and a callback thread on
// which asynchronous completions and pub/sub messages run, so callbacks may
// call the blocking methods. Blocking methods post to the I/O thread and wait;
// called on the I/O thread itself they spin a local event loop instead of
// deadlocking.
class RedisClient final {
public:
    using Replies = RedisConnection::Replies;

    // Starts the threads and connects; fails when the first connect fails.
    static Result<std::unique_ptr<RedisClient>> open(const RedisOptions &options);
    // Waits for the replies of every command already sent, then closes.
    ~RedisClient();

    RedisClient(const RedisClient &) = delete;
    RedisClient &operator=(const RedisClient &) = delete;

    // One pipelined batch on the command connection; replies in order.
    Replies run(QList<RedisCommand> commands);
    Result<RedisReply> run(RedisCommand command);
    // The thread on which runAsync() calls `done`.
    enum class Completion {
        CallbackThread,  // may call the blocking methods
        IoThread,  // saves a hand-over, but must not block (see QueueStore::applyAsyncDirect)
    };
    // As run(), but returns at once and calls `done` on the thread `completion` selects.
    void runAsync(QList<RedisCommand> commands, std::function<void(Replies)> done,
        Completion completion = Completion::CallbackThread);
    // A batch on a blocking connection of the pool (BLMOVE and what follows it).
    Replies runBlocking(QList<RedisCommand> commands, std::chrono::milliseconds wait);
    // EVALSHA, then EVAL when the server does not know the script.
    Result<RedisReply> eval(const RedisScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &args);
    // As eval(), with `after` behind the script in the same pipeline: the
    // script's reply first, then one reply per command of `after`.
    Replies evalThen(const RedisScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &args,
        const QList<RedisCommand> &after);

    // Runs `task` on the callback thread.
    void postCallback(std::function<void()> task);

    // Subscribes to `channel`; `onMessage` runs on the callback thread.
    // Waits (up to the connect timeout) until Redis confirms.
    Status subscribe(const QByteArray &channel, std::function<void(const QByteArray &payload)> onMessage);

    [[nodiscard]] RedisHealth health() const { return m_pool->health(); }
    [[nodiscard]] bool hasMoveCommands() const { return m_pool->hasMoveCommands(); }
    [[nodiscard]] bool hasExpireFlags() const { return m_pool->hasExpireFlags(); }
    [[nodiscard]] const RedisOptions &options() const { return m_options; }

private:
    explicit RedisClient(RedisOptions options);

    // Runs `start` on the I/O thread and waits for the Done it is given.
    Replies call(std::function<void(RedisConnection::Done)> start);
    // Posts `task` to the I/O thread; false once the client is closing.
    bool post(std::function<void()> task);

    RedisOptions m_options;
    QThread m_ioThread;
    QThread m_callbackThread;
    RedisConnectionPool *m_pool = nullptr;  // lives on m_ioThread
    QObject *m_callbackContext = nullptr;  // lives on m_callbackThread

    std::mutex m_closeMutex;
    bool m_closing = false;  // guarded by m_closeMutex
};

}  // namespace mutt::queue
