// IngestWriter against a real embedded queue store in a temporary folder:
// grouped writes keep every request's events together and in order, and the
// counters add up.

#include "config/Settings.h"
#include "ingest/IngestWriter.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace mutt;

namespace {

// Counts finished writes and keeps their statuses; waits without a deadline
// on the test's side, because the store always completes every write.
class Completions final {
public:
    std::function<void(const Status &)> callback()
    {
        return [this](const Status &status) {
            const std::lock_guard lock(m_mutex);
            m_statuses.append(status);
            m_changed.notify_all();
        };
    }

    QList<Status> waitFor(qsizetype count)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_statuses.size() >= count; });
        return m_statuses;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    QList<Status> m_statuses;
};

QString errorText(const Status &status)
{
    return status.ok() ? QString() : status.error().message;
}

qint64 msAt(const char *isoUtc)
{
    return QDateTime::fromString(QString::fromLatin1(isoUtc), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

}  // namespace

class TestIngestWriter : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void concurrentWritesKeepOrder();
    void countersPerMinute();
    void rejectedItemsListed();
    void writesAfterStop();

private:
    QList<QByteArray> queued(const QString &key);  // oldest first
    qint64 counter(const QString &key);

    std::unique_ptr<QTemporaryDir> m_dir;
    config::Settings m_settings;
    std::unique_ptr<queue::EmbeddedStore> m_store;
};

void TestIngestWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    queue::EmbeddedStoreOptions options;
    options.sync = queue::EmbeddedSync::Normal;
    auto store = queue::EmbeddedStore::open(m_dir->filePath(QStringLiteral("queue.db")), options);
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    m_store = std::move(store).value();
    m_settings = config::Settings();
}

void TestIngestWriter::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

QList<QByteArray> TestIngestWriter::queued(const QString &key)
{
    auto items = m_store->range(key, 0, -1);
    if (!items.ok())
        return {};
    QList<QByteArray> oldestFirst = items.value();
    std::reverse(oldestFirst.begin(), oldestFirst.end());
    return oldestFirst;
}

qint64 TestIngestWriter::counter(const QString &key)
{
    const auto value = m_store->counter(key);
    return value.ok() ? value.value() : -1;
}

void TestIngestWriter::concurrentWritesKeepOrder()
{
    constexpr int threads = 4;
    constexpr int writesPerThread = 100;
    auto writer = std::make_shared<ingest::IngestWriter>(m_settings, *m_store);
    Completions completions;

    std::vector<std::thread> senders;
    for (int t = 0; t < threads; ++t) {
        senders.emplace_back([&, t] {
            for (int i = 0; i < writesPerThread; ++i) {
                const QByteArray id = QByteArray::number(t) + '-' + QByteArray::number(i);
                writer->submit(
                    {{id + "-a", id + "-b"}, {}, QDateTime::currentMSecsSinceEpoch(), completions.callback()});
            }
        });
    }
    for (std::thread &sender : senders)
        sender.join();
    const QList<Status> statuses = completions.waitFor(threads * writesPerThread);

    for (const Status &status : statuses)
        QVERIFY2(status.ok(), qPrintable(errorText(status)));
    const QList<QByteArray> items = queued(m_settings.ingestQueue);
    QCOMPARE(items.size(), threads * writesPerThread * 2);
    std::vector<int> nextIndex(threads, 0);
    for (qsizetype k = 0; k < items.size(); k += 2) {
        const QList<QByteArray> first = items[k].split('-');
        const QList<QByteArray> second = items[k + 1].split('-');
        QCOMPARE(first.size(), 3);
        QCOMPARE(first[2], QByteArray("a"));
        QCOMPARE(second[2], QByteArray("b"));
        QCOMPARE(second[0], first[0]);
        QCOMPARE(second[1], first[1]);
        const int thread = first[0].toInt();
        QCOMPARE(first[1].toInt(), nextIndex[thread]);
        ++nextIndex[thread];
    }
    QCOMPARE(counter(queue::keys::statAccepted), threads * writesPerThread * 2);
}

void TestIngestWriter::countersPerMinute()
{
    auto writer = std::make_shared<ingest::IngestWriter>(m_settings, *m_store);
    Completions completions;
    const qint64 lastMs = msAt("2025-01-15T14:59:59.999Z");
    const qint64 nextMs = msAt("2025-01-15T15:00:00.000Z");

    writer->submit({{"1"}, {}, lastMs, completions.callback()});
    writer->submit({{"2", "3"}, {}, lastMs, completions.callback()});
    writer->submit({{"4", "5", "6"}, {}, nextMs, completions.callback()});
    writer->submit({{"7"}, {}, lastMs, completions.callback()});
    for (const Status &status : completions.waitFor(4))
        QVERIFY2(status.ok(), qPrintable(errorText(status)));

    const QString prefix = m_settings.metricsPrefix;
    QCOMPARE(counter(prefix + QStringLiteral(":1m:2025-01-15T14:59")), 4);
    QCOMPARE(counter(prefix + QStringLiteral(":1m:2025-01-15T15:00")), 3);
    QCOMPARE(counter(prefix + QStringLiteral(":1h:2025-01-15T14")), 4);
    QCOMPARE(counter(prefix + QStringLiteral(":1h:2025-01-15T15")), 3);
    QCOMPARE(counter(prefix + QStringLiteral(":24h:2025-01-15")), 7);
    QCOMPARE(counter(queue::keys::statAccepted), 7);
    QCOMPARE(queued(m_settings.ingestQueue), (QList<QByteArray> {"1", "2", "3", "4", "5", "6", "7"}));
}

void TestIngestWriter::rejectedItemsListed()
{
    m_settings.rejectedListMax = 3;
    auto writer = std::make_shared<ingest::IngestWriter>(m_settings, *m_store);
    Completions completions;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    writer->submit({{"ok-1"}, {"bad-1", "bad-2"}, now, completions.callback()});
    writer->submit({{"ok-2"}, {}, now, completions.callback()});
    writer->submit({{"ok-3"}, {"bad-3", "bad-4"}, now, completions.callback()});
    for (const Status &status : completions.waitFor(3))
        QVERIFY2(status.ok(), qPrintable(errorText(status)));

    QCOMPARE(queued(m_settings.ingestQueue), (QList<QByteArray> {"ok-1", "ok-2", "ok-3"}));
    // The list keeps the newest rejectedListMax entries.
    QCOMPARE(queued(queue::keys::rejectedIngest), (QList<QByteArray> {"bad-2", "bad-3", "bad-4"}));
}

void TestIngestWriter::writesAfterStop()
{
    auto writer = std::make_shared<ingest::IngestWriter>(m_settings, *m_store);
    Completions completions;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    writer->submit({{"1"}, {}, now, completions.callback()});
    writer->submit({{"2"}, {}, now, completions.callback()});
    writer->submit({{"3"}, {}, now, completions.callback()});
    writer->stop();
    writer->submit({{"4"}, {}, now, completions.callback()});
    for (const Status &status : completions.waitFor(4))
        QVERIFY2(status.ok(), qPrintable(errorText(status)));

    QCOMPARE(queued(m_settings.ingestQueue), (QList<QByteArray> {"1", "2", "3", "4"}));
}

QTEST_GUILESS_MAIN(TestIngestWriter)
#include "tst_ingestwriter.moc"
