// The systemd units of installer/systemd pass `systemd-analyze verify`
// without a single warning (it exits 0 even for unknown keys, so its output
// must be empty too), and keep the settings the deployment relies on.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kUnitDir = QStringLiteral(MUTT_SOURCE_DIR "/installer/systemd");

QString readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

}  // namespace

class TestSystemdUnits final : public QObject {
    Q_OBJECT

private slots:
    void unitVerifies_data();
    void unitVerifies();
    void unitHasRequiredSettings_data();
    void unitHasRequiredSettings();
    void templatesNameEachInstance();

private:
    static void addRows();
};

void TestSystemdUnits::addRows()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("instance");  // the unit name to verify (templates need an instance)
    QTest::addColumn<QString>("role");

    QTest::newRow("ingestor") << QStringLiteral("muttd-ingestor.service") << QStringLiteral("muttd-ingestor.service")
                              << QStringLiteral("ingestor");
    QTest::newRow("alerter") << QStringLiteral("muttd-alerter@.service") << QStringLiteral("muttd-alerter@1.service")
                             << QStringLiteral("alerter");
    QTest::newRow("forwarder") << QStringLiteral("muttd-forwarder@.service")
                               << QStringLiteral("muttd-forwarder@1.service") << QStringLiteral("forwarder");
    QTest::newRow("remediation") << QStringLiteral("muttd-remediation.service")
                                 << QStringLiteral("muttd-remediation.service") << QStringLiteral("remediation");
    QTest::newRow("api") << QStringLiteral("muttd-api.service") << QStringLiteral("muttd-api.service")
                         << QStringLiteral("api");
}

void TestSystemdUnits::unitVerifies_data()
{
    addRows();
}

void TestSystemdUnits::unitVerifies()
{
    QFETCH(QString, file);
    QFETCH(QString, instance);

    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    if (analyze.isEmpty())
        QSKIP("systemd-analyze is not installed; install systemd to verify the units");
    const QString muttd = qEnvironmentVariable("MUTT_BIN_DIR") + QStringLiteral("/muttd");
    if (!QFile::exists(muttd))
        QSKIP("the built muttd is missing; build the muttd target first");

    // verify checks that ExecStart exists: point it at the built muttd.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString text = readAll(kUnitDir + u'/' + file);
    QVERIFY(!text.isEmpty());
    text.replace(QStringLiteral("/usr/bin/muttd"), muttd);
    QFile out(dir.filePath(instance));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text.toUtf8());
    out.close();

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(analyze, {QStringLiteral("verify"), QStringLiteral("--man=no"), out.fileName()});
    QVERIFY(process.waitForFinished(30'000));
    const QByteArray output = process.readAll();

    QVERIFY2(process.exitCode() == 0, output.constData());
    QVERIFY2(output.trimmed().isEmpty(), output.constData());
}

void TestSystemdUnits::unitHasRequiredSettings_data()
{
    addRows();
}

void TestSystemdUnits::unitHasRequiredSettings()
{
    QFETCH(QString, file);
    QFETCH(QString, role);

    const QString text = readAll(kUnitDir + u'/' + file);

    for (const char *line : {"Type=notify", "NotifyAccess=main", "EnvironmentFile=/etc/mutt/mutt.env",
             "Restart=on-failure", "WatchdogSec=", "NoNewPrivileges=yes", "ProtectSystem=strict",
             "ReadWritePaths=/var/lib/mutt", "PrivateTmp=yes", "User=mutt", "ExecReload=/bin/kill -HUP $MAINPID"})
        QVERIFY2(text.contains(QLatin1StringView(line)), line);
    QVERIFY(text.contains(QStringLiteral("ExecStart=/usr/bin/muttd run --role ") + role + u' '));
}

void TestSystemdUnits::templatesNameEachInstance()
{
    for (const QString &role : {QStringLiteral("alerter"), QStringLiteral("forwarder")}) {
        const QString text = readAll(kUnitDir + QStringLiteral("/muttd-%1@.service").arg(role));
        QVERIFY(text.contains(QStringLiteral("--pod-name %H-") + role + QStringLiteral("-%i")));
        QVERIFY(text.contains(QStringLiteral("EnvironmentFile=-/etc/mutt/") + role + QStringLiteral("-%i.env")));
    }
}

QTEST_GUILESS_MAIN(TestSystemdUnits)
#include "tst_systemd_units.moc"
