// Conformance of QueueStore: the same cases run against every backend
// (MUTT_TEST_QUEUE_BACKEND, see StoreFactory).
#include "StoreFactory.h"

#include <QtTest>

#include <atomic>
#include <future>
#include <thread>

using mutt::ErrorCode;
using mutt::Status;
using mutt::queue::Op;
using mutt::queue::QueueStore;

namespace {

const QString kSource = QStringLiteral("t:queue");
const QString kProcessing = QStringLiteral("t:processing:pod-1");

QList<QByteArray> bytes(std::initializer_list<const char *> values)
{
    QList<QByteArray> out;
    for (const char *value : values)
        out.append(QByteArray(value));
    return out;
}

}  // namespace

class tst_QueueStore final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void pingAndName();
    void claimFifo();
    void claimBatch();
    void claimTimesOutEmpty();
    void claimWakesOnPush();
    void range_data();
    void range();
    void lengthOfMissingList();
    void removeExactlyOne();
    void removeOldestCopy();
    void removeRunInOneApply();
    void applyAllOrNothing();
    void incrementTtlExpires();
    void trimKeepsNewest();
    void scheduleAndPromote();
    void valueTtl();
    void keysByPrefix();
    void recoverOrphans();
    void returnAll();
    void applyAsyncConcurrent();
    void applyAsyncDirectChains();
    void durableAcrossReopen();
    void secondOpenFails();

private:
    QList<QByteArray> claimAll(const QString &source, const QString &processing);

    mutt::test::StoreFactory m_factory;
    std::shared_ptr<QueueStore> m_store;
};

void tst_QueueStore::init()
{
    if (const QString reason = m_factory.unavailableReason(); !reason.isEmpty())
        QSKIP(qPrintable(reason));
    auto opened = m_factory.open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    m_store = opened.value().store;
}

void tst_QueueStore::cleanup()
{
    m_store.reset();
}

QList<QByteArray> tst_QueueStore::claimAll(const QString &source, const QString &processing)
{
    auto claimed = m_store->claim(source, processing, 1000, std::chrono::milliseconds(0));
    return claimed.ok() ? claimed.value() : QList<QByteArray>();
}

void tst_QueueStore::pingAndName()
{
    QVERIFY(m_store->ping().ok());
    QCOMPARE(m_store->backendName(), m_factory.backend());
}

void tst_QueueStore::claimFifo()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"a"}))}).ok());
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"b", "c"}))}).ok());

    for (const char *expected : {"a", "b", "c"}) {
        auto claimed = m_store->claim(kSource, kProcessing, 1, std::chrono::milliseconds(0));
        QVERIFY(claimed.ok());
        QCOMPARE(claimed.value(), bytes({expected}));
    }
    QCOMPARE(m_store->length(kSource).value(), 0);
    // The processing list has the newest claim at its head.
    QCOMPARE(m_store->range(kProcessing, 0, -1).value(), bytes({"c", "b", "a"}));
}

void tst_QueueStore::claimBatch()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"1", "2", "3", "4", "5", "6"}))}).ok());

    auto claimed = m_store->claim(kSource, kProcessing, 4, std::chrono::milliseconds(0));
    QVERIFY(claimed.ok());
    QCOMPARE(claimed.value(), bytes({"1", "2", "3", "4"}));
    QCOMPARE(m_store->length(kSource).value(), 2);
    QCOMPARE(m_store->length(kProcessing).value(), 4);

    auto rest = m_store->claim(kSource, kProcessing, 4, std::chrono::milliseconds(0));
    QCOMPARE(rest.value(), bytes({"5", "6"}));
}

void tst_QueueStore::claimTimesOutEmpty()
{
    auto claimed = m_store->claim(kSource, kProcessing, 10, std::chrono::milliseconds(150));
    QVERIFY(claimed.ok());
    QVERIFY(claimed.value().isEmpty());
}

