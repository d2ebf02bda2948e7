// muttd run --role <set>: each role alone and a pair, with the embedded
// stores. Exactly the listeners of the chosen roles exist, each serves
// /health (naming its roles and a unique POD_NAME) and /metrics, and SIGTERM
// ends the process with exit code 0.

#include "HttpCall.h"
#include "MuttdProcess.h"
#include "ProcessTools.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace mutt::itest;

namespace {

const QStringList kAllPorts {
    QStringLiteral("SERVER_PORT_INGESTOR"),
    QStringLiteral("HEALTH_PORT_ALERTER"),
    QStringLiteral("METRICS_PORT_ALERTER"),
    QStringLiteral("HEALTH_PORT_MOOG"),
    QStringLiteral("METRICS_PORT_MOOG"),
    QStringLiteral("HEALTH_PORT_REMEDIATION"),
    QStringLiteral("METRICS_PORT_REMEDIATION"),
    QStringLiteral("SERVER_PORT_WEBUI"),
};

QString healthUrl(const MuttdProcess &muttd, const QString &variable, const char *path = "/health")
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(muttd.port(variable)).arg(QLatin1StringView(path));
}

// Nothing listens there, and the health probe of remediation is off: the
// tests never reach past 127.0.0.1.
void keepMoogLocal(MuttdProcess &muttd)
{
    muttd.setEnv(QStringLiteral("MOOG_WEBHOOK_URL"), QStringLiteral("http://127.0.0.1:%1/events").arg(freePort()));
    muttd.setEnv(QStringLiteral("MOOG_HEALTH_CHECK_ENABLED"), QStringLiteral("false"));
}

}  // namespace

class TestRoles final : public QObject {
    Q_OBJECT

private slots:
    void rolesListenOnlyOnTheirPorts_data();
    void rolesListenOnlyOnTheirPorts();
    void podNamesAreUnique();
    void podNameFlagWins();
};

void TestRoles::rolesListenOnlyOnTheirPorts_data()
{
    QTest::addColumn<QString>("roles");
    QTest::addColumn<QStringList>("expectedRoles");
    QTest::addColumn<QStringList>("ports");

    QTest::newRow("ingestor") << QStringLiteral("ingestor") << QStringList {QStringLiteral("ingestor")}
                              << QStringList {QStringLiteral("SERVER_PORT_INGESTOR")};
    QTest::newRow("alerter") << QStringLiteral("alerter") << QStringList {QStringLiteral("alerter")}
                             << QStringList {
                                    QStringLiteral("HEALTH_PORT_ALERTER"), QStringLiteral("METRICS_PORT_ALERTER")};
    QTest::newRow("forwarder") << QStringLiteral("forwarder") << QStringList {QStringLiteral("forwarder")}
                               << QStringList {QStringLiteral("HEALTH_PORT_MOOG"), QStringLiteral("METRICS_PORT_MOOG")};
    QTest::newRow("remediation") << QStringLiteral("remediation") << QStringList {QStringLiteral("remediation")}
                                 << QStringList {QStringLiteral("HEALTH_PORT_REMEDIATION"),
                                        QStringLiteral("METRICS_PORT_REMEDIATION")};
    QTest::newRow("api") << QStringLiteral("api") << QStringList {QStringLiteral("api")}
                         << QStringList {QStringLiteral("SERVER_PORT_WEBUI")};
    QTest::newRow("alerter,forwarder") << QStringLiteral("alerter,forwarder")
                                       << QStringList {QStringLiteral("alerter"), QStringLiteral("forwarder")}
                                       << QStringList {QStringLiteral("HEALTH_PORT_ALERTER"),
                                              QStringLiteral("METRICS_PORT_ALERTER"),
                                              QStringLiteral("HEALTH_PORT_MOOG"), QStringLiteral("METRICS_PORT_MOOG")};
}

void TestRoles::rolesListenOnlyOnTheirPorts()
{
    QFETCH(QString, roles);
    QFETCH(QStringList, expectedRoles);
    QFETCH(QStringList, ports);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MuttdProcess muttd(dir.path());
    keepMoogLocal(muttd);
    QVERIFY(muttd.start(roles));
    QVERIFY2(muttd.waitHealthyOn(ports.constFirst()), muttd.output().constData());

    // Each port reports the roles it belongs to; together they are the set.
    QSet<QString> reportedRoles;
    for (const QString &variable : ports) {
        const HttpReply health = httpGet(healthUrl(muttd, variable));
        QCOMPARE(health.status, 200);
        const QJsonArray reported = health.json().value(QStringLiteral("roles")).toArray();
        QVERIFY(!reported.isEmpty());
        for (const QJsonValue &value : reported)
            reportedRoles.insert(value.toString());
        QVERIFY(health.json().value(QStringLiteral("pod")).toString().startsWith(expectedRoles.join(u'+') + u'-'));
        QCOMPARE(httpGet(healthUrl(muttd, variable, "/metrics")).status, 200);
    }
    QCOMPARE(reportedRoles, QSet<QString>(expectedRoles.cbegin(), expectedRoles.cend()));
    for (const QString &variable : kAllPorts) {
        if (ports.contains(variable))
            continue;
        const HttpReply absent = httpGet(healthUrl(muttd, variable), {}, 2'000);
        QVERIFY2(absent.status == 0, qPrintable(variable + QStringLiteral(" answered but its role was not chosen")));
    }

    QCOMPARE(muttd.terminate(), 0);
}

void TestRoles::podNamesAreUnique()
{
    QTemporaryDir first;
    QTemporaryDir second;
    MuttdProcess a(first.path());
    MuttdProcess b(second.path());
    keepMoogLocal(a);
    keepMoogLocal(b);
    QVERIFY(a.start(QStringLiteral("alerter")));
    QVERIFY(b.start(QStringLiteral("alerter")));
    QVERIFY(a.waitHealthyOn(QStringLiteral("HEALTH_PORT_ALERTER")));
    QVERIFY(b.waitHealthyOn(QStringLiteral("HEALTH_PORT_ALERTER")));

    const QString podA
        = httpGet(healthUrl(a, QStringLiteral("HEALTH_PORT_ALERTER"))).json().value(QStringLiteral("pod")).toString();
    const QString podB
        = httpGet(healthUrl(b, QStringLiteral("HEALTH_PORT_ALERTER"))).json().value(QStringLiteral("pod")).toString();

    QVERIFY(!podA.isEmpty());
    QVERIFY(podA != podB);
    QVERIFY(!podA.contains(u':'));
    QCOMPARE(a.terminate(), 0);
    QCOMPARE(b.terminate(), 0);
    QVERIFY(a.output().contains(QStringLiteral("pod=%1").arg(podA).toUtf8()));
}

void TestRoles::podNameFlagWins()
{
    QTemporaryDir dir;
    MuttdProcess muttd(dir.path());
    keepMoogLocal(muttd);
    muttd.setEnv(QStringLiteral("POD_NAME"), QStringLiteral("from-env"));
    QVERIFY(
        muttd.start(QStringLiteral("forwarder"), {QStringLiteral("--pod-name"), QStringLiteral("host1-forwarder-2")}));
    QVERIFY(muttd.waitHealthyOn(QStringLiteral("HEALTH_PORT_MOOG")));

    const HttpReply health = httpGet(healthUrl(muttd, QStringLiteral("HEALTH_PORT_MOOG")));

    QCOMPARE(health.json().value(QStringLiteral("pod")).toString(), QStringLiteral("host1-forwarder-2"));
    QCOMPARE(muttd.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestRoles)
#include "tst_roles.moc"
