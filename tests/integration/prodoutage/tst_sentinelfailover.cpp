// Sentinel failover under load: a master, replicas and a Sentinel on
// 127.0.0.1, muttd configured with REDIS_SENTINEL_HOSTS. Two ways to lose
// the master:
//  - coordinated: SENTINEL FAILOVER with one replica and the default
//    REDIS_MIN_REPLICAS_ACK (auto: 1, so every replica). The old master keeps
//    accepting writes until the Sentinel turns it into a replica. muttd must
//    move on the Sentinel's announcement, and a write that only the old
//    master contains finds no replica to acknowledge it.
//  - sigkill: SIGKILL of the master with two replicas and
//    REDIS_MIN_REPLICAS_ACK=1, then an automatic failover. Only writes a
//    replica acknowledged (WAIT) were acknowledged to the sender, and the
//    Sentinel promotes the replica with the largest replication offset.
// Either way every event acknowledged with 200 must be accounted for.

#include "OutageBed.h"

#include <QtTest>

#include <memory>
#include <vector>

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
    // Declares a killed master down after 1 s (the later line wins).
    options.extraConfig = {QStringLiteral("sentinel down-after-milliseconds %1 1000").arg(kMaster)};
    return options;
}

bool linkUp(const RedisServer &replica)
{
    return replica.cli({QStringLiteral("INFO"), QStringLiteral("replication")})
        .contains(QStringLiteral("master_link_status:up"));
}

// Ports of the replicas the Sentinel monitors. SENTINEL replicas returns
// field/value lines, "port" followed by the number.
QSet<QString> knownReplicaPorts(const RedisServer &sentinel)
{
    const QStringList lines
        = sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("replicas"), kMaster}).split(u'\n');
    QSet<QString> ports;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i].trimmed() == u"port")
            ports.insert(lines[i + 1].trimmed());
    }
    return ports;
}

}  // namespace

class TestSentinelFailover final : public QObject {
    Q_OBJECT

private slots:
    void sentinelFailover_data();
    void sentinelFailover();
};

void TestSentinelFailover::sentinelFailover_data()
{
    QTest::addColumn<bool>("kill");
    QTest::addColumn<int>("replicaCount");
    QTest::addColumn<QString>("minReplicasAck");  // empty: the default
    QTest::newRow("coordinated") << false << 1 << QString();
    QTest::newRow("sigkill") << true << 2 << QStringLiteral("1");
}

void TestSentinelFailover::sentinelFailover()
{
    QFETCH(bool, kill);
    QFETCH(int, replicaCount);
    QFETCH(QString, minReplicasAck);
    if (!RedisServer::available())
        QSKIP("redis-server or redis-cli is not installed");
    RedisServerOptions masterOptions;
    masterOptions.appendOnly = true;
    // The first full sync starts at once instead of after 5 s.
    masterOptions.extraConfig = {QStringLiteral("repl-diskless-sync-delay 0")};
    RedisServer master(masterOptions);
    QCOMPARE(master.start(), QString());
    std::vector<std::unique_ptr<RedisServer>> replicas;
    QSet<QString> replicaPorts;
    for (int i = 0; i < replicaCount; ++i) {
        replicas.push_back(std::make_unique<RedisServer>(replicaOptions(master.port())));
        QCOMPARE(replicas.back()->start(), QString());
        replicaPorts.insert(QString::number(replicas.back()->port()));
    }
    RedisServer sentinel(sentinelOptions(master.port()));
    QCOMPARE(sentinel.start(), QString());

    OutageBed bed;
    const QString servers = bed.startServers(false);
    QVERIFY2(servers.isEmpty(), qPrintable(servers));
    // A replica whose first sync has not finished could not acknowledge anything.
    for (const auto &replica : replicas)
        QTRY_VERIFY_WITH_TIMEOUT(linkUp(*replica), 20'000);
    QMap<QString, QString> env {
        {QStringLiteral("REDIS_SENTINEL_HOSTS"), QStringLiteral("127.0.0.1:%1").arg(sentinel.port())},
        {QStringLiteral("REDIS_SENTINEL_MASTER"), kMaster}};
    if (!minReplicasAck.isEmpty())
        env.insert(QStringLiteral("REDIS_MIN_REPLICAS_ACK"), minReplicasAck);
    const QString muttd = bed.startMuttd(env, master.port());
    QVERIFY2(muttd.isEmpty(), qPrintable(muttd));

    bed.startLoad(QStringLiteral("sentinel"), 20);
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 5, 20'000);
    // The Sentinel learns of the replicas from the master's INFO and cannot
    // promote one before that.
    QTRY_VERIFY_WITH_TIMEOUT(knownReplicaPorts(sentinel).contains(replicaPorts), 20'000);

    if (kill) {
        QVERIFY(master.kill());
    } else {
        // NOGOODSLAVE until the Sentinel has the replicas' INFO; the command
        // has a side effect, so no QTRY.
        QString failover;
        QDeadlineTimer deadline(20'000);
        while (failover != u"OK" && !deadline.hasExpired()) {
            failover = sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), kMaster});
            if (failover != u"OK")
                QTest::qWait(200);
        }
        QCOMPARE(failover, QStringLiteral("OK"));
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QStringList address
                = sentinel.cli({QStringLiteral("SENTINEL"), QStringLiteral("get-master-addr-by-name"), kMaster})
                      .split(u'\n');
            return address.size() == 2 && address[1].trimmed() != QString::number(master.port());
        }(),
        30'000);
    // With one replica, the new master has a replica again only once the
    // old master follows it.
    if (!kill)
        QTRY_VERIFY_WITH_TIMEOUT(master.cli({QStringLiteral("ROLE")}).startsWith(QStringLiteral("slave")), 30'000);

    // muttd follows: new events are acknowledged (so replicated) on the new master.
    bed.clearStatuses();
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 5, 30'000);
    bed.stopLoad();
    QTRY_COMPARE_WITH_TIMEOUT(bed.health().status, 200, 30'000);

    QTRY_COMPARE_WITH_TIMEOUT(bed.counter(QStringLiteral("in_flight")), 0, 60'000);
    QTRY_VERIFY2_WITH_TIMEOUT(bed.accountingProblem().isEmpty(), qPrintable(bed.accountingProblem()), 30'000);
    QVERIFY(bed.muttd().running());
}

QTEST_GUILESS_MAIN(TestSentinelFailover)
#include "tst_sentinelfailover.moc"
