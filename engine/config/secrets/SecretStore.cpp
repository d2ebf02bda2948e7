#include "config/secrets/SecretStore.h"

#include "core/Log.h"

namespace mutt::config::secrets {

QStringList secretNames()
{
    return {QString::fromUtf16(names::ingestApiKey), QString::fromUtf16(names::ingestApiKeyNext),
        QString::fromUtf16(names::webuiApiKey), QString::fromUtf16(names::webuiApiKeyNext),
        QString::fromUtf16(names::moogApiKey), QString::fromUtf16(names::redisPassCurrent),
        QString::fromUtf16(names::redisPassNext), QString::fromUtf16(names::redisPass),
        QString::fromUtf16(names::dbUser), QString::fromUtf16(names::dbPassCurrent),
        QString::fromUtf16(names::dbPassNext), QString::fromUtf16(names::dbPass)};
}

QString SecretStore::value(const QString &name) const
{
    std::lock_guard lock(m_mutex);
    return m_values.value(name);
}

SecretStore::Values SecretStore::values() const
{
    std::lock_guard lock(m_mutex);
    return m_values;
}

quint64 SecretStore::version() const
{
    std::lock_guard lock(m_mutex);
    return m_version;
}

QStringList SecretStore::merge(const Values &values)
{
    QStringList changed;
    QList<ChangeCallback> callbacks;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            // DB_USER is an account name, not a secret; it may appear in logs.
            if (it.key() != QStringView(names::dbUser))
                mutt::log::addSecret(it.value());
            if (m_values.value(it.key()) == it.value())
                continue;
            if (it.value().isEmpty())
                m_values.remove(it.key());
            else
                m_values.insert(it.key(), it.value());
            changed.append(it.key());
        }
        if (changed.isEmpty())
            return changed;
        ++m_version;
        callbacks = m_callbacks.values();
    }

    for (const ChangeCallback &callback : callbacks)
        callback(changed);
    return changed;
}

int SecretStore::onChange(ChangeCallback callback)
{
    std::lock_guard lock(m_mutex);
    const int id = m_nextCallbackId++;
    m_callbacks.emplace(id, std::move(callback));
    return id;
}

void SecretStore::removeCallback(int id)
{
    std::lock_guard lock(m_mutex);
    m_callbacks.remove(id);
}

QStringList SecretStore::pair(const QString &current, const QString &legacy, const QString &next) const
{
    std::lock_guard lock(m_mutex);
    QStringList out;
    const QString first = m_values.value(current, m_values.value(legacy));
    if (!first.isEmpty())
        out.append(first);
    const QString second = m_values.value(next);
    if (!second.isEmpty() && !out.contains(second))
        out.append(second);
    return out;
}

QStringList SecretStore::redisPasswords() const
{
    return pair(QString::fromUtf16(names::redisPassCurrent), QString::fromUtf16(names::redisPass),
        QString::fromUtf16(names::redisPassNext));
}

QStringList SecretStore::dbPasswords() const
{
    return pair(QString::fromUtf16(names::dbPassCurrent), QString::fromUtf16(names::dbPass),
        QString::fromUtf16(names::dbPassNext));
}

QString SecretStore::dbUser(const QString &fallback) const
{
    const QString user = value(QString::fromUtf16(names::dbUser));
    return user.isEmpty() ? fallback : user;
}

QStringList SecretStore::ingestKeys() const
{
    return pair(QString::fromUtf16(names::ingestApiKey), QString(), QString::fromUtf16(names::ingestApiKeyNext));
}

QStringList SecretStore::webuiKeys() const
{
    return pair(QString::fromUtf16(names::webuiApiKey), QString(), QString::fromUtf16(names::webuiApiKeyNext));
}

}  // namespace mutt::config::secrets
