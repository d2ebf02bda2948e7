#include "queue/redis/RedisStore.h"

#include "core/Log.h"
#include "queue/QueueNames.h"
#include "queue/StoreArguments.h"
#include "queue/redis/RedisCircuit.h"
#include "queue/redis/RedisClient.h"
#include "queue/redis/RedisScripts.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace mutt::queue {
namespace {

// Items moved per script call by the janitor, so one huge list never blocks
// Redis for long; the loop continues until the list is empty.
constexpr int kMoveBatch = 1000;
constexpr int kScanCount = 1000;

QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

Error replyError(const QString &what, const RedisReply &reply)
{
    const ErrorCode code = reply.isError("WRONGTYPE") ? ErrorCode::Conflict : ErrorCode::Unavailable;
    return makeError(code, QStringLiteral("redis %1 failed: %2").arg(what, QString::fromUtf8(reply.text)));
}

// SCAN MATCH treats * ? [ ] and \ as pattern characters.
QByteArray globEscape(const QString &prefix)
{
    QByteArray out;
    for (char c : prefix.toUtf8()) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

RedisCommand commandOf(const Op &op)
{
    const QByteArray key = utf8(op.key);
    switch (op.kind) {
    case Op::Kind::PushHead: return RedisCommand {QByteArrayLiteral("LPUSH"), key} + op.items;
    case Op::Kind::PushTail: return RedisCommand {QByteArrayLiteral("RPUSH"), key} + op.items;
    case Op::Kind::Remove:
        return {
            QByteArrayLiteral("LREM"), key, op.value < 0 ? QByteArrayLiteral("-1") : QByteArrayLiteral("1"), op.item};
    case Op::Kind::Schedule: return {QByteArrayLiteral("ZADD"), key, QByteArray::number(op.value), op.item};
    case Op::Kind::Trim:
        if (op.value == 0)
            return {QByteArrayLiteral("DEL"), key};
        return {QByteArrayLiteral("LTRIM"), key, QByteArrayLiteral("0"), QByteArray::number(op.value - 1)};
    case Op::Kind::Increment: {
        // The full script, not EVALSHA: a NOSCRIPT inside EXEC would apply
        // the other commands of the batch without this one.
        const RedisScript &script = RedisScripts::increment();
        return {QByteArrayLiteral("EVAL"), script.source, QByteArrayLiteral("1"), key, QByteArray::number(op.value),
            QByteArray::number(op.ttlSeconds)};
    }
    }
    return {};
}

// Appends the commands of one op: one, or two for an increment with a TTL on Redis 7.
void appendCommands(QList<RedisCommand> &commands, const Op &op, bool expireFlags)
{
    if (op.kind == Op::Kind::Increment && (op.ttlSeconds <= 0 || expireFlags)) {
        // INCRBY keeps an expiry, and EXPIRE ... NX sets one only where the
        // key has none. Together they do what the increment script does.
        const QByteArray key = utf8(op.key);
        commands.append({QByteArrayLiteral("INCRBY"), key, QByteArray::number(op.value)});
        if (op.ttlSeconds > 0)
            commands.append(
                {QByteArrayLiteral("EXPIRE"), key, QByteArray::number(op.ttlSeconds), QByteArrayLiteral("NX")});
        return;
    }
    commands.append(commandOf(op));
}

Result<QList<RedisCommand>> transactionOf(const QList<Op> &ops, bool expireFlags)
{
    if (Status valid = validateOps(ops); !valid)
        return valid.error();

    QList<RedisCommand> commands {{QByteArrayLiteral("MULTI")}};
    for (const Op &op : ops)
        appendCommands(commands, op, expireFlags);
    commands.append({QByteArrayLiteral("EXEC")});
    return commands;
}

// The verdict on a MULTI/EXEC batch; `ack` first strips and judges the WAIT
// reply behind EXEC. A failed EXEC wins over a missing acknowledgement.
Status transactionStatus(RedisClient::Replies replies, const RedisReplicaAck &ack = {})
{
    const Status acknowledged = ack.take(replies);
    if (!replies)
        return replies.error();
    const RedisReply &exec = replies.value().constLast();
    if (exec.isError())
        return replyError(QStringLiteral("MULTI/EXEC"), exec);
    if (exec.isNil())
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis aborted the MULTI/EXEC batch"));
    for (const RedisReply &step : exec.elements) {
        if (step.isError())
            return replyError(QStringLiteral("MULTI/EXEC step"), step);
    }
    return acknowledged;
}

}  // namespace

Result<std::unique_ptr<RedisStore>> RedisStore::open(const RedisOptions &options)
{
    if (options.usesSentinel() && options.sentinelMaster.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("REDIS_SENTINEL_HOSTS is set but REDIS_SENTINEL_MASTER is empty; name the master"));
    Result<std::unique_ptr<RedisClient>> client = RedisClient::open(options);
    if (!client) {
        log::get("redis")->error(
            "opening redis store failed target={} reason={}", options.describe(), client.error().message);
        return client.error();
    }
    log::get("redis")->info("redis store opened target={} db={} tls={}", options.describe(), options.db, options.tls);
    return std::unique_ptr<RedisStore>(new RedisStore(std::move(client).value()));
}

RedisStore::RedisStore(std::unique_ptr<RedisClient> client)
    : m_client(std::move(client))
    , m_ack(m_client->options())
    , m_circuit(std::make_unique<RedisCircuit>(*m_client))
{
}

RedisStore::~RedisStore()
{
    m_circuit.reset();
    m_client.reset();
    log::get("redis")->info("redis store closed");
}

RedisHealth RedisStore::health() const
{
    return m_client->health();
}

Result<RedisReply> RedisStore::execute(const QList<QByteArray> &command)
{
    return m_client->run(command);
}

QString RedisStore::backendName() const
{
    return QStringLiteral("redis");
}

Status RedisStore::ping()
{
    const RedisHealth state = m_client->health();
    if (!state.connected)
        return makeError(ErrorCode::Unavailable, state.describe());
    Result<RedisReply> pong = m_client->run(RedisCommand {QByteArrayLiteral("PING")});
    if (!pong)
        return pong.error();
    if (pong.value().isError())
        return replyError(QStringLiteral("PING"), pong.value());
    return {};
}

Result<QList<RedisCommand>> RedisStore::replicatedTransaction(const QList<Op> &ops) const
{
    Result<QList<RedisCommand>> commands = transactionOf(ops, m_client->hasExpireFlags());
    if (commands)
        m_ack.append(commands.value());
    return commands;
}

// Redis makes every write durable as its appendfsync setting sets, so the
// durability class changes nothing here.
Status RedisStore::apply(const QList<Op> &ops, Durability /*durability*/)
{
    Result<QList<RedisCommand>> commands = replicatedTransaction(ops);
    if (!commands)
        return commands.error();
    return transactionStatus(m_client->run(std::move(commands).value()), m_ack);
}

void RedisStore::applyAsync(QList<Op> ops, std::function<void(Status)> done, Durability /*durability*/)
{
    sendTransaction(ops, std::move(done), RedisClient::Completion::CallbackThread);
}

void RedisStore::applyAsyncDirect(QList<Op> ops, std::function<void(Status)> done, Durability /*durability*/)
{
    sendTransaction(ops, std::move(done), RedisClient::Completion::IoThread);
}

void RedisStore::sendTransaction(
    const QList<Op> &ops, std::function<void(Status)> done, RedisClient::Completion completion)
{
    Result<QList<RedisCommand>> commands = replicatedTransaction(ops);
    if (!commands) {
        // Same thread rule as success: callbacks never run on the caller's stack.
        if (done)
            m_client->postCallback([done, error = commands.error()] { done(error); });
        return;
    }
    m_client->runAsync(
        std::move(commands).value(),
        [done = std::move(done), ack = m_ack](const RedisClient::Replies &replies) {
            if (done)
                done(transactionStatus(replies, ack));
        },
        completion);
}

Result<qint64> RedisStore::length(const QString &key)
{
    Result<RedisReply> reply = m_client->run(RedisCommand {QByteArrayLiteral("LLEN"), utf8(key)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("LLEN %1").arg(key), reply.value());
    return reply.value().integer;
}

Result<QList<QByteArray>> RedisStore::range(const QString &key, qint64 start, qint64 stop)
{
    Result<RedisReply> reply = m_client->run(
        RedisCommand {QByteArrayLiteral("LRANGE"), utf8(key), QByteArray::number(start), QByteArray::number(stop)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("LRANGE %1").arg(key), reply.value());
    QList<QByteArray> items;
    for (const RedisReply &item : reply.value().elements)
        items.append(item.text);
    return items;
}

Result<QList<QByteArray>> RedisStore::claim(
    const QString &source, const QString &processing, int max, std::chrono::milliseconds wait)
{
    if (Status valid = requireMove(source, processing); !valid)
        return valid.error();
    if (max < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("claim from %1: max %2 is below 1").arg(source, QString::number(max)));

    // BLMOVE (BRPOPLPUSH before Redis 6.2) waits for the first item on a
    // blocking connection. The LMOVEs behind it in the same pipeline take the
    // rest of the batch without waiting.
    const QByteArray from = utf8(source);
    const QByteArray to = utf8(processing);
    const bool moves = m_client->hasMoveCommands();
    const RedisCommand move
        = moves ? RedisCommand {"LMOVE", from, to, "RIGHT", "LEFT"} : RedisCommand {"RPOPLPUSH", from, to};
    QList<RedisCommand> commands;
    RedisClient::Replies replies = QList<RedisReply>();
    if (wait.count() > 0) {
        const QByteArray seconds = QByteArray::number(double(std::max<qint64>(1, wait.count())) / 1000.0, 'f', 3);
        commands.append(moves ? RedisCommand {"BLMOVE", from, to, "RIGHT", "LEFT", seconds}
                              : RedisCommand {"BRPOPLPUSH", from, to, seconds});
        for (int i = 1; i < max; ++i)
            commands.append(move);
        m_ack.append(commands);
        replies = m_client->runBlocking(std::move(commands), wait);
    } else {
        for (int i = 0; i < max; ++i)
            commands.append(move);
        m_ack.append(commands);
        replies = m_client->run(std::move(commands));
    }
    const Status acknowledged = m_ack.take(replies);
    if (!replies)
        return replies.error();

    QList<QByteArray> claimed;
    std::optional<Error> failure;
    for (const RedisReply &reply : replies.value()) {
        if (reply.isError())
            failure = replyError(QStringLiteral("claim from %1").arg(source), reply);
        else if (reply.type == RedisReply::Type::String)
            claimed.append(reply.text);
    }
    if (failure && claimed.isEmpty())
        return *failure;
    if (!acknowledged)
        return unclaim(source, processing, claimed, acknowledged.error());
    return claimed;
}

// A claim no replica acknowledged may exist only on a master that a
// failover is replacing. Processing its items could count them twice,
// because the new master still has them in `source`. So the claim fails,
// and the items go back to the tail of `source`, oldest last so it is
// consumed first. On a master that stays, that undoes the claim; on a
// replaced one, the undo is lost along with the claim.
Error RedisStore::unclaim(
    const QString &source, const QString &processing, const QList<QByteArray> &claimed, const Error &why)
{
    if (claimed.isEmpty())
        return why;
    QList<RedisCommand> commands {{QByteArrayLiteral("MULTI")}};
    RedisCommand pushBack {QByteArrayLiteral("RPUSH"), utf8(source)};
    for (qsizetype i = claimed.size() - 1; i >= 0; --i) {
        commands.append({QByteArrayLiteral("LREM"), utf8(processing), QByteArrayLiteral("1"), claimed[i]});
        pushBack.append(claimed[i]);
    }
    commands.append(pushBack);
    commands.append({QByteArrayLiteral("EXEC")});
    const Status undone = transactionStatus(m_client->run(std::move(commands)));
    log::get("redis")->warn("claim not acknowledged by replicas source={} processing={} items={} returned={}: {}",
        source, processing, claimed.size(), undone.ok(), undone.ok() ? why.message : undone.error().message);
    return why;
}

// One script, so the rate grants and the moves are atomic. The claim never
// blocks, so a script may run it.
Result<RatedClaim> RedisStore::claimRated(
    const QString &source, const QString &processing, int max, const RateWindow &rate)
{
    if (Status valid = validateRatedClaim(source, processing, max, rate); !valid)
        return valid.error();

    const QByteArray member
        = QByteArray::number(rate.nowMs) + ':' + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    Status acknowledged;
    Result<RedisReply> reply
        = evalReplicated(RedisScripts::claimRated(), {utf8(source), utf8(processing), utf8(rate.key)},
            {QByteArray::number(max), QByteArray::number(rate.limit), QByteArray::number(rate.windowMs),
                QByteArray::number(rate.nowMs), member},
            acknowledged);
    if (!reply)
        return reply.error();
    if (reply.value().isError() || reply.value().elements.isEmpty())
        return replyError(QStringLiteral("rated claim from %1").arg(source), reply.value());

    RatedClaim claimed;
    claimed.waitMs = reply.value().elements.constFirst().integer;
    for (qsizetype i = 1; i < reply.value().elements.size(); ++i)
        claimed.items.append(reply.value().elements.at(i).text);
    if (!acknowledged)
        return unclaim(source, processing, claimed.items, acknowledged.error());
    return claimed;
}

// Runs a script with EVALSHA (EVAL when the server lacks it), followed by the
// WAIT of REDIS_MIN_REPLICAS_ACK in the same pipeline.
Result<RedisReply> RedisStore::evalReplicated(
    const RedisScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &args, Status &acknowledged)
{
    QList<RedisCommand> wait;
    m_ack.append(wait);
    RedisClient::Replies replies = m_client->evalThen(script, keys, args, wait);
    acknowledged = m_ack.take(replies);
    if (!replies)
        return replies.error();
    if (replies.value().isEmpty())
        return makeError(ErrorCode::Unavailable, QStringLiteral("redis returned no reply to a script"));
    return replies.value().constFirst();
}

Result<qint64> RedisStore::promoteDue(const QString &scheduled, const QString &destination, qint64 nowMs, int max)
{
    if (Status valid = requireMove(scheduled, destination); !valid)
        return valid.error();
    if (max < 1)
        return qint64(0);
    Result<RedisReply> reply = m_client->eval(RedisScripts::promoteDue(), {utf8(scheduled), utf8(destination)},
        {QByteArray::number(nowMs), QByteArray::number(max)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("promote due items of %1").arg(scheduled), reply.value());
    return reply.value().integer;
}

Result<qint64> RedisStore::scheduledCount(const QString &key)
{
    Result<RedisReply> reply = m_client->run(RedisCommand {QByteArrayLiteral("ZCARD"), utf8(key)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("ZCARD %1").arg(key), reply.value());
    return reply.value().integer;
}

Result<std::optional<qint64>> RedisStore::earliestDue(const QString &key)
{
    Result<RedisReply> reply = m_client->run(
        RedisCommand {QByteArrayLiteral("ZRANGE"), utf8(key), "0", "0", QByteArrayLiteral("WITHSCORES")});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("ZRANGE %1").arg(key), reply.value());
    if (reply.value().elements.size() < 2)
        return std::optional<qint64>();
    return std::optional<qint64>(qint64(std::llround(reply.value().elements[1].text.toDouble())));
}

Result<qint64> RedisStore::counter(const QString &key)
{
    Result<std::optional<QByteArray>> stored = value(key);
    if (!stored)
        return stored.error();
    return stored.value() ? stored.value()->toLongLong() : 0;
}

Result<QList<QPair<QString, qint64>>> RedisStore::counters(const QString &prefix)
{
    Result<QList<QByteArray>> names = scan(prefix, QByteArrayLiteral("string"));
    if (!names)
        return names.error();
    QList<QPair<QString, qint64>> found;
    if (names.value().isEmpty())
        return found;

    Result<RedisReply> values = m_client->run(RedisCommand {QByteArrayLiteral("MGET")} + names.value());
    if (!values)
        return values.error();
    for (qsizetype i = 0; i < values.value().elements.size() && i < names.value().size(); ++i) {
        const std::optional<qint64> number = values.value().elements[i].toInteger();
        if (number)
            found.append({QString::fromUtf8(names.value()[i]), *number});
    }
    return found;
}

Status RedisStore::setValue(const QString &key, const QByteArray &value, qint64 ttlSeconds)
{
    if (Status valid = requireKey(key, QStringLiteral("value key")); !valid)
        return valid;
    if (ttlSeconds < 0)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("key %1: ttlSeconds %2 is negative; use 0 for no expiry")
                .arg(key, QString::number(ttlSeconds)));
    RedisCommand command {QByteArrayLiteral("SET"), utf8(key), value};
    if (ttlSeconds > 0)
        command += {QByteArrayLiteral("EX"), QByteArray::number(ttlSeconds)};
    Result<RedisReply> reply = m_client->run(command);
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("SET %1").arg(key), reply.value());
    return {};
}

Result<std::optional<QByteArray>> RedisStore::value(const QString &key)
{
    Result<RedisReply> reply = m_client->run(RedisCommand {QByteArrayLiteral("GET"), utf8(key)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("GET %1").arg(key), reply.value());
    if (reply.value().isNil())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(reply.value().text);
}

Status RedisStore::removeValue(const QString &key)
{
    Result<RedisReply> reply = m_client->run(RedisCommand {QByteArrayLiteral("DEL"), utf8(key)});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("DEL %1").arg(key), reply.value());
    return {};
}

Result<QStringList> RedisStore::keys(const QString &prefix)
{
    Result<QList<QByteArray>> names = scan(prefix);
    if (!names)
        return names.error();
    QStringList out;
    for (const QByteArray &name : names.value())
        out.append(QString::fromUtf8(name));
    std::sort(out.begin(), out.end());
    return out;
}

Result<qint64> RedisStore::recoverOrphans(
    const QString &processingPrefix, const QString &heartbeatPrefix, const QString &source)
{
    for (const QString &name : {processingPrefix, heartbeatPrefix, source}) {
        if (Status valid = requireKey(name, QStringLiteral("janitor key or prefix")); !valid)
            return valid.error();
    }
    const QString listPrefix = processingPrefix + u':';
    Result<QList<QByteArray>> lists = scan(listPrefix, QByteArrayLiteral("list"));
    if (!lists)
        return lists.error();

    qint64 recovered = 0;
    for (const QByteArray &list : lists.value()) {
        const QString name = QString::fromUtf8(list);
        const QString pod = name.mid(listPrefix.size());
        if (pod.isEmpty() || name == source)
            continue;
        Result<qint64> moved = moveAll(list, utf8(source), utf8(heartbeatPrefix + u':' + pod));
        if (!moved)
            return moved.error();
        recovered += moved.value();
    }
    if (recovered > 0)
        log::get("queue")->info(
            "recovered orphaned items prefix={} source={} count={}", processingPrefix, source, recovered);
    return recovered;
}

Result<qint64> RedisStore::returnAll(const QString &processing, const QString &source)
{
    if (Status valid = requireMove(processing, source); !valid)
        return valid.error();
    return moveAll(utf8(processing), utf8(source), QByteArray());
}

Result<qint64> RedisStore::moveAll(const QByteArray &from, const QByteArray &to, const QByteArray &heartbeat)
{
    qint64 total = 0;
    for (;;) {
        Result<RedisReply> reply
            = m_client->eval(RedisScripts::moveAllToTail(), {from, to, heartbeat}, {QByteArray::number(kMoveBatch)});
        if (!reply)
            return reply.error();
        if (reply.value().isError())
            return replyError(
                QStringLiteral("move %1 to %2").arg(QString::fromUtf8(from), QString::fromUtf8(to)), reply.value());
        const qint64 moved = reply.value().integer;
        if (moved <= 0)
            return total;
        total += moved;
        if (moved < kMoveBatch)
            return total;
    }
}

Result<QList<QByteArray>> RedisStore::scan(const QString &prefix, const QByteArray &type)
{
    QList<QByteArray> names;
    QByteArray cursor = QByteArrayLiteral("0");
    const QByteArray pattern = globEscape(prefix) + '*';
    do {
        RedisCommand command {QByteArrayLiteral("SCAN"), cursor, QByteArrayLiteral("MATCH"), pattern,
            QByteArrayLiteral("COUNT"), QByteArray::number(kScanCount)};
        if (!type.isEmpty())
            command += {QByteArrayLiteral("TYPE"), type};
        Result<RedisReply> reply = m_client->run(command);
        if (!reply)
            return reply.error();
        if (reply.value().isError() || reply.value().elements.size() != 2)
            return replyError(QStringLiteral("SCAN %1").arg(prefix), reply.value());
        cursor = reply.value().elements[0].text;
        for (const RedisReply &name : reply.value().elements[1].elements) {
            if (!names.contains(name.text))
                names.append(name.text);
        }
    } while (cursor != "0");
    return names;
}

Result<CircuitDecision> RedisStore::circuitAcquire(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    return m_circuit->acquire(name, policy, nowMs);
}

Result<CircuitRecordResult> RedisStore::circuitRecord(
    const QString &name, bool success, bool wasProbe, const CircuitPolicy &policy, qint64 nowMs, qint64 sentAtMs)
{
    return m_circuit->record(name, success, wasProbe, policy, nowMs, sentAtMs);
}

Result<CircuitStatus> RedisStore::circuitStatus(const QString &name, const CircuitPolicy &policy, qint64 nowMs)
{
    return m_circuit->status(name, policy, nowMs);
}

Result<CircuitRecordResult> RedisStore::circuitForce(
    const QString &name, CircuitState state, qint64 untilMs, const QString &by, const QString &reason, qint64 nowMs)
{
    return m_circuit->force(name, state, untilMs, by, reason, nowMs);
}

Result<CircuitRecordResult> RedisStore::circuitReset(const QString &name, qint64 nowMs)
{
    return m_circuit->reset(name, nowMs);
}

Result<qint64> RedisStore::rateAcquire(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    return rateAcquireMany(key, 1, limit, windowMs, nowMs);
}

// One script grants all `count` or none. A count above the limit can never
// be granted, so the returned wait is then the whole window.
Result<qint64> RedisStore::rateAcquireMany(
    const QString &key, qint64 count, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    if (key.isEmpty() || limit < 1 || windowMs < 1 || count < 0)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("rate limit key=%1 limit=%2 window_ms=%3 count=%4: the key must be set, limit and "
                           "window at least 1 and count not negative")
                .arg(key, QString::number(limit), QString::number(windowMs), QString::number(count)));
    if (count == 0)
        return qint64(0);

    // Unique members so grants in the same millisecond all count (the Lua
    // PRNG may be reseeded identically per call on older servers).
    const QByteArray member
        = QByteArray::number(nowMs) + ':' + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    Result<RedisReply> reply = m_client->eval(RedisScripts::rateAcquire(), {utf8(key)},
        {QByteArray::number(limit), QByteArray::number(windowMs), QByteArray::number(nowMs), QByteArray::number(count),
            member});
    if (!reply)
        return reply.error();
    if (reply.value().isError())
        return replyError(QStringLiteral("rate limit %1").arg(key), reply.value());
    return reply.value().integer;
}

Result<UnhandledCount> RedisStore::countUnhandled(const QString &counterKey, qint64 threshold, qint64 windowSeconds)
{
    if (counterKey.isEmpty() || threshold < 1 || windowSeconds < 1)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("unhandled counter key=%1 threshold=%2 window_s=%3: the key must be set and "
                           "threshold and window at least 1")
                .arg(counterKey, QString::number(threshold), QString::number(windowSeconds)));

