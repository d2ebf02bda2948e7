#include "connection/ProfileStore.h"

#include <QSettings>

namespace mutt::ui {
namespace {

QString group(const QString &name)
{
    return QStringLiteral("profiles/") + name;
}

QString kindName(ConnectionProfile::Kind kind)
{
    return kind == ConnectionProfile::Kind::Remote ? QStringLiteral("remote") : QStringLiteral("embedded");
}

}  // namespace

ProfileStore::ProfileStore(std::unique_ptr<QSettings> settings)
    : m_settings(settings ? std::move(settings) : std::make_unique<QSettings>())
{
}

ProfileStore::~ProfileStore() = default;

QStringList ProfileStore::names() const
{
    m_settings->beginGroup(QStringLiteral("profiles"));
    QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    names.sort(Qt::CaseInsensitive);
    return names;
}

std::optional<ConnectionProfile> ProfileStore::load(const QString &name) const
{
    if (!names().contains(name))
        return std::nullopt;

    m_settings->beginGroup(group(name));
    ConnectionProfile profile;
    profile.name = name;
    profile.kind = m_settings->value(QStringLiteral("kind")).toString() == u"remote"
        ? ConnectionProfile::Kind::Remote
        : ConnectionProfile::Kind::Embedded;
    profile.dataDir = m_settings->value(QStringLiteral("dataDir")).toString();
    profile.url = QUrl(m_settings->value(QStringLiteral("url")).toString());
    profile.caFile = m_settings->value(QStringLiteral("caFile")).toString();
    profile.environment = m_settings->value(QStringLiteral("environment")).toString();
    profile.colour = QColor(m_settings->value(QStringLiteral("colour")).toString());
    m_settings->endGroup();
    return profile;
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    m_settings->beginGroup(group(profile.name));
    m_settings->setValue(QStringLiteral("kind"), kindName(profile.kind));
    m_settings->setValue(QStringLiteral("dataDir"), profile.dataDir);
    m_settings->setValue(QStringLiteral("url"), profile.url.toString(QUrl::RemoveUserInfo));
    m_settings->setValue(QStringLiteral("caFile"), profile.caFile);
    m_settings->setValue(QStringLiteral("environment"), profile.environment);
    m_settings->setValue(QStringLiteral("colour"), profile.colour.isValid() ? profile.colour.name() : QString());
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(group(name));
    if (lastUsed() == name)
        m_settings->remove(QStringLiteral("lastProfile"));
    m_settings->sync();
}

QString ProfileStore::lastUsed() const
{
    return m_settings->value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    m_settings->setValue(QStringLiteral("lastProfile"), name);
    m_settings->sync();
}

ConnectionProfile ProfileStore::startupProfile()
{
    if (auto last = load(lastUsed()))
        return *last;

    const ConnectionProfile fallback = ConnectionProfile::defaultEmbedded();
    if (auto existing = load(fallback.name))
        return *existing;
    save(fallback);
    return fallback;
}

}  // namespace mutt::ui
