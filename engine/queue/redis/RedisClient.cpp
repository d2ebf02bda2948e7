#include "queue/redis/RedisClient.h"

#include "core/Log.h"

#include <QEventLoop>

#include <condition_variable>
#include <optional>

namespace mutt::queue {
namespace {

// The result of a call made from another thread, handed over once.
struct Waiter {
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<RedisConnection::Replies> result;
};

}  // namespace

Result<std::unique_ptr<RedisClient>> RedisClient::open(const RedisOptions &options)
{
    std::unique_ptr<RedisClient> client(new RedisClient(options));
    Result<RedisReply> pong = client->run(RedisCommand {QByteArrayLiteral("PING")});
    if (!pong)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot connect to redis (%1): %2").arg(options.describe(), pong.error().message));
    if (pong.value().isError())
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("redis (%1) refused PING: %2")
                .arg(options.describe(), QString::fromUtf8(pong.value().text)));
    return client;
}

RedisClient::RedisClient(RedisOptions options) : m_options(std::move(options))
{
    m_ioThread.setObjectName(QStringLiteral("redis-io"));
    m_callbackThread.setObjectName(QStringLiteral("redis-callbacks"));
    m_pool = new RedisConnectionPool(m_options);
    m_pool->moveToThread(&m_ioThread);
    m_callbackContext = new QObject();
    m_callbackContext->moveToThread(&m_callbackThread);
    m_ioThread.start();
    m_callbackThread.start();
    post([pool = m_pool] { pool->start(); });
}

RedisClient::~RedisClient()
{
    // Replies come in order: once this PING has its reply, every batch sent
    // before it (applyAsync) has its answer and its callback is queued.
    const Replies drained = run(QList<RedisCommand> {RedisCommand {QByteArrayLiteral("PING")}});
    if (!drained)
        log::get("redis")->warn("closing redis store while disconnected reason={}", drained.error().message);
    {
        std::lock_guard lock(m_closeMutex);
        m_closing = true;
    }
    QMetaObject::invokeMethod(
        m_pool, [pool = m_pool] { delete pool; }, Qt::BlockingQueuedConnection);
    m_ioThread.quit();
    m_ioThread.wait();
    QMetaObject::invokeMethod(m_callbackContext, [this] {
        delete m_callbackContext;
        m_callbackThread.quit();
    });
    m_callbackThread.wait();
}

RedisClient::Replies RedisClient::run(QList<RedisCommand> commands)
{
    return call([this, commands = std::move(commands)](
                    RedisConnection::Done done) mutable { m_pool->sendCommand(std::move(commands), std::move(done)); });
}

Result<RedisReply> RedisClient::run(RedisCommand command)
{
    Replies replies = run(QList<RedisCommand> {std::move(command)});
    if (!replies)
        return replies.error();
    return replies.value().constFirst();
}

void RedisClient::runAsync(QList<RedisCommand> commands, std::function<void(Replies)> done, Completion completion)
{
    auto complete = [this, done](Replies replies) {
        if (done)
            postCallback([done, replies = std::move(replies)] { done(replies); });
    };
    // The connection calls its Done on the I/O thread, so IoThread hands `done` over as it is.
    RedisConnection::Done onReplies
        = completion == Completion::IoThread ? RedisConnection::Done(done) : RedisConnection::Done(complete);
    const bool posted = post([this, commands = std::move(commands), onReplies = std::move(onReplies)]() mutable {
        m_pool->sendCommand(std::move(commands), std::move(onReplies));
    });
    if (!posted)
        complete(makeError(ErrorCode::Unavailable, QStringLiteral("redis store closed")));
}

RedisClient::Replies RedisClient::runBlocking(QList<RedisCommand> commands, std::chrono::milliseconds wait)
{
    return call([this, commands = std::move(commands), wait](RedisConnection::Done done) mutable {
        m_pool->sendBlocking(std::move(commands), std::move(done), wait);
    });
}

Result<RedisReply> RedisClient::eval(
    const RedisScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &args)
{
    Replies replies = evalThen(script, keys, args, {});
    if (!replies)
        return replies.error();
    if (replies.value().isEmpty())
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis returned no reply to a script"));
    return replies.value().constFirst();
}

RedisClient::Replies RedisClient::evalThen(const RedisScript &script, const QList<QByteArray> &keys,
    const QList<QByteArray> &args, const QList<RedisCommand> &after)
{
    RedisCommand command {QByteArrayLiteral("EVALSHA"), script.sha1, QByteArray::number(keys.size())};
    command += keys;
    command += args;
    Replies replies = run(QList<RedisCommand> {command} + after);
    if (!replies || replies.value().isEmpty() || !replies.value().constFirst().isError("NOSCRIPT"))
        return replies;

    command[0] = QByteArrayLiteral("EVAL");
    command[1] = script.source;
    return run(QList<RedisCommand> {command} + after);
}

Status RedisClient::subscribe(const QByteArray &channel, std::function<void(const QByteArray &payload)> onMessage)
{
    auto handler = [this, onMessage = std::move(onMessage)](const QByteArray &, const QByteArray &payload) {
        postCallback([onMessage, payload] { onMessage(payload); });
    };
    auto waiter = std::make_shared<Waiter>();
    const bool posted = post([this, channel, handler, waiter] {
        m_pool->subscribe(channel, handler, [waiter] {
            std::lock_guard lock(waiter->mutex);
            waiter->result = QList<RedisReply>();
            waiter->ready.notify_all();
        });
    });
    if (!posted)
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis store closed"));

    std::unique_lock lock(waiter->mutex);
    if (!waiter->ready.wait_for(lock, m_options.connectTimeout, [&] { return waiter->result.has_value(); }))
        return makeError(ErrorCode::Timeout,
            QStringLiteral("redis did not confirm SUBSCRIBE %1 within %2 ms; it is retried in the background")
                .arg(QString::fromUtf8(channel))
                .arg(m_options.connectTimeout.count()));
    return {};
}

RedisClient::Replies RedisClient::call(std::function<void(RedisConnection::Done)> start)
{
    if (QThread::currentThread() == &m_ioThread) {
        std::optional<Replies> result;
        QEventLoop loop;
        start([&](Replies replies) {
            result = std::move(replies);
            loop.quit();
        });
        if (!result)
            loop.exec();
        return std::move(*result);
    }

    auto waiter = std::make_shared<Waiter>();
    const bool posted = post([start = std::move(start), waiter] {
        start([waiter](Replies replies) {
            std::lock_guard lock(waiter->mutex);
            waiter->result = std::move(replies);
            waiter->ready.notify_all();
        });
    });
    if (!posted)
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis store closed"));
    std::unique_lock lock(waiter->mutex);
    waiter->ready.wait(lock, [&] { return waiter->result.has_value(); });
    return std::move(*waiter->result);
}

bool RedisClient::post(std::function<void()> task)
{
    std::lock_guard lock(m_closeMutex);
    if (m_closing)
        return false;
    QMetaObject::invokeMethod(m_pool, std::move(task), Qt::QueuedConnection);
    return true;
}

void RedisClient::postCallback(std::function<void()> task)
{
    QMetaObject::invokeMethod(m_callbackContext, std::move(task), Qt::QueuedConnection);
}

}  // namespace mutt::queue