    Result<RedisReply> reply = m_client->eval(RedisScripts::countUnhandled(),
        {utf8(counterKey), utf8(counterKey + QStringLiteral(":triggered"))},
        {QByteArray::number(threshold), QByteArray::number(windowSeconds)});
    if (!reply)
        return reply.error();
    if (reply.value().isError() || reply.value().elements.size() != 2)
        return replyError(QStringLiteral("unhandled counter %1").arg(counterKey), reply.value());
    return UnhandledCount {reply.value().elements[0].integer, reply.value().elements[1].integer != 0};
}

Result<std::optional<QString>> RedisStore::configValue(const QString &key)
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

Result<QHash<QString, QString>> RedisStore::allConfig()
{
    Result<QList<QByteArray>> names = scan(keys::configPrefix, QByteArrayLiteral("string"));
    if (!names)
        return names.error();
    QHash<QString, QString> config;
    if (names.value().isEmpty())
        return config;

    Result<RedisReply> values = m_client->run(RedisCommand {QByteArrayLiteral("MGET")} + names.value());
    if (!values)
        return values.error();
    for (qsizetype i = 0; i < values.value().elements.size() && i < names.value().size(); ++i) {
        const RedisReply &stored = values.value().elements[i];
        if (stored.type == RedisReply::Type::String)
            config.insert(
                QString::fromUtf8(names.value()[i]).mid(keys::configPrefix.size()), QString::fromUtf8(stored.text));
    }
    return config;
}