void tst_QueueStore::claimWakesOnPush()
{
    // The consumer waits far longer than the test takes. It returns the item
    // only if the push wakes it, or if it finds the item on its first look.
    auto consumer = std::async(std::launch::async,
        [this] { return m_store->claim(kSource, kProcessing, 10, std::chrono::milliseconds(20'000)); });
    QTest::qWait(200);
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"wake"}))}).ok());

    QCOMPARE(consumer.wait_for(std::chrono::seconds(15)), std::future_status::ready);
    auto claimed = consumer.get();
    QVERIFY(claimed.ok());
    QCOMPARE(claimed.value(), bytes({"wake"}));
}

void tst_QueueStore::range_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("stop");
    QTest::addColumn<QList<QByteArray>>("expected");

    // The list is e (head, newest) d c b a (tail, oldest).
    QTest::newRow("all") << qint64(0) << qint64(-1) << bytes({"e", "d", "c", "b", "a"});
    QTest::newRow("head") << qint64(0) << qint64(0) << bytes({"e"});
    QTest::newRow("tail") << qint64(-1) << qint64(-1) << bytes({"a"});
    QTest::newRow("last two") << qint64(-2) << qint64(-1) << bytes({"b", "a"});
    QTest::newRow("middle") << qint64(1) << qint64(3) << bytes({"d", "c", "b"});
    QTest::newRow("negative middle") << qint64(-3) << qint64(-2) << bytes({"c", "b"});
    QTest::newRow("inverted") << qint64(3) << qint64(1) << QList<QByteArray>();
    QTest::newRow("start before head") << qint64(-100) << qint64(1) << bytes({"e", "d"});
    QTest::newRow("stop past tail") << qint64(2) << qint64(100) << bytes({"c", "b", "a"});
    QTest::newRow("start past tail") << qint64(5) << qint64(10) << QList<QByteArray>();
    QTest::newRow("stop before head") << qint64(0) << qint64(-6) << QList<QByteArray>();
}

void tst_QueueStore::range()
{
    QFETCH(qint64, start);
    QFETCH(qint64, stop);
    QFETCH(QList<QByteArray>, expected);

    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"a", "b", "c", "d", "e"}))}).ok());
    auto items = m_store->range(kSource, start, stop);
    QVERIFY(items.ok());
    QCOMPARE(items.value(), expected);
}

void tst_QueueStore::lengthOfMissingList()
{
    auto length = m_store->length(QStringLiteral("t:missing"));
    QVERIFY(length.ok());
    QCOMPARE(length.value(), 0);
    QCOMPARE(m_store->range(QStringLiteral("t:missing"), 0, -1).value(), QList<QByteArray>());
}

void tst_QueueStore::removeExactlyOne()
{
    const QByteArray binary("x\0y", 3);
    QVERIFY(m_store->apply({Op::pushHead(kSource, {"x", "y", "x", "x ", binary, "X"})}).ok());

    QVERIFY(m_store->apply({Op::remove(kSource, "x")}).ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), QList<QByteArray>({"X", binary, "x ", "y", "x"}));

    QVERIFY(m_store->apply({Op::remove(kSource, QByteArray("x\0y", 3))}).ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), QList<QByteArray>({"X", "x ", "y", "x"}));

    QVERIFY(m_store->apply({Op::remove(kSource, "absent")}).ok());
    QCOMPARE(m_store->length(kSource).value(), 4);
}

void tst_QueueStore::removeOldestCopy()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, {"a", "x", "b", "x", "c"})}).ok());

    QVERIFY(m_store->apply({Op::removeOldest(kSource, "x")}).ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), QList<QByteArray>({"c", "x", "b", "a"}));

    QVERIFY(m_store->apply({Op::removeOldest(kSource, "absent")}).ok());
    QCOMPARE(m_store->length(kSource).value(), 4);
}

