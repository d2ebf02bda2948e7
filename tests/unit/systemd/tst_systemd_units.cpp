// The systemd units of installer/systemd pass `systemd-analyze verify`
// without a single warning. It exits 0 even for unknown keys, so its output
// must be empty too. The units keep the settings the deployment relies on and
// carry the MUTT v2.5 names that the incident runbook's commands use.

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
    void templatesFollowMainUnit_data();
    void templatesFollowMainUnit();
    void runbookNamesExist_data();
    void runbookNamesExist();

private:
    static void addRows();
};

void TestSystemdUnits::addRows()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("instance");  // the unit name to verify (templates need an instance)
    QTest::addColumn<QString>("role");

    const auto row = [](const char *name, const QString &file, const QString &instance, const QString &role) {
        QTest::newRow(name) << file << instance << role;
    };
    row("ingestor", QStringLiteral("mutt-ingestor.service"), QStringLiteral("mutt-ingestor.service"),
        QStringLiteral("ingestor"));
    row("alerter", QStringLiteral("mutt-alerter.service"), QStringLiteral("mutt-alerter.service"),
        QStringLiteral("alerter"));
    row("alerter@", QStringLiteral("mutt-alerter@.service"), QStringLiteral("mutt-alerter@2.service"),
        QStringLiteral("alerter"));
    row("forwarder", QStringLiteral("mutt-moog-forwarder.service"), QStringLiteral("mutt-moog-forwarder.service"),
        QStringLiteral("forwarder"));
    row("forwarder@", QStringLiteral("mutt-moog-forwarder@.service"), QStringLiteral("mutt-moog-forwarder@2.service"),
        QStringLiteral("forwarder"));
    row("remediation", QStringLiteral("mutt-remediation.service"), QStringLiteral("mutt-remediation.service"),
        QStringLiteral("remediation"));
    row("webui", QStringLiteral("mutt-webui.service"), QStringLiteral("mutt-webui.service"), QStringLiteral("api"));
    row("all roles", QStringLiteral("mutt.service"), QStringLiteral("mutt.service"), QStringLiteral("all"));
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

    // verify checks that ExecStart exists, so it points at the built muttd.
    // It also loads the units named in PartOf= and WantedBy=, so all are copied.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList units = QDir(kUnitDir).entryList({QStringLiteral("*.service")}, QDir::Files);
    QVERIFY(units.contains(file));
    for (const QString &unit : units) {
        QString text = readAll(kUnitDir + u'/' + unit);
        QVERIFY(!text.isEmpty());
        text.replace(QStringLiteral("/usr/bin/muttd"), muttd);
        QFile out(dir.filePath(unit == file ? instance : unit));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text.toUtf8());
    }

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(analyze, {QStringLiteral("verify"), QStringLiteral("--man=no"), dir.filePath(instance)});
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
    for (const auto &[unit, role] : {std::pair {QStringLiteral("mutt-alerter"), QStringLiteral("alerter")},
             std::pair {QStringLiteral("mutt-moog-forwarder"), QStringLiteral("forwarder")}}) {
        const QString main = readAll(kUnitDir + u'/' + unit + QStringLiteral(".service"));
        const QString tmpl = readAll(kUnitDir + u'/' + unit + QStringLiteral("@.service"));
        QVERIFY(main.contains(QStringLiteral("--pod-name %H-") + role + u'\n'));
        QVERIFY(tmpl.contains(QStringLiteral("--pod-name %H-") + role + QStringLiteral("-%i")));
        QVERIFY(tmpl.contains(QStringLiteral("EnvironmentFile=-/etc/mutt/") + role + QStringLiteral("-%i.env")));
    }
}

void TestSystemdUnits::templatesFollowMainUnit_data()
{
    QTest::addColumn<QString>("unit");
    QTest::newRow("alerter") << QStringLiteral("mutt-alerter");
    QTest::newRow("forwarder") << QStringLiteral("mutt-moog-forwarder");
}

// `systemctl restart mutt-alerter` must reach every instance: the template
// is PartOf= the main unit and installed into its .wants.
void TestSystemdUnits::templatesFollowMainUnit()
{
    QFETCH(QString, unit);

    const QString tmpl = readAll(kUnitDir + u'/' + unit + QStringLiteral("@.service"));

    QVERIFY(tmpl.contains(QStringLiteral("\nPartOf=") + unit + QStringLiteral(".service\n")));
    QVERIFY(tmpl.contains(QStringLiteral("\nWantedBy=") + unit + QStringLiteral(".service\n")));
}

void TestSystemdUnits::runbookNamesExist_data()
{
    QTest::addColumn<QString>("unit");
    for (const char *name : {"mutt-ingestor", "mutt-alerter", "mutt-moog-forwarder", "mutt-remediation", "mutt-webui"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestSystemdUnits::runbookNamesExist()
{
    QFETCH(QString, unit);

    QVERIFY(QFile::exists(kUnitDir + u'/' + unit + QStringLiteral(".service")));
}

QTEST_GUILESS_MAIN(TestSystemdUnits)
#include "tst_systemd_units.moc"
