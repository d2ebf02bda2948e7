// LogThrottle: one line per interval, with the count of lines held back.

#include "core/LogThrottle.h"

#include <QTest>

using mutt::log::LogThrottle;
using namespace std::chrono_literals;

class TestLogThrottle : public QObject {
    Q_OBJECT

private slots:
    void onePerIntervalWithHeldCount();
};

void TestLogThrottle::onePerIntervalWithHeldCount()
{
    LogThrottle throttle(10s);
    const LogThrottle::Clock::time_point start {};
    qint64 held = -1;

    QVERIFY(throttle.allow(start, held));
    QCOMPARE(held, qint64(0));

    QVERIFY(!throttle.allow(start + 1s, held));
    QVERIFY(!throttle.allow(start + 9s, held));
    QVERIFY(!throttle.allow(start + 9999ms, held));

    QVERIFY(throttle.allow(start + 10s, held));
    QCOMPARE(held, qint64(3));

    QVERIFY(!throttle.allow(start + 15s, held));
    QVERIFY(throttle.allow(start + 60s, held));
    QCOMPARE(held, qint64(1));
}

QTEST_GUILESS_MAIN(TestLogThrottle)
#include "tst_logthrottle.moc"
