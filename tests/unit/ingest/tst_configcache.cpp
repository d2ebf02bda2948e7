// Dynamic config values read through ConfigCache, on a real embedded store.

#include "core/Log.h"
#include "ingest/ConfigCache.h"
#include "queue/EmbeddedStore.h"

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

QTEST_GUILESS_MAIN(TestConfigCache)
#include "tst_configcache.moc"
