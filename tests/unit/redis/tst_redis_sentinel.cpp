// Sentinel: the store finds the master through a Sentinel and follows a
// SENTINEL FAILOVER to the promoted replica without waiting for a write to
// fail; the Sentinel replies and announcements are parsed strictly.
#include "RedisServer.h"
#include "queue/redis/RedisSentinel.h"
#include "queue/redis/RedisStore.h"

#include <QtTest>

using mutt::queue::Op;
using mutt::queue::RedisEndpoint;
using mutt::queue::RedisOptions;
using mutt::queue::RedisReply;
using mutt::queue::RedisSentinel;
using mutt::queue::RedisStore;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

class tst_RedisSentinel final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void parseSwitchMaster_data();
    void parseSwitchMaster();
    void parseMasterAddress();
    void discoversAndFollowsFailover();
    void noSentinelAnswers();
};

namespace {

RedisReply bulk(const QByteArray &text)
{
    RedisReply reply;
    reply.type = RedisReply::Type::String;
    reply.text = text;
    return reply;
}

}  // namespace

void tst_RedisSentinel::init()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
}

void tst_RedisSentinel::parseSwitchMaster_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("expected");  // host:port, empty: ignored

    QTest::newRow("switch") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1 6380") << QStringLiteral("127.0.0.1:6380");
    QTest::newRow("hostname") << QByteArray("mymaster redis-a 6379 redis-b.example 7000")
                              << QStringLiteral("redis-b.example:7000");
    QTest::newRow("extra spaces") << QByteArray("  mymaster  10.0.0.1 6379 10.0.0.2  6379 ")
                                  << QStringLiteral("10.0.0.2:6379");
    QTest::newRow("other master") << QByteArray("othermaster 127.0.0.1 6379 127.0.0.1 6380") << QString();
    QTest::newRow("name prefix") << QByteArray("mymaster2 127.0.0.1 6379 127.0.0.1 6380") << QString();
    QTest::newRow("too short") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1") << QString();
    QTest::newRow("too long") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1 6380 x") << QString();
    QTest::newRow("port zero") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1 0") << QString();
    QTest::newRow("port too big") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1 65536") << QString();
    QTest::newRow("port not a number") << QByteArray("mymaster 127.0.0.1 6379 127.0.0.1 63a") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
}

void tst_RedisSentinel::parseSwitchMaster()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, expected);
    const std::optional<RedisEndpoint> master = RedisSentinel::parseSwitchMaster(payload, QStringLiteral("mymaster"));
    QCOMPARE(master ? master->toString() : QString(), expected);
}

void tst_RedisSentinel::parseMasterAddress()
{
    RedisReply known;
    known.type = RedisReply::Type::Array;
    known.elements = {bulk("127.0.0.1"), bulk("6380")};
    const auto master = RedisSentinel::parseMasterAddress(known);
    QVERIFY(master.ok());
    QCOMPARE(master.value(), (RedisEndpoint {QStringLiteral("127.0.0.1"), 6380}));

    QVERIFY(!RedisSentinel::parseMasterAddress(RedisReply {}).ok());  // nil: unknown master
    RedisReply error;
    error.type = RedisReply::Type::Error;
    error.text = "ERR unknown command";
    QVERIFY(!RedisSentinel::parseMasterAddress(error).ok());
    RedisReply badPort = known;
    badPort.elements[1] = bulk("0");
    QVERIFY(!RedisSentinel::parseMasterAddress(badPort).ok());
    RedisReply noHost = known;
    noHost.elements[0] = bulk("");
    QVERIFY(!RedisSentinel::parseMasterAddress(noHost).ok());
}

void tst_RedisSentinel::discoversAndFollowsFailover()
{
    const QString password = QStringLiteral("pw-sentinel");
    RedisServerOptions masterOptions;
    masterOptions.password = password;
    RedisServer master(masterOptions);
    QCOMPARE(master.start(), QString());
    RedisServerOptions replicaOptions;
    replicaOptions.password = password;
    replicaOptions.replicaOf = master.port();
    RedisServer replica(replicaOptions);
    QCOMPARE(replica.start(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(replica.cli({QStringLiteral("INFO"), QStringLiteral("replication")})
                                 .contains(QStringLiteral("master_link_status:up")),
        15'000);
    RedisServerOptions sentinelOptions;
    sentinelOptions.password = password;
    sentinelOptions.sentinel = true;
    sentinelOptions.sentinelMasterPort = master.port();
    RedisServer sentinel(sentinelOptions);
    QCOMPARE(sentinel.start(), QString());

    RedisOptions options;
    options.sentinels = {{sentinel.host(), sentinel.port()}};
    options.sentinelMaster = QStringLiteral("mymaster");
    options.tls = false;
    options.passwords = [password] { return QStringList {password}; };
    options.reconnectInitial = std::chrono::milliseconds(50);
    options.reconnectMax = std::chrono::milliseconds(500);
    auto opened = RedisStore::open(options);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    auto store = std::move(opened).value();
    QVERIFY(store->health().target.endsWith(QString::number(master.port())));

    const QString queue = QStringLiteral("t:queue");
    QVERIFY(store->apply({Op::pushHead(queue, {"before"})}).ok());
    QCOMPARE(master.cli({QStringLiteral("LLEN"), queue}), QStringLiteral("1"));

    // The Sentinel needs to have seen the replica before it can promote it
    // (NOGOODSLAVE until then); the command has a side effect, so no QTRY.
    QString failover;
    QDeadlineTimer deadline(20'000);
    while (failover != u"OK" && !deadline.hasExpired()) {
        failover = sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), QStringLiteral("mymaster")});
        if (failover != u"OK")
            QTest::qWait(200);
    }
    QCOMPARE(failover, QStringLiteral("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(replica.cli({QStringLiteral("ROLE")}).startsWith(QStringLiteral("master")), 20'000);

    // The store moves on the Sentinel's word alone, before any command
    // of its own fails on the old master.
    QTRY_VERIFY_WITH_TIMEOUT(store->health().target.endsWith(QString::number(replica.port())), 20'000);

    // Writes succeed on the new master.
    QTRY_VERIFY_WITH_TIMEOUT(store->apply({Op::pushHead(queue, {"after"})}).ok()
            && store->health().target.endsWith(QString::number(replica.port())),
        20'000);
    const QString items = replica.cli({QStringLiteral("LRANGE"), queue, QStringLiteral("0"), QStringLiteral("-1")});
    QVERIFY2(items.contains(QStringLiteral("after")), qPrintable(items));
    QVERIFY2(items.contains(QStringLiteral("before")), qPrintable(items));
}

void tst_RedisSentinel::noSentinelAnswers()
{
    RedisServer unused;
    QCOMPARE(unused.start(), QString());
    const quint16 port = unused.port();
    QVERIFY(unused.kill());

    RedisOptions options;
    options.sentinels = {{QStringLiteral("127.0.0.1"), port}};
    options.sentinelMaster = QStringLiteral("mymaster");
    options.tls = false;
    options.connectTimeout = std::chrono::milliseconds(1000);
    auto opened = RedisStore::open(options);
    QVERIFY(!opened.ok());
    QVERIFY2(
        opened.error().message.contains(QStringLiteral("REDIS_SENTINEL_HOSTS")), qPrintable(opened.error().message));
}

QTEST_GUILESS_MAIN(tst_RedisSentinel)
#include "tst_redis_sentinel.moc"
