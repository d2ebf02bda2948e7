// PostgreSQL stopped for 30 s while events flow, muttd on its own Redis and
// PostgreSQL. The alerter keeps running, /health names the database, the
// matched events wait in the ingest queue without using up their retries,
// and none is lost or audited twice; after the restart all are processed.

#include "OutageBed.h"

#include <QDeadlineTimer>
#include <QtTest>

using namespace mutt::itest;

namespace {

// The outage the incident runbook describes; the alerter's retry path is
// the same for any length, 30 s also outlasts the connect timeouts.
constexpr int kOutageMs = 30'000;

QString healthErrors(const HttpReply &reply)
{
    return reply.json().value(QStringLiteral("errors")).toVariant().toStringList().join(u'\n');
}

}  // namespace

class TestPgOutage final : public QObject {
    Q_OBJECT

private slots:
    void pgOutage();
};

void TestPgOutage::pgOutage()
{
    OutageBed bed;
    const QString servers = bed.startServers();
    if (servers.contains(QStringLiteral("not installed")))
        QSKIP(qPrintable(servers));
    QVERIFY2(servers.isEmpty(), qPrintable(servers));
    // One retry only: an outage must not use up the events' retries at all,
    // so none reaches the DLQ however few retries are allowed.
    const QString muttd = bed.startMuttd({{QStringLiteral("ALERTER_MAX_RETRIES"), QStringLiteral("1")}});
    QVERIFY2(muttd.isEmpty(), qPrintable(muttd));

    bed.startLoad(QStringLiteral("pg"), 20);
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 3, 20'000);

    const QString alerterHealth = QStringLiteral("HEALTH_PORT_ALERTER");
    const QDeadlineTimer outage(kOutageMs);
    const mutt::Status stopped = bed.postgres().stopServer();
    QVERIFY2(stopped.ok(), qPrintable(stopped.ok() ? QString() : stopped.error().toString()));

    QTRY_COMPARE_WITH_TIMEOUT(bed.health(alerterHealth).status, 503, 20'000);
    const QString errors = healthErrors(bed.health(alerterHealth));
    QVERIFY2(errors.contains(QStringLiteral("postgresql: unavailable since")), qPrintable(errors));
    // Ingest does not need the database: events keep being acknowledged.
    bed.clearStatuses();
    QTRY_VERIFY_WITH_TIMEOUT(bed.statuses().value(200) >= 3, 20'000);

    // The outage lasts its full length; the alerter must still be running.
    while (!outage.hasExpired())
        QTest::qWait(500);
    QVERIFY(bed.muttd().running());
    QCOMPARE(bed.health(alerterHealth).status, 503);
    // Remediation (every second here) would hide DLQ entries by replaying
    // them, so the log shows that no event used up its retry.
    const QByteArray log = bed.muttd().output();
    QVERIFY2(log.contains("the SQL store does not answer;"), log.constData());
    QVERIFY2(!log.contains("audit write failed after"), log.constData());

    const mutt::Status started = bed.postgres().startServer();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(bed.health(alerterHealth).status, 200, 30'000);
    bed.stopLoad();

    QTRY_VERIFY2_WITH_TIMEOUT(bed.accountingProblem().isEmpty(), qPrintable(bed.accountingProblem()), 30'000);
    QCOMPARE(bed.counter(QStringLiteral("in_dlq")), 0);
    QCOMPARE(bed.duplicateAuditRows(), 0);
    QCOMPARE(bed.auditRows(), bed.ackedAlerts());
}

QTEST_GUILESS_MAIN(TestPgOutage)
#include "tst_pgoutage.moc"
