// LogThrottle: one line per interval, with the count of lines suppressed back.

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
    qint64 suppressed = -1;

    QVERIFY(throttle.allow(start, suppressed));
    QCOMPARE(suppressed, qint64(0));

    QVERIFY(!throttle.allow(start + 1s, suppressed));
    QVERIFY(!throttle.allow(start + 9s, suppressed));
    QVERIFY(!throttle.allow(start + 9999ms, suppressed));

    QVERIFY(throttle.allow(start + 10s, suppressed));
    QCOMPARE(suppressed, qint64(3));

    QVERIFY(!throttle.allow(start + 15s, suppressed));
    QVERIFY(throttle.allow(start + 60s, suppressed));
    QCOMPARE(suppressed, qint64(1));
}

QTEST_GUILESS_MAIN(TestLogThrottle)
#include "tst_logthrottle.moc"
