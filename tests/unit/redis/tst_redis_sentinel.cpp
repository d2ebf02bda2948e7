// Sentinel: the store finds the master through a Sentinel and follows a
// SENTINEL FAILOVER to the promoted replica.
#include "RedisServer.h"
#include "queue/redis/RedisStore.h"

#include <QtTest>

using mutt::queue::Op;
using mutt::queue::RedisOptions;
using mutt::queue::RedisStore;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

class tst_RedisSentinel final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void discoversAndFollowsFailover();
    void noSentinelAnswers();
};

void tst_RedisSentinel::init()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
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

    // Writes succeed again once the store has found the new master.
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
