// REDIS_MIN_REPLICAS_ACK: a write batch counts only once the replicas
// contain it. Checks of WAIT replies, and real servers with and without a replica.
#include "RedisServer.h"
#include "config/Settings.h"
#include "queue/redis/RedisReplicaAck.h"
#include "queue/redis/RedisStore.h"

#include <QtTest>

#include <future>

using mutt::ErrorCode;
using mutt::queue::Op;
using mutt::queue::RedisCommand;
using mutt::queue::RedisOptions;
using mutt::queue::RedisReplicaAck;
using mutt::queue::RedisReply;
using mutt::queue::RedisStore;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

namespace {

RedisReply integer(qint64 value)
{
    RedisReply reply;
    reply.type = RedisReply::Type::Integer;
    reply.integer = value;
    return reply;
}

RedisOptions optionsFor(const RedisServer &server, int replicas)
{
    RedisOptions options;
    options.host = server.host();
    options.port = server.port();
    options.tls = false;
    options.minReplicasAck = replicas;
    options.replicaAckTimeout = std::chrono::milliseconds(100);
    return options;
}

}  // namespace

class tst_RedisReplication final : public QObject {
    Q_OBJECT

private slots:
    void waitAppendedOnlyWhenEnabled();
    void judgesWaitReplies();
    void takeStripsTheWaitReply();
    void autoFollowsSentinel();
    void unreplicatedWriteFails();
    void replicatedWriteSucceeds();
};

void tst_RedisReplication::waitAppendedOnlyWhenEnabled()
{
    QList<RedisCommand> commands {{"MULTI"}, {"EXEC"}};
    RedisReplicaAck().append(commands);
    QCOMPARE(commands.size(), 2);

    RedisReplicaAck(2, std::chrono::milliseconds(250)).append(commands);
    QCOMPARE(commands.size(), 3);
    QCOMPARE(commands.last(), (RedisCommand {"WAIT", "2", "250"}));

    // WAIT n 0 would block forever: the timeout never goes below 1 ms.
    QList<RedisCommand> zero;
    RedisReplicaAck(1, std::chrono::milliseconds(0)).append(zero);
    QCOMPARE(zero.last(), (RedisCommand {"WAIT", "1", "1"}));
}

void tst_RedisReplication::judgesWaitReplies()
{
    const RedisReplicaAck ack(1, std::chrono::milliseconds(100));
    QVERIFY(ack.judge(integer(1)).ok());
    QVERIFY(ack.judge(integer(2)).ok());

    const mutt::Status none = ack.judge(integer(0));
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, ErrorCode::Unavailable);
    QVERIFY2(none.error().message.contains(QStringLiteral("REDIS_MIN_REPLICAS_ACK")), qPrintable(none.error().message));

    RedisReply refused;
    refused.type = RedisReply::Type::Error;
    refused.text = "ERR WAIT cannot be used with replica instances";
    QCOMPARE(ack.judge(refused).error().code, ErrorCode::Unavailable);
    QCOMPARE(ack.judge(RedisReply {}).error().code, ErrorCode::Unavailable);
}

void tst_RedisReplication::takeStripsTheWaitReply()
{
    const RedisReplicaAck ack(1, std::chrono::milliseconds(100));
    RedisReply exec;
    exec.type = RedisReply::Type::Array;
    mutt::Result<QList<RedisReply>> replies = QList<RedisReply> {RedisReply {}, exec, integer(0)};
    QVERIFY(!ack.take(replies).ok());
    QCOMPARE(replies.value().size(), 2);  // the EXEC reply is last again

    mutt::Result<QList<RedisReply>> lost = mutt::makeError(ErrorCode::Unavailable, QStringLiteral("gone"));
    QVERIFY(ack.take(lost).ok());  // the connection error speaks for itself
    QVERIFY(!lost.ok());
}

void tst_RedisReplication::autoFollowsSentinel()
{
    mutt::config::Settings settings;
    QCOMPARE(settings.redisMinReplicasAck, -1);
    QCOMPARE(RedisOptions::fromSettings(settings).minReplicasAck, 0);
    settings.redisSentinelHosts = QStringLiteral("127.0.0.1:26379");
    QCOMPARE(RedisOptions::fromSettings(settings).minReplicasAck, 1);
    settings.redisMinReplicasAck = 0;
    QCOMPARE(RedisOptions::fromSettings(settings).minReplicasAck, 0);
    settings.redisMinReplicasAck = 2;
    settings.redisReplicaAckTimeout = 0.25;
    QCOMPARE(RedisOptions::fromSettings(settings).minReplicasAck, 2);
    QCOMPARE(RedisOptions::fromSettings(settings).replicaAckTimeout, std::chrono::milliseconds(250));
}

