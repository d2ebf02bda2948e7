// Sentinel failover under load: a master, a replica and a Sentinel on
// 127.0.0.1, muttd configured with REDIS_SENTINEL_HOSTS. The failover is
// triggered with SENTINEL FAILOVER rather than by killing the master: a
// killed master loses writes it acknowledged but had not replicated yet
// (muttd does not use WAIT), which no client can account for.

#include "OutageBed.h"

#include <QtTest>

using namespace mutt::itest;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

namespace {

const QString kMaster = QStringLiteral("mymaster");

RedisServerOptions replicaOptions(quint16 masterPort)
{
    RedisServerOptions options;
    options.appendOnly = true;
    options.replicaOf = masterPort;
    return options;
}

RedisServerOptions sentinelOptions(quint16 masterPort)
{
    RedisServerOptions options;
    options.sentinel = true;
    options.sentinelMaster = kMaster;
    options.sentinelMasterPort = masterPort;
    return options;
}

}  // namespace

class TestSentinelFailover final : public QObject {
    Q_OBJECT

private slots:
    void sentinelFailover();
};

void TestSentinelFailover::sentinelFailover()
{
    if (!RedisServer::available())
        QSKIP("redis-server or redis-cli is not installed");
    RedisServerOptions masterOptions;
    masterOptions.appendOnly = true;
    // The first full sync starts at once instead of after 5 s.
    masterOptions.extraConfig = {QStringLiteral("repl-diskless-sync-delay 0")};
    RedisServer master(masterOptions);
    QCOMPARE(master.start(), QString());
    RedisServer replica(replicaOptions(master.port()));
    QCOMPARE(replica.start(), QString());
    RedisServer sentinel(sentinelOptions(master.port()));
    QCOMPARE(sentinel.start(), QString());

    OutageBed bed;
    const QString servers = bed.startServers(false);
    QVERIFY2(servers.isEmpty(), qPrintable(servers));
    const QString muttd
        = bed.startMuttd({{QStringLiteral("REDIS_SENTINEL_HOSTS"), QStringLiteral("127.0.0.1:%1").arg(sentinel.port())},
                             {QStringLiteral("REDIS_SENTINEL_MASTER"), kMaster}},
            master.port());
    QVERIFY2(muttd.isEmpty(), qPrintable(muttd));

    bed.startLoad(QStringLiteral("sentinel"), 20);
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 5, 20'000);
    // The Sentinel learns of the replica from the master's INFO.
    QTRY_VERIFY_WITH_TIMEOUT(sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("replicas"), kMaster})
                                 .contains(QString::number(replica.port())),
        20'000);

    // A replica whose first sync has not finished would be promoted empty.
    QTRY_VERIFY_WITH_TIMEOUT(replica.cli({QStringLiteral("INFO"), QStringLiteral("replication")})
                                 .contains(QStringLiteral("master_link_status:up")),
        20'000);
    const QString failover = sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), kMaster});
    QCOMPARE(failover, QStringLiteral("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(
        sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("get-master-addr-by-name"), kMaster})
            .contains(QString::number(replica.port())),
        30'000);
    QTRY_VERIFY_WITH_TIMEOUT(master.cli({QStringLiteral("ROLE")}).startsWith(QStringLiteral("slave")), 30'000);

    // muttd follows: new events are acknowledged and land on the new master.
    bed.clearStatuses();
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 5, 30'000);
    bed.stopLoad();
    QTRY_COMPARE_WITH_TIMEOUT(bed.health().status, 200, 30'000);

    QTRY_COMPARE_WITH_TIMEOUT(bed.counter(QStringLiteral("in_flight")), 0, 30'000);
    // Known defect: muttd asks the Sentinel for the master only after its
    // connection breaks, and the old master keeps accepting writes until the
    // Sentinel turns it into a replica (seconds later); those acknowledged
    // events vanish in its resync. Needs a +switch-master subscription (or
    // polling get-master-addr-by-name) and WAIT or min-replicas-to-write.
    const QString problem = bed.accountingProblem();
    QEXPECT_FAIL("", "writes to the old master after promotion are lost", Continue);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(bed.muttd().running());
}

QTEST_GUILESS_MAIN(TestSentinelFailover)
#include "tst_sentinelfailover.moc"