// A committed batch removes its claimed items in one apply. Every removal
// takes one copy, an absent item changes nothing, and the length follows.
void tst_QueueStore::removeRunInOneApply()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, {"a", "x", "b", "x", "c"})}).ok());
    QVERIFY(m_store->apply({Op::pushHead(kProcessing, {"p"})}).ok());

    QVERIFY(m_store
                ->apply({Op::removeOldest(kSource, "a"), Op::removeOldest(kSource, "x"),
                    Op::removeOldest(kSource, "absent"), Op::removeOldest(kSource, "x"), Op::remove(kSource, "c"),
                    Op::removeOldest(kProcessing, "p"), Op::pushHead(kSource, bytes({"d"}))})
                .ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), QList<QByteArray>({"d", "b"}));
    QCOMPARE(m_store->length(kSource).value(), 2);
    QCOMPARE(m_store->length(kProcessing).value(), 0);

    QVERIFY(m_store->apply({Op::removeOldest(kSource, "b"), Op::removeOldest(kSource, "d")}).ok());
    QCOMPARE(m_store->length(kSource).value(), 0);
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"e"}))}).ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), QList<QByteArray>({"e"}));
}

void tst_QueueStore::applyAllOrNothing()
{
    const QString counterKey = QStringLiteral("t:stats:count");
    Status status = m_store->apply(
        {Op::pushHead(kSource, bytes({"a"})), Op::increment(counterKey, 1), Op::pushHead(QString(), bytes({"b"}))});
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::InvalidInput);
    QCOMPARE(m_store->length(kSource).value(), 0);
    QCOMPARE(m_store->counter(counterKey).value(), 0);

    auto done = std::make_shared<std::promise<Status>>();
    m_store->applyAsync(
        {Op::pushHead(kSource, bytes({"a"})), Op::pushTail(kSource, {})}, [done](Status s) { done->set_value(s); });
    Status asyncStatus = done->get_future().get();
    QVERIFY(!asyncStatus.ok());
    QCOMPARE(asyncStatus.error().code, ErrorCode::InvalidInput);
    QCOMPARE(m_store->length(kSource).value(), 0);
}

void tst_QueueStore::incrementTtlExpires()
{
    const QString key = QStringLiteral("t:metrics:1m:now");
    QVERIFY(m_store->apply({Op::increment(key, 5, 1)}).ok());
    QVERIFY(m_store->apply({Op::increment(key, 2, 60)}).ok());  // EXPIRE NX keeps the first expiry
    QVERIFY(m_store->apply({Op::increment(QStringLiteral("t:metrics:total"), 3)}).ok());
    QCOMPARE(m_store->counter(key).value(), 7);

    auto all = m_store->counters(QStringLiteral("t:metrics:"));
    QVERIFY(all.ok());
    QCOMPARE(all.value().size(), 2);

    QTRY_COMPARE_WITH_TIMEOUT(m_store->counter(key).value(), 0, 10'000);
    QCOMPARE(m_store->counters(QStringLiteral("t:metrics:")).value().size(), 1);
    QCOMPARE(m_store->counter(QStringLiteral("t:metrics:total")).value(), 3);
}

void tst_QueueStore::trimKeepsNewest()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"1", "2", "3", "4", "5"}))}).ok());
    QVERIFY(m_store->apply({Op::trim(kSource, 3)}).ok());
    QCOMPARE(m_store->range(kSource, 0, -1).value(), bytes({"5", "4", "3"}));

    QVERIFY(m_store->apply({Op::trim(kSource, 10)}).ok());
    QCOMPARE(m_store->length(kSource).value(), 3);

    QVERIFY(m_store->apply({Op::trim(kSource, 0)}).ok());
    QCOMPARE(m_store->length(kSource).value(), 0);
}

