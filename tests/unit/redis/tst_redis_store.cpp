// The Redis store's transport and interop on private redis-server processes:
// pipelining, reconnect, password rotation, TLS, the pre-6.2 claim path,
// dynamic-config pub/sub and the MUTT v2.5 key names and item bytes.
#include "RedisServer.h"
#include "queue/QueueNames.h"
#include "queue/redis/RedisClient.h"
#include "queue/redis/RedisStore.h"

#include <QtTest>

#include <atomic>
#include <mutex>

using mutt::ErrorCode;
using mutt::queue::Op;
using mutt::queue::RedisClient;
using mutt::queue::RedisOptions;
using mutt::queue::RedisStore;
using mutt::test::RedisServer;
using mutt::test::RedisServerOptions;

namespace {

RedisOptions optionsFor(const RedisServer &server)
{
    RedisOptions options;
    options.host = server.host();
    options.port = server.port();
    options.tls = server.options().tls;
    options.reconnectInitial = std::chrono::milliseconds(50);
    options.reconnectMax = std::chrono::milliseconds(400);
    options.connectTimeout = std::chrono::milliseconds(3000);
    return options;
}

std::unique_ptr<RedisStore> openStore(const RedisOptions &options)
{
    auto opened = RedisStore::open(options);
    if (!opened) {
        qWarning("%s", qPrintable(opened.error().toString()));
        return nullptr;
    }
    return std::move(opened).value();
}

}  // namespace

class tst_RedisStore final : public QObject {
    Q_OBJECT

private slots:
    void init();

    void pipelineKeepsOrder();
    void reconnectAfterKill();
    void passwords_data();
    void passwords();
    void tlsNeedsTheCa();
    void legacyClaimWithoutBlmove();
    void configReachesOtherStore();
    void interopV25Item();
    void keyNamesAsV25();
    void incrementTtlOnlyWhereNone_data();
    void incrementTtlOnlyWhereNone();
};

void tst_RedisStore::init()
{
    if (!RedisServer::available())
        QSKIP("redis-server is not installed");
}

