// Sentinel failover under load: a master, a replica and a Sentinel on
// 127.0.0.1, muttd configured with REDIS_SENTINEL_HOSTS. The failover is
// triggered with SENTINEL FAILOVER, which waits for the replica to be
// promoted before the old master is reconfigured. Killing the master would
// be an uncoordinated failover in which writes the master acknowledged but
// had not yet replicated are lost (muttd does not use WAIT), so it cannot
// be asked to account for every acknowledged event.

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

    QTRY_VERIFY2_WITH_TIMEOUT(bed.accountingProblem().isEmpty(), qPrintable(bed.accountingProblem()), 30'000);
    QVERIFY(bed.muttd().running());
}

QTEST_GUILESS_MAIN(TestSentinelFailover)
#include "tst_sentinelfailover.moc"
