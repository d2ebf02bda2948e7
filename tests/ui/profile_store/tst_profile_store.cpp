#include "connection/ProfileStore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using mutt::ui::ConnectionProfile;
using mutt::ui::ProfileStore;

namespace {

ConnectionProfile remoteProfile()
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("prod-eu");
    profile.kind = ConnectionProfile::Kind::Remote;
    profile.url = QUrl(QStringLiteral("https://mutt.example.com:8090"));
    profile.caFile = QStringLiteral("/etc/mutt/ca.pem");
    profile.environment = QStringLiteral("Production");
    profile.colour = QColor(0x1b, 0x6e, 0x37);
    return profile;
}

}  // namespace

class TestProfileStore final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_path = m_dir->filePath(QStringLiteral("console.ini"));
    }

    void firstStartIsEmbedded()
    {
        ProfileStore store(std::make_unique<QSettings>(m_path, QSettings::IniFormat));

        const ConnectionProfile profile = store.startupProfile();

        QCOMPARE(profile.kind, ConnectionProfile::Kind::Embedded);
        QVERIFY(store.names().contains(profile.name));
    }

    void roundTrip()
    {
        {
            ProfileStore store(std::make_unique<QSettings>(m_path, QSettings::IniFormat));
            store.save(remoteProfile());
        }
        ProfileStore store(std::make_unique<QSettings>(m_path, QSettings::IniFormat));

        const std::optional<ConnectionProfile> loaded = store.load(QStringLiteral("prod-eu"));

        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->kind, ConnectionProfile::Kind::Remote);
        QCOMPARE(loaded->url, remoteProfile().url);
        QCOMPARE(loaded->caFile, remoteProfile().caFile);
        QCOMPARE(loaded->environment, remoteProfile().environment);
        QCOMPARE(loaded->colour, remoteProfile().colour);
    }

    void lastUsedOpensNext()
    {
        ProfileStore store(std::make_unique<QSettings>(m_path, QSettings::IniFormat));
        store.save(remoteProfile());
        store.setLastUsed(QStringLiteral("prod-eu"));

        QCOMPARE(store.startupProfile().name, QStringLiteral("prod-eu"));
    }

    void removedLastUsedFallsBack()
    {
        ProfileStore store(std::make_unique<QSettings>(m_path, QSettings::IniFormat));
        store.save(remoteProfile());
        store.setLastUsed(QStringLiteral("prod-eu"));
        store.remove(QStringLiteral("prod-eu"));

        QCOMPARE(store.startupProfile().kind, ConnectionProfile::Kind::Embedded);
    }

    void productionIsRed()
    {
        const ConnectionProfile profile = remoteProfile();

        QVERIFY(profile.isProduction());
        QCOMPARE(profile.effectiveColour(), QColor(0xb4, 0x1c, 0x1c));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("problem");

        QTest::newRow("complete") << QStringLiteral("lab") << QStringLiteral("https://mutt:8090") << QStringLiteral("")
                                  << QStringLiteral("");
        QTest::newRow("no name") << QStringLiteral("") << QStringLiteral("https://mutt:8090") << QStringLiteral("")
                                 << QStringLiteral("Enter a profile name.");
        QTest::newRow("slash in name") << QStringLiteral("a/b") << QStringLiteral("https://mutt:8090")
                                       << QStringLiteral("") << QStringLiteral("contains a slash");
        QTest::newRow("ftp") << QStringLiteral("lab") << QStringLiteral("ftp://mutt") << QStringLiteral("")
                             << QStringLiteral("is not an http:// or https:// URL");
        QTest::newRow("ca on http") << QStringLiteral("lab") << QStringLiteral("http://mutt:8090")
                                    << QStringLiteral("/ca.pem") << QStringLiteral("only applies to https://");
    }

    void validation()
    {
        QFETCH(QString, name);
        QFETCH(QString, url);
        QFETCH(QString, caFile);
        QFETCH(QString, problem);
        ConnectionProfile profile;
        profile.name = name;
        profile.kind = ConnectionProfile::Kind::Remote;
        profile.url = QUrl(url);
        profile.caFile = caFile;

        const std::optional<QString> found = profile.validate();

        QCOMPARE(found.has_value(), !problem.isEmpty());
        if (found)
            QVERIFY2(found->contains(problem), qPrintable(*found));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

QTEST_MAIN(TestProfileStore)
#include "tst_profile_store.moc"