void tst_QueueStore::scheduleAndPromote()
{
    const QString retry = QStringLiteral("t:retry");
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"waiting"}))}).ok());
    QVERIFY(m_store
                ->apply({Op::schedule(retry, "c", 300), Op::schedule(retry, "a", 100), Op::schedule(retry, "b", 200),
                    Op::schedule(retry, "d", 1000)})
                .ok());
    QVERIFY(m_store->apply({Op::schedule(retry, "d", 900)}).ok());  // same member: new due time
    QCOMPARE(m_store->scheduledCount(retry).value(), 4);
    QCOMPARE(m_store->earliestDue(retry).value(), std::optional<qint64>(100));

    QCOMPARE(m_store->promoteDue(retry, kSource, 50, 10).value(), 0);
    QCOMPARE(m_store->promoteDue(retry, kSource, 300, 2).value(), 2);
    QCOMPARE(m_store->scheduledCount(retry).value(), 2);
    QCOMPARE(m_store->earliestDue(retry).value(), std::optional<qint64>(300));

    // Due items are consumed next, earliest first, before what was waiting.
    QCOMPARE(m_store->claim(kSource, kProcessing, 2, std::chrono::milliseconds(0)).value(), bytes({"a", "b"}));
    QCOMPARE(m_store->promoteDue(retry, kSource, 300, 10).value(), 1);
    QCOMPARE(m_store->earliestDue(retry).value(), std::optional<qint64>(900));
    QCOMPARE(claimAll(kSource, kProcessing), bytes({"c", "waiting"}));

    QCOMPARE(m_store->promoteDue(retry, kSource, 900, 10).value(), 1);
    QCOMPARE(m_store->scheduledCount(retry).value(), 0);
    QCOMPARE(m_store->earliestDue(retry).value(), std::nullopt);
}

void tst_QueueStore::valueTtl()
{
    const QString plain = QStringLiteral("t:value:plain");
    const QString expiring = QStringLiteral("t:heartbeat:pod-1");
    QVERIFY(m_store->setValue(plain, "v1", 0).ok());
    QVERIFY(m_store->setValue(plain, "v2", 0).ok());
    QVERIFY(m_store->setValue(expiring, "alive", 1).ok());

    QCOMPARE(m_store->value(plain).value(), std::optional<QByteArray>("v2"));
    QCOMPARE(m_store->value(expiring).value(), std::optional<QByteArray>("alive"));
    QCOMPARE(m_store->value(QStringLiteral("t:value:missing")).value(), std::nullopt);

    QTRY_VERIFY_WITH_TIMEOUT(!m_store->value(expiring).value().has_value(), 10'000);
    QVERIFY(m_store->removeValue(plain).ok());
    QCOMPARE(m_store->value(plain).value(), std::nullopt);
    QVERIFY(m_store->removeValue(plain).ok());
}

void tst_QueueStore::keysByPrefix()
{
    QVERIFY(m_store
                ->apply({Op::pushHead(QStringLiteral("p:list"), bytes({"x"})),
                    Op::increment(QStringLiteral("p:counter"), 1), Op::schedule(QStringLiteral("p:zset"), "m", 1),
                    Op::pushHead(QStringLiteral("q:other"), bytes({"y"}))})
                .ok());
    QVERIFY(m_store->setValue(QStringLiteral("p:value"), "v", 0).ok());
    QVERIFY(m_store->setValue(QStringLiteral("p:gone"), "v", 1).ok());
    QVERIFY(m_store->apply({Op::pushHead(QStringLiteral("p:emptied"), bytes({"z"}))}).ok());
    QVERIFY(m_store->apply({Op::remove(QStringLiteral("p:emptied"), "z")}).ok());

    QTRY_VERIFY_WITH_TIMEOUT(!m_store->value(QStringLiteral("p:gone")).value().has_value(), 10'000);
    auto found = m_store->keys(QStringLiteral("p:"));
    QVERIFY(found.ok());
    QStringList names = found.value();
    names.sort();
    QCOMPARE(names,
        QStringList({QStringLiteral("p:counter"), QStringLiteral("p:list"), QStringLiteral("p:value"),
            QStringLiteral("p:zset")}));
}

void tst_QueueStore::recoverOrphans()
{
    const QString procPrefix = QStringLiteral("t:processing:alerter");
    const QString hbPrefix = QStringLiteral("t:heartbeat:alerter");
    const auto claimInto = [this](const QString &pod, const QList<QByteArray> &items) {
        const QString staging = QStringLiteral("t:staging:") + pod;
        QVERIFY(m_store->apply({Op::pushHead(staging, items)}).ok());
        QCOMPARE(
            m_store->claim(staging, QStringLiteral("t:processing:alerter:") + pod, 100, std::chrono::milliseconds(0))
                .value(),
            items);
    };
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"queued"}))}).ok());
    claimInto(QStringLiteral("live"), bytes({"l1"}));
    claimInto(QStringLiteral("live:2"), bytes({"l2"}));
    claimInto(QStringLiteral("dead"), bytes({"d1", "d2"}));
    claimInto(QStringLiteral("dead:with:colons"), bytes({"c1"}));
    QVERIFY(m_store->setValue(hbPrefix + QStringLiteral(":live"), "alive", 30).ok());
    QVERIFY(m_store->setValue(hbPrefix + QStringLiteral(":live:2"), "alive", 30).ok());

    auto recovered = m_store->recoverOrphans(procPrefix, hbPrefix, kSource);
    QVERIFY(recovered.ok());
    QCOMPARE(recovered.value(), 3);
    QCOMPARE(m_store->length(procPrefix + QStringLiteral(":live")).value(), 1);
    QCOMPARE(m_store->length(procPrefix + QStringLiteral(":live:2")).value(), 1);
    QCOMPARE(m_store->length(procPrefix + QStringLiteral(":dead")).value(), 0);
    QCOMPARE(m_store->length(procPrefix + QStringLiteral(":dead:with:colons")).value(), 0);

    // Recovered items come next (each pod's oldest claim first), then the queue.
    const QList<QByteArray> order = claimAll(kSource, kProcessing);
    QCOMPARE(order.size(), 4);
    QCOMPARE(order.last(), QByteArray("queued"));
    QVERIFY(order.indexOf("d1") < order.indexOf("d2"));
    QVERIFY(order.indexOf("c1") >= 0 && order.indexOf("c1") < 3);

    QCOMPARE(m_store->recoverOrphans(procPrefix, hbPrefix, kSource).value(), 0);
}

