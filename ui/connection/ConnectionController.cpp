#include "connection/ConnectionController.h"

#include "backend/Backend.h"
#include "connection/BackendFactory.h"
#include "connection/ProfileStore.h"
#include "core/Log.h"

#include <QFuture>

namespace mutt::ui {

ConnectionController::ConnectionController(ProfileStore &profiles, QHash<QString, QString> environment, QObject *parent)
    : QObject(parent)
    , m_profiles(profiles)
    , m_environment(std::move(environment))
{
    connect(&m_keys, &ApiKeyStore::keyRead, this, &ConnectionController::onKeyRead);
    connect(&m_keys, &ApiKeyStore::readFailed, this, &ConnectionController::onKeyReadFailed);
    connect(&m_keys, &ApiKeyStore::writeFailed, this,
        [this](const QString &, const QString &sentence) { emit notice(Tone::Warning, sentence); });
}

ConnectionController::~ConnectionController() = default;

void ConnectionController::connectTo(const ConnectionProfile &profile, const QString &apiKey)
{
    if (const auto problem = profile.validate()) {
        emit notice(Tone::Bad, *problem);
        return;
    }
    emit connecting(profile);
    if (!profile.isRemote() || !apiKey.isEmpty()) {
        open(profile, apiKey);
        return;
    }

    m_pending = profile;
    m_keys.read(profile.name);
}

void ConnectionController::connectWithKey(const ConnectionProfile &profile, const QString &apiKey, bool remember)
{
    if (remember && m_keys.keychainAvailable())
        m_keys.write(profile.name, apiKey);
    connectTo(profile, apiKey);
}

void ConnectionController::onKeyRead(const QString &profileName, const QString &key)
{
    if (profileName != m_pending.name)
        return;
    if (key.isEmpty()) {
        emit apiKeyNeeded(m_pending, tr("The keychain entry for profile \"%1\" is empty.").arg(profileName),
            m_keys.keychainAvailable());
        return;
    }
    open(m_pending, key);
}

void ConnectionController::onKeyReadFailed(const QString &profileName, ApiKeyStore::Failure, const QString &sentence)
{
    if (profileName != m_pending.name)
        return;
    emit apiKeyNeeded(m_pending, sentence, m_keys.keychainAvailable());
}

void ConnectionController::open(const ConnectionProfile &profile, const QString &apiKey)
{
    retireCurrent([this, profile, apiKey] {
        m_profile = profile;
        // Profiles built from the command line are not saved, so not remembered.
        if (m_profiles.names().contains(profile.name))
            m_profiles.setLastUsed(profile.name);

        Result<Backend *> created = createBackend(BackendInputs {profile, apiKey, m_environment}, this);
        if (!created.ok()) {
            mutt::log::get("ui")->error(
                "Profile cannot open: profile={} reason={}", profile.name, created.error().message);
            emit backendChanged(nullptr, profile);
            emit notice(Tone::Bad, created.error().message);
            return;
        }

        m_backend = created.value();
        mutt::log::get("ui")->info("Opening profile: profile={} target={}", profile.name, m_backend->displayName());
        m_backend->open();
        emit backendChanged(m_backend, profile);
    });
}

void ConnectionController::shutdown()
{
    retireCurrent([this] { emit shutdownFinished(); });
}

void ConnectionController::retireCurrent(std::function<void()> next)
{
    if (!m_backend) {
        next();
        return;
    }

    QPointer<Backend> old = m_backend;
    m_backend = nullptr;
    old->shutdown().then(this, [old, next = std::move(next)] {
        if (old)
            old->deleteLater();
        next();
    });
}

}  // namespace mutt::ui