// A master without replicas applies the batch but cannot have it
// acknowledged: the store reports Unavailable, as for a lost connection.
void tst_RedisReplication::unreplicatedWriteFails()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
    RedisServer master;
    QCOMPARE(master.start(), QString());
    auto opened = RedisStore::open(optionsFor(master, 1));
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    auto store = std::move(opened).value();

    const mutt::Status applied = store->apply({Op::pushHead(QStringLiteral("t:queue"), {"a"})});
    QVERIFY(!applied.ok());
    QCOMPARE(applied.error().code, ErrorCode::Unavailable);
    QVERIFY2(applied.error().message.contains(QStringLiteral("REDIS_MIN_REPLICAS_ACK")),
        qPrintable(applied.error().message));

    std::promise<mutt::Status> asyncDone;
    store->applyAsync({Op::pushHead(QStringLiteral("t:queue"), {"b"})},
        [&asyncDone](mutt::Status status) { asyncDone.set_value(status); });
    const mutt::Status async = asyncDone.get_future().get();
    QVERIFY(!async.ok());
    QCOMPARE(async.error().code, ErrorCode::Unavailable);

    QVERIFY(!store->setConfig(QStringLiteral("t_key"), QStringLiteral("1")).ok());
    // Reads and heartbeats do not wait for replicas.
    QCOMPARE(store->length(QStringLiteral("t:queue")).value(), qint64(2));
    QVERIFY(store->setValue(QStringLiteral("t:heartbeat"), "1", 10).ok());

    // An unacknowledged claim fails and puts its items back, oldest at the tail.
    const auto claimed = store->claim(QStringLiteral("t:queue"), QStringLiteral("t:processing"), 2, {});
    QVERIFY(!claimed.ok());
    QCOMPARE(claimed.error().code, ErrorCode::Unavailable);
    QCOMPARE(store->length(QStringLiteral("t:processing")).value(), qint64(0));
    QCOMPARE(store->range(QStringLiteral("t:queue"), 0, -1).value(), (QList<QByteArray> {"b", "a"}));

    // The forwarder's rated claim (one script) behaves the same.
    const mutt::queue::RateWindow rate {QStringLiteral("t:rate"), 10, 1000, QDateTime::currentMSecsSinceEpoch()};
    const auto rated = store->claimRated(QStringLiteral("t:queue"), QStringLiteral("t:processing"), 2, rate);
    QVERIFY(!rated.ok());
    QCOMPARE(rated.error().code, ErrorCode::Unavailable);
    QCOMPARE(store->length(QStringLiteral("t:processing")).value(), qint64(0));
    QCOMPARE(store->range(QStringLiteral("t:queue"), 0, -1).value(), (QList<QByteArray> {"b", "a"}));
}

void tst_RedisReplication::replicatedWriteSucceeds()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
    RedisServer master;
    QCOMPARE(master.start(), QString());
    RedisServerOptions replicaOptions;
    replicaOptions.replicaOf = master.port();
    RedisServer replica(replicaOptions);
    QCOMPARE(replica.start(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(replica.cli({QStringLiteral("INFO"), QStringLiteral("replication")})
                                 .contains(QStringLiteral("master_link_status:up")),
        15'000);

    RedisOptions options = optionsFor(master, 1);
    options.replicaAckTimeout = std::chrono::milliseconds(5000);
    auto opened = RedisStore::open(options);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    auto store = std::move(opened).value();

    const mutt::Status applied = store->apply({Op::pushHead(QStringLiteral("t:queue"), {"a"})});
    QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error().toString()));
    // Acknowledged means the replica contains it now, without waiting.
    QCOMPARE(replica.cli({QStringLiteral("LLEN"), QStringLiteral("t:queue")}), QStringLiteral("1"));
    QVERIFY(store->setConfig(QStringLiteral("t_key"), QStringLiteral("1")).ok());

    const mutt::queue::RateWindow rate {QStringLiteral("t:rate"), 10, 1000, QDateTime::currentMSecsSinceEpoch()};
    const auto rated = store->claimRated(QStringLiteral("t:queue"), QStringLiteral("t:processing"), 2, rate);
    QVERIFY2(rated.ok(), qPrintable(rated.ok() ? QString() : rated.error().toString()));
    QCOMPARE(rated.value().items, QList<QByteArray> {"a"});
    QCOMPARE(replica.cli({QStringLiteral("LLEN"), QStringLiteral("t:processing")}), QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(tst_RedisReplication)
#include "tst_redis_replication.moc"