void tst_QueueStore::returnAll()
{
    QVERIFY(m_store->apply({Op::pushHead(kSource, bytes({"a", "b", "c", "z"}))}).ok());
    QCOMPARE(m_store->claim(kSource, kProcessing, 3, std::chrono::milliseconds(0)).value(), bytes({"a", "b", "c"}));

    QCOMPARE(m_store->returnAll(kProcessing, kSource).value(), 3);
    QCOMPARE(m_store->length(kProcessing).value(), 0);
    QCOMPARE(claimAll(kSource, kProcessing), bytes({"a", "b", "c", "z"}));
    QCOMPARE(m_store->returnAll(QStringLiteral("t:processing:none"), kSource).value(), 0);
}

void tst_QueueStore::applyAsyncConcurrent()
{
    constexpr int threads = 8;
    constexpr int batches = 500;
    const QString counterKey = QStringLiteral("t:stats:accepted");
    std::atomic<int> succeeded {0};
    std::atomic<int> failed {0};

    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t) {
        producers.emplace_back([&, t] {
            for (int b = 0; b < batches; ++b) {
                const QByteArray item = QByteArray::number(t) + ':' + QByteArray::number(b);
                m_store->applyAsync({Op::pushHead(kSource, {item + ":1", item + ":2"}), Op::increment(counterKey, 2)},
                    [&](Status s) { (s.ok() ? succeeded : failed).fetch_add(1); });
            }
        });
    }
    for (auto &producer : producers)
        producer.join();

    QTRY_COMPARE_WITH_TIMEOUT(succeeded.load() + failed.load(), threads * batches, 40'000);
    QCOMPARE(failed.load(), 0);
    QCOMPARE(m_store->length(kSource).value(), qint64(threads) * batches * 2);
    QCOMPARE(m_store->counter(counterKey).value(), qint64(threads) * batches * 2);
}

