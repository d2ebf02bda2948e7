// Dynamic config values read through ConfigCache, on a real embedded store
// and on a real redis-server that goes away.

#include "RedisServer.h"
#include "core/Log.h"
#include "ingest/ConfigCache.h"
#include "queue/EmbeddedStore.h"
#include "queue/redis/RedisStore.h"

#include <spdlog/sinks/ringbuffer_sink.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using mutt::ingest::ConfigCache;

class TestConfigCache : public QObject {
    Q_OBJECT

private slots:
    void badValueLoggedOncePerValue();
    void readFailureNotLoggedPerRead();
};

void TestConfigCache::badValueLoggedOncePerValue()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opened = mutt::queue::EmbeddedStore::open(dir.filePath(QStringLiteral("queue.db")));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    auto store = std::move(opened.value());

    auto lines = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    auto logger = mutt::log::get("ingest");
    logger->sinks().push_back(lines);
    const auto ignoredLines = [&] {
        const auto logged = lines->last_formatted();
        return std::count_if(logged.begin(), logged.end(),
            [](const std::string &line) { return line.find("dynamic config value ignored") != std::string::npos; });
    };

    // A zero TTL makes every call read the store again.
    ConfigCache cache(*store, true, std::chrono::milliseconds(0));
    const QString key = QStringLiteral("ingest_max_rate");
    QVERIFY(store->setConfig(key, QStringLiteral("many")));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(cache.positiveInteger(key, 7), 7);
    QCOMPARE(ignoredLines(), 1);

    QVERIFY(store->setConfig(key, QStringLiteral("-3")));
    QCOMPARE(cache.positiveInteger(key, 7), 7);
    QCOMPARE(cache.positiveInteger(key, 7), 7);
    QCOMPARE(ignoredLines(), 2);

    // A good value in between: the same bad value is reported again.
    QVERIFY(store->setConfig(key, QStringLiteral("250")));
    QCOMPARE(cache.positiveInteger(key, 7), 250);
    QVERIFY(store->setConfig(key, QStringLiteral("many")));
    QCOMPARE(cache.positiveInteger(key, 7), 7);
    QCOMPARE(ignoredLines(), 3);

    logger->sinks().pop_back();
}

// While the store is down every ingest request reads the key again, because
// a failed read is not cached. The warning must not repeat per read.
void TestConfigCache::readFailureNotLoggedPerRead()
{
    if (!mutt::test::RedisServer::available())
        QSKIP("redis-server is not installed");
    mutt::test::RedisServer server;
    QCOMPARE(server.start(), QString());
    mutt::queue::RedisOptions options;
    options.host = server.host();
    options.port = server.port();
    options.tls = false;
    auto opened = mutt::queue::RedisStore::open(options);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    auto store = std::move(opened.value());
    QVERIFY(server.stop());

    auto lines = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
    auto logger = mutt::log::get("ingest");
    logger->sinks().push_back(lines);
    const auto failedLines = [&] {
        const auto logged = lines->last_formatted();
        return std::count_if(logged.begin(), logged.end(),
            [](const std::string &line) { return line.find("dynamic config read failed") != std::string::npos; });
    };

    ConfigCache cache(*store, true);
    const QString key = QStringLiteral("max_ingest_queue_size");
    for (int i = 0; i < 100; ++i)
        QCOMPARE(cache.positiveInteger(key, 7), 7);
    QCOMPARE(failedLines(), 1);

    logger->sinks().pop_back();
}

QTEST_GUILESS_MAIN(TestConfigCache)
#include "tst_configcache.moc"