Status RedisStore::setConfig(const QString &key, const QString &value)
{
    if (Status valid = requireKey(key, QStringLiteral("config key")); !valid)
        return valid;
    return changeConfig(key, {QByteArrayLiteral("SET"), utf8(keys::configPrefix + key), utf8(value)});
}

Status RedisStore::removeConfig(const QString &key)
{
    if (Status valid = requireKey(key, QStringLiteral("config key")); !valid)
        return valid;
    return changeConfig(key, {QByteArrayLiteral("DEL"), utf8(keys::configPrefix + key)});
}

// The change and its PUBLISH go in one pipeline; subscribers (this process
// included) hear of it through the channel, as MUTT v2.5 services do.
Status RedisStore::changeConfig(const QString &key, const QList<QByteArray> &change)
{
    QList<RedisCommand> commands {change, {QByteArrayLiteral("PUBLISH"), utf8(keys::configChannel), utf8(key)}};
    m_ack.append(commands);
    RedisClient::Replies replies = m_client->run(std::move(commands));
    const Status acknowledged = m_ack.take(replies);
    if (!replies)
        return replies.error();
    if (replies.value()[0].isError())
        return replyError(QStringLiteral("config change %1").arg(key), replies.value()[0]);
    if (replies.value()[1].isError())
        log::get("redis")->warn(
            "publishing a config change failed key={} reason={}", key, QString::fromUtf8(replies.value()[1].text));
    return acknowledged;
}

void RedisStore::subscribeConfig(std::function<void(const QString &key)> onChange)
{
    if (!onChange)
        return;
    bool subscribe = false;
    {
        std::lock_guard lock(m_subscribersMutex);
        m_subscribers.push_back(std::move(onChange));
        subscribe = !m_subscribed;
        m_subscribed = true;
    }
    if (!subscribe)
        return;
    Status subscribed = m_client->subscribe(
        utf8(keys::configChannel), [this](const QByteArray &payload) { notifyConfig(QString::fromUtf8(payload)); });
    if (!subscribed)
        log::get("redis")->warn("config subscription not confirmed yet reason={}", subscribed.error().message);
}

void RedisStore::notifyConfig(const QString &key)
{
    std::vector<std::function<void(const QString &)>> subscribers;
    {
        std::lock_guard lock(m_subscribersMutex);
        subscribers = m_subscribers;
    }
    for (const auto &onChange : subscribers)
        onChange(key);
}

}  // namespace mutt::queue
