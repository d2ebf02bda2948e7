#include "connection/ConnectionProfile.h"

#include <QCoreApplication>

namespace mutt::ui {
namespace {

// Translation context for the sentences in this file.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfile)
};

}  // namespace

bool ConnectionProfile::isProduction() const
{
    const QString label = environment.trimmed().toLower();
    return label == u"production" || label == u"prod" || label == u"produktion";
}

QColor ConnectionProfile::effectiveColour() const
{
    if (isProduction())
        return QColor(0xb4, 0x1c, 0x1c);
    if (colour.isValid())
        return colour;
    return QColor(0x44, 0x4c, 0x56);
}

std::optional<QString> ConnectionProfile::validate() const
{
    if (name.trimmed().isEmpty())
        return Text::tr("Enter a profile name.");
    if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')))
        return Text::tr("The profile name \"%1\" contains a slash. Use letters, digits, spaces or dashes.").arg(name);
    if (kind == Kind::Embedded)
        return std::nullopt;

    const bool httpScheme = url.scheme() == u"http" || url.scheme() == u"https";
    if (!url.isValid() || !httpScheme || url.host().isEmpty()) {
        return Text::tr("The address \"%1\" is not an http:// or https:// URL with a host. "
                        "Enter it as https://host:8090, the address of the daemon's api role.")
            .arg(url.toDisplayString(QUrl::RemoveUserInfo));
    }
    if (!caFile.isEmpty() && url.scheme() != u"https")
        return Text::tr(
            "A CA file only applies to https:// addresses. Change the address to https:// or clear the CA file.");
    return std::nullopt;
}

ConnectionProfile ConnectionProfile::defaultEmbedded()
{
    ConnectionProfile profile;
    profile.name = Text::tr("Embedded");
    profile.kind = Kind::Embedded;
    profile.environment = Text::tr("local");
    profile.colour = QColor(0x1f, 0x5f, 0xa8);
    return profile;
}

}  // namespace mutt::ui
