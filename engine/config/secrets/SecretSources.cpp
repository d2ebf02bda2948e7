#include "config/secrets/SecretSources.h"

#include <QFile>

namespace mutt::config::secrets {
namespace {

struct Field {
    const char16_t *name;
    QString Settings::*member;
};

// DB_USER is not here: its field has a default and is only overridden by Vault.
const Field fields[] = {
    {names::ingestApiKey, &Settings::ingestApiKey},
    {names::ingestApiKeyNext, &Settings::ingestApiKeyNext},
    {names::webuiApiKey, &Settings::webuiApiKey},
    {names::webuiApiKeyNext, &Settings::webuiApiKeyNext},
    {names::moogApiKey, &Settings::moogApiKey},
    {names::redisPassCurrent, &Settings::redisPassCurrent},
    {names::redisPassNext, &Settings::redisPassNext},
    {names::redisPass, &Settings::redisPass},
    {names::dbPassCurrent, &Settings::dbPassCurrent},
    {names::dbPassNext, &Settings::dbPassNext},
};

}  // namespace

SecretStore::Values valuesOf(const Settings &settings)
{
    SecretStore::Values values;
    for (const Field &field : fields) {
        const QString &value = settings.*field.member;
        if (!value.isEmpty())
            values.insert(QString::fromUtf16(field.name), value);
    }
    return values;
}

void applyTo(const SecretStore::Values &values, Settings &settings)
{
    for (const Field &field : fields) {
        const auto it = values.constFind(QString::fromUtf16(field.name));
        if (it != values.constEnd())
            settings.*field.member = it.value();
    }
    // v2.5 Vault key without the _CURRENT suffix.
    const auto db = values.constFind(QString::fromUtf16(names::dbPass));
    if (db != values.constEnd() && !values.contains(QString::fromUtf16(names::dbPassCurrent)))
        settings.dbPassCurrent = db.value();
    const auto user = values.constFind(QString::fromUtf16(names::dbUser));
    if (user != values.constEnd() && !user.value().isEmpty())
        settings.dbUser = user.value();
}

FileReread rereadFiles(const QHash<QString, QString> &files)
{
    FileReread out;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile file(it.value());
        if (!file.open(QIODevice::ReadOnly)) {
            out.errors.append(QStringLiteral("%1_FILE=\"%2\": cannot read the secret file: %3; the previous value "
                                             "stays in use")
                                  .arg(it.key(), it.value(), file.errorString()));
            continue;
        }
        const QString content = QString::fromUtf8(file.readAll()).trimmed();
        // An empty *_NEXT file ends a rotation: the next value is withdrawn.
        // Any other secret keeps its value, because a required secret that
        // goes empty is more likely a file caught while being written.
        if (content.isEmpty() && it.key().endsWith(QLatin1StringView("_NEXT"))) {
            out.values.insert(it.key(), QString());
            continue;
        }
        if (content.isEmpty()) {
            out.errors.append(QStringLiteral("%1_FILE=\"%2\": the secret file is empty; the previous value stays "
                                             "in use")
                                  .arg(it.key(), it.value()));
            continue;
        }
        out.values.insert(it.key(), content);
    }
    return out;
}

}  // namespace mutt::config::secrets

namespace mutt::config {

QStringList redisPasswords(const Settings &settings)
{
    if (settings.secrets)
        return settings.secrets->redisPasswords();
    QStringList out;
    const QString current = settings.redisPassCurrent.isEmpty() ? settings.redisPass : settings.redisPassCurrent;
    for (const QString &password : {current, settings.redisPassNext}) {
        if (!password.isEmpty() && !out.contains(password))
            out.append(password);
    }
    return out;
}

QStringList dbPasswords(const Settings &settings)
{
    if (settings.secrets)
        return settings.secrets->dbPasswords();
    QStringList out;
    for (const QString &password : {settings.dbPassCurrent, settings.dbPassNext}) {
        if (!password.isEmpty() && !out.contains(password))
            out.append(password);
    }
    return out;
}

PasswordSource redisPasswordSource(const Settings &settings)
{
    return [settings] { return redisPasswords(settings); };
}

PasswordSource dbPasswordSource(const Settings &settings)
{
    return [settings] { return dbPasswords(settings); };
}

QString dbUser(const Settings &settings)
{
    return settings.secrets ? settings.secrets->dbUser(settings.dbUser) : settings.dbUser;
}

}  // namespace mutt::config