void tst_QueueStore::applyAsyncDirectChains()
{
    // The ingest writer sends its next batch from the completion of the last
    // one, which may run on the store's I/O thread: only the asynchronous
    // calls are made there.
    const QString counterKey = QStringLiteral("t:stats:direct");
    auto second = std::make_shared<std::promise<Status>>();
    auto first = std::make_shared<std::promise<Status>>();
    QueueStore *store = m_store.get();
    store->applyAsyncDirect({Op::pushHead(kSource, bytes({"a", "b"})), Op::increment(counterKey, 2)},
        [store, first, second, counterKey](Status s) {
            first->set_value(s);
            store->applyAsyncDirect({Op::pushHead(kSource, bytes({"c"})), Op::increment(counterKey, 1)},
                [second](Status t) { second->set_value(t); });
        });
    const Status firstStatus = first->get_future().get();
    QVERIFY2(firstStatus.ok(), qPrintable(firstStatus.ok() ? QString() : firstStatus.error().toString()));
    const Status secondStatus = second->get_future().get();
    QVERIFY2(secondStatus.ok(), qPrintable(secondStatus.ok() ? QString() : secondStatus.error().toString()));
    QCOMPARE(m_store->range(kSource, 0, -1).value(), bytes({"c", "b", "a"}));
    QCOMPARE(m_store->counter(counterKey).value(), 3);

    auto rejected = std::make_shared<std::promise<Status>>();
    m_store->applyAsyncDirect({Op::pushHead(kSource, bytes({"d"})), Op::pushTail(kSource, {})},
        [rejected](Status s) { rejected->set_value(s); });
    const Status rejectedStatus = rejected->get_future().get();
    QVERIFY(!rejectedStatus.ok());
    QCOMPARE(rejectedStatus.error().code, ErrorCode::InvalidInput);
    QCOMPARE(m_store->length(kSource).value(), 3);
}

void tst_QueueStore::durableAcrossReopen()
{
    QVERIFY(m_store
                ->apply({Op::pushHead(kSource, bytes({"a", "b"})), Op::increment(QStringLiteral("t:count"), 4),
                    Op::schedule(QStringLiteral("t:retry"), "r", 500)})
                .ok());
    QVERIFY(m_store->setValue(QStringLiteral("t:value"), "kept", 0).ok());
    QCOMPARE(m_store->claim(kSource, kProcessing, 1, std::chrono::milliseconds(0)).value(), bytes({"a"}));
    m_store.reset();

    auto reopened = m_factory.open(false);
    QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().toString()));
    m_store = reopened.value().store;
    QCOMPARE(m_store->range(kSource, 0, -1).value(), bytes({"b"}));
    QCOMPARE(m_store->range(kProcessing, 0, -1).value(), bytes({"a"}));
    QCOMPARE(m_store->counter(QStringLiteral("t:count")).value(), 4);
    QCOMPARE(m_store->earliestDue(QStringLiteral("t:retry")).value(), std::optional<qint64>(500));
    QCOMPARE(m_store->value(QStringLiteral("t:value")).value(), std::optional<QByteArray>("kept"));
}

void tst_QueueStore::secondOpenFails()
{
    if (!m_factory.supportsExclusiveOpen())
        QSKIP("this backend allows several clients on the same state");

    auto second = m_factory.open(false);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, ErrorCode::Conflict);
    QVERIFY2(second.error().message.contains(QStringLiteral("already open")), qPrintable(second.error().message));
    QVERIFY2(second.error().message.contains(QString::number(QCoreApplication::applicationPid())),
        qPrintable(second.error().message));
    QVERIFY(m_store->ping().ok());
}

QTEST_GUILESS_MAIN(tst_QueueStore)
#include "tst_queue_store.moc"