void tst_RedisStore::pipelineKeepsOrder()
{
    RedisServer server;
    QCOMPARE(server.start(), QString());
    auto client = RedisClient::open(optionsFor(server));
    QVERIFY(client.ok());

    QList<mutt::queue::RedisCommand> echoes;
    for (int i = 0; i < 200; ++i)
        echoes.append({QByteArrayLiteral("ECHO"), QByteArray::number(i)});
    auto replies = client.value()->run(echoes);
    QVERIFY(replies.ok());
    QCOMPARE(replies.value().size(), 200);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(replies.value()[i].text, QByteArray::number(i));

    // Many batches in flight at once: callbacks see the INCRs in send order.
    std::mutex mutex;
    QList<qint64> seen;
    constexpr int batches = 500;
    for (int i = 0; i < batches; ++i) {
        client.value()->runAsync(
            {{QByteArrayLiteral("INCR"), QByteArrayLiteral("t:order")}}, [&](const RedisClient::Replies &result) {
                std::lock_guard lock(mutex);
                seen.append(result.ok() ? result.value().constFirst().integer : -1);
            });
    }
    QTRY_COMPARE_WITH_TIMEOUT(([&] {
        std::lock_guard lock(mutex);
        return seen.size();
    }()),
        batches, 20'000);
    std::lock_guard lock(mutex);
    for (int i = 0; i < batches; ++i)
        QCOMPARE(seen[i], qint64(i + 1));
}

void tst_RedisStore::reconnectAfterKill()
{
    RedisServerOptions serverOptions;
    serverOptions.appendOnly = true;
    RedisServer server(serverOptions);
    QCOMPARE(server.start(), QString());
    auto store = openStore(optionsFor(server));
    QVERIFY(store);
    const QString queue = QStringLiteral("t:queue");
    QVERIFY(store->apply({Op::pushHead(queue, {"before"})}).ok());

    QVERIFY(server.kill());
    QTRY_VERIFY_WITH_TIMEOUT(!store->ping().ok(), 10'000);
    const auto down = store->ping();
    QCOMPARE(down.error().code, ErrorCode::Unavailable);
    QVERIFY2(down.error().message.contains(QStringLiteral("unavailable since")), qPrintable(down.error().message));
    QVERIFY2(down.error().message.contains(QStringLiteral("last error")), qPrintable(down.error().message));
    QVERIFY(!store->health().connected);
    const auto refused = store->apply({Op::pushHead(queue, {"during"})});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);
    const auto claim = store->claim(queue, QStringLiteral("t:processing:p"), 1, std::chrono::milliseconds(500));
    QVERIFY(!claim.ok());
    QCOMPARE(claim.error().code, ErrorCode::Unavailable);

    QCOMPARE(server.start(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(store->ping().ok(), 15'000);
    QVERIFY(store->health().connected);
    QVERIFY(store->apply({Op::pushHead(queue, {"after"})}).ok());
    // AOF kept the acknowledged push; the refused one was never applied.
    QCOMPARE(store->range(queue, 0, -1).value(), QList<QByteArray>({"after", "before"}));
}

void tst_RedisStore::passwords_data()
{
    QTest::addColumn<QStringList>("passwords");
    QTest::addColumn<bool>("opens");

    QTest::newRow("current right") << QStringList {QStringLiteral("s3cret-new")} << true;
    QTest::newRow("current wrong, next right")
        << QStringList {QStringLiteral("old-secret"), QStringLiteral("s3cret-new")} << true;
    QTest::newRow("both wrong") << QStringList {QStringLiteral("old-secret"), QStringLiteral("other")} << false;
    QTest::newRow("none") << QStringList {} << false;
}

void tst_RedisStore::passwords()
{
    QFETCH(QStringList, passwords);
    QFETCH(bool, opens);

    RedisServerOptions serverOptions;
    serverOptions.password = QStringLiteral("s3cret-new");
    RedisServer server(serverOptions);
    QCOMPARE(server.start(), QString());
    RedisOptions options = optionsFor(server);
    options.passwords = [passwords] { return passwords; };

    auto opened = RedisStore::open(options);
    QCOMPARE(opened.ok(), opens);
    if (!opened.ok()) {
        QCOMPARE(opened.error().code, ErrorCode::Unavailable);
        for (const QString &password : passwords)
            QVERIFY2(!opened.error().message.contains(password), "a password leaked into the error");
        return;
    }
    QVERIFY(opened.value()->ping().ok());
}

void tst_RedisStore::tlsNeedsTheCa()
{
    RedisServerOptions serverOptions;
    serverOptions.tls = true;
    RedisServer server(serverOptions);
    QCOMPARE(server.start(), QString());

    RedisOptions trusted = optionsFor(server);
    trusted.caCertPath = server.caCertPath();
    auto store = openStore(trusted);
    QVERIFY(store);
    QVERIFY(store->setValue(QStringLiteral("t:tls"), "ok", 0).ok());
    QCOMPARE(server.cli({QStringLiteral("GET"), QStringLiteral("t:tls")}), QStringLiteral("ok"));

    RedisOptions untrusted = optionsFor(server);  // system CAs do not know the test CA
    auto refused = RedisStore::open(untrusted);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);

    RedisOptions plain = optionsFor(server);
    plain.tls = false;
    QVERIFY(!RedisStore::open(plain).ok());

    // The reverse: TLS against a plain-text server names the setting to change.
    RedisServer plainServer;
    QCOMPARE(plainServer.start(), QString());
    RedisOptions tlsToPlain = optionsFor(plainServer);
    tlsToPlain.tls = true;
    tlsToPlain.connectTimeout = std::chrono::milliseconds(500);
    auto mismatched = RedisStore::open(tlsToPlain);
    QVERIFY(!mismatched.ok());
    QVERIFY2(mismatched.error().message.contains(QStringLiteral("REDIS_TLS_ENABLED=false")),
        qPrintable(mismatched.error().message));
}

void tst_RedisStore::legacyClaimWithoutBlmove()
{
    // A server without LMOVE/BLMOVE behaves like Redis < 6.2 for the store.
    RedisServerOptions serverOptions;
    serverOptions.extraConfig
        = {QStringLiteral("rename-command BLMOVE \"\""), QStringLiteral("rename-command LMOVE \"\"")};
    RedisServer server(serverOptions);
    QCOMPARE(server.start(), QString());
    auto store = openStore(optionsFor(server));
    QVERIFY(store);

    const QString queue = QStringLiteral("t:queue");
    const QString processing = QStringLiteral("t:processing:p");
    QVERIFY(store->apply({Op::pushHead(queue, {"a", "b", "c"})}).ok());
    QCOMPARE(store->claim(queue, processing, 2, std::chrono::milliseconds(0)).value(), QList<QByteArray>({"a", "b"}));
    QCOMPARE(store->claim(queue, processing, 5, std::chrono::milliseconds(300)).value(), QList<QByteArray>({"c"}));
    QVERIFY(store->claim(queue, processing, 5, std::chrono::milliseconds(200)).value().isEmpty());

    const QString stats = server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")});
    QVERIFY2(stats.contains(QStringLiteral("cmdstat_brpoplpush")), qPrintable(stats));
    QVERIFY2(stats.contains(QStringLiteral("cmdstat_rpoplpush")), qPrintable(stats));
}

void tst_RedisStore::configReachesOtherStore()
{
    RedisServer server;
    QCOMPARE(server.start(), QString());
    auto writer = openStore(optionsFor(server));
    auto reader = openStore(optionsFor(server));
    QVERIFY(writer && reader);

    std::mutex mutex;
    QStringList heard;
    reader->subscribeConfig([&](const QString &key) {
        std::lock_guard lock(mutex);
        heard.append(key);
    });
    const auto heardCount = [&] {
        std::lock_guard lock(mutex);
        return heard.size();
    };

    QVERIFY(writer->setConfig(QStringLiteral("moog_rate_limit"), QStringLiteral("75")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(heardCount(), 1, 10'000);
    QCOMPARE(
        reader->configValue(QStringLiteral("moog_rate_limit")).value(), std::optional<QString>(QStringLiteral("75")));

    // A v2.5 service publishing by hand reaches us the same way.
    server.cli({QStringLiteral("SET"), QStringLiteral("mutt:config:unhandled_threshold"), QStringLiteral("7")});
    server.cli(
        {QStringLiteral("PUBLISH"), QStringLiteral("mutt:config:updates"), QStringLiteral("unhandled_threshold")});
    QTRY_COMPARE_WITH_TIMEOUT(heardCount(), 2, 10'000);
    std::lock_guard lock(mutex);
    QCOMPARE(heard, QStringList({QStringLiteral("moog_rate_limit"), QStringLiteral("unhandled_threshold")}));
}

void tst_RedisStore::interopV25Item()
{
    RedisServer server;
    QCOMPARE(server.start(), QString());
    auto store = openStore(optionsFor(server));
    QVERIFY(store);

    // An event as the v2.5 ingestor queues it (non-ASCII and escapes included).
    const QByteArray event = R"({"hostname": "sw-01", "message": "Link down \u00e9 \"eth0\"", )"
                             R"("timestamp": "2025-01-12T10:30:00Z", "_correlation_id": "c-1"})";
    QCOMPARE(server.cli({QStringLiteral("LPUSH"), mutt::queue::keys::ingestQueue, QString::fromUtf8(event)}),
        QStringLiteral("1"));

    const QString processing = mutt::queue::keys::alerterProcessingPrefix + QStringLiteral(":pod-1");
    auto claimed = store->claim(mutt::queue::keys::ingestQueue, processing, 10, std::chrono::milliseconds(500));
    QVERIFY(claimed.ok());
    QCOMPARE(claimed.value(), QList<QByteArray>({event}));
    QCOMPARE(server.cli({QStringLiteral("LINDEX"), processing, QStringLiteral("0")}).toUtf8(), event);

    QVERIFY(store->apply({Op::remove(processing, event)}).ok());
    QCOMPARE(server.cli({QStringLiteral("LLEN"), processing}), QStringLiteral("0"));
}

void tst_RedisStore::keyNamesAsV25()
{
    RedisServer server;
    QCOMPARE(server.start(), QString());
    auto store = openStore(optionsFor(server));
    QVERIFY(store);
    namespace keys = mutt::queue::keys;

    const mutt::queue::CircuitPolicy policy {1, 300'000, 30'000};
    QVERIFY(store->circuitRecord(keys::circuitName, false, false, policy, 1'736'680'200'123, 0).ok());
    QVERIFY(store->countUnhandled(keys::unhandledPrefix + QStringLiteral(":sw-01:0123456789abcdef"), 1, 60).ok());
    QCOMPARE(store->rateAcquire(keys::moogRateLimit, 50, 1000, QDateTime::currentMSecsSinceEpoch()).value(), 0);
    QVERIFY(store->setValue(keys::alerterHeartbeatPrefix + QStringLiteral(":pod-1"), "alive", 30).ok());
    QVERIFY(store->setConfig(QStringLiteral("moog_rate_period"), QStringLiteral("1")).ok());
    QVERIFY(store->apply({Op::increment(keys::metricsPrefix + QStringLiteral(":1m:2025-01-12T10:30"), 1, 7200)}).ok());

    const auto type = [&](const QString &key) { return server.cli({QStringLiteral("TYPE"), key}); };
    const auto get = [&](const QString &key) { return server.cli({QStringLiteral("GET"), key}); };
    QCOMPARE(get(QStringLiteral("mutt:circuit_breaker:moogsoft:state")), QStringLiteral("OPEN"));
    QCOMPARE(get(QStringLiteral("mutt:circuit_breaker:moogsoft:failures")), QStringLiteral("1"));
    QCOMPARE(get(QStringLiteral("mutt:circuit_breaker:moogsoft:open_time")), QStringLiteral("1736680200.123"));
    QCOMPARE(get(QStringLiteral("mutt:unhandled:sw-01:0123456789abcdef")), QStringLiteral("1"));
    QCOMPARE(get(QStringLiteral("mutt:unhandled:sw-01:0123456789abcdef:triggered")), QStringLiteral("1"));
    QCOMPARE(type(QStringLiteral("mutt:rate_limit:moog")), QStringLiteral("zset"));
    QCOMPARE(get(QStringLiteral("mutt:heartbeat:alerter:pod-1")), QStringLiteral("alive"));
    QCOMPARE(get(QStringLiteral("mutt:config:moog_rate_period")), QStringLiteral("1"));
    QCOMPARE(get(QStringLiteral("mutt:metrics:1m:2025-01-12T10:30")), QStringLiteral("1"));
    const int ttl = server.cli({QStringLiteral("TTL"), QStringLiteral("mutt:metrics:1m:2025-01-12T10:30")}).toInt();
    QVERIFY(ttl > 7000 && ttl <= 7200);
}

void tst_RedisStore::incrementTtlOnlyWhereNone_data()
{
    QTest::addColumn<bool>("redis7");
    QTest::newRow("INCRBY and EXPIRE NX") << true;
    // Without EXPIRETIME the store takes the server for Redis 6.2 and runs the script.
    QTest::newRow("script, as on Redis 6.2") << false;
}

// An increment with a TTL gives a new key its expiry, gives an existing key
// without one the expiry, and leaves an expiry already set alone.
void tst_RedisStore::incrementTtlOnlyWhereNone()
{
    QFETCH(bool, redis7);
    RedisServerOptions serverOptions;
    if (!redis7)
        serverOptions.extraConfig = {QStringLiteral("rename-command EXPIRETIME \"\"")};
    RedisServer server(serverOptions);
    QCOMPARE(server.start(), QString());
    auto store = openStore(optionsFor(server));
    QVERIFY(store);
    const auto ttlOf = [&](const QString &key) { return server.cli({QStringLiteral("TTL"), key}).toInt(); };

    QVERIFY(store->apply({Op::increment(QStringLiteral("fresh"), 2, 7200), Op::increment(QStringLiteral("plain"), 5)})
                .ok());
    QCOMPARE(server.cli({QStringLiteral("GET"), QStringLiteral("fresh")}), QStringLiteral("2"));
    QVERIFY(ttlOf(QStringLiteral("fresh")) > 7000);
    QCOMPARE(ttlOf(QStringLiteral("plain")), -1);

    QCOMPARE(server.cli({QStringLiteral("SET"), QStringLiteral("kept"), QStringLiteral("1"), QStringLiteral("EX"),
                 QStringLiteral("100")}),
        QStringLiteral("OK"));
    QVERIFY(
        store->apply({Op::increment(QStringLiteral("kept"), 1, 7200), Op::increment(QStringLiteral("plain"), 1, 60)})
            .ok());
    QCOMPARE(server.cli({QStringLiteral("GET"), QStringLiteral("kept")}), QStringLiteral("2"));
    QVERIFY(ttlOf(QStringLiteral("kept")) <= 100);
    QCOMPARE(server.cli({QStringLiteral("GET"), QStringLiteral("plain")}), QStringLiteral("6"));
    QVERIFY(ttlOf(QStringLiteral("plain")) > 0);
}

QTEST_GUILESS_MAIN(tst_RedisStore)
#include "tst_redis_store.moc"
