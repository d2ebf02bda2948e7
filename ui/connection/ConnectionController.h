#pragma once

#include "common/StatusStyle.h"
#include "connection/ApiKeyStore.h"
#include "connection/ConnectionProfile.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace mutt::ui {

class Backend;
class ProfileStore;

// Turns a profile into an open backend: reads the API key from the keychain
// (asking the window for it when there is none), retires the previous
// backend, and only then opens the new one, so two embedded engines never
// share a data folder.
class ConnectionController final : public QObject {
    Q_OBJECT
public:
    ConnectionController(ProfileStore &profiles, QHash<QString, QString> environment, QObject *parent = nullptr);
    ~ConnectionController() override;
    Q_DISABLE_COPY_MOVE(ConnectionController)

    // Connects to `profile`. A remote profile without `apiKey` reads the
    // keychain first; a missing key ends in apiKeyNeeded.
    void connectTo(const ConnectionProfile &profile, const QString &apiKey = {});
    // Connects with a key the operator typed; stores it when `remember`.
    void connectWithKey(const ConnectionProfile &profile, const QString &apiKey, bool remember);
    // Stops the current backend; shutdownFinished follows.
    void shutdown();

    [[nodiscard]] Backend *backend() const { return m_backend; }
    [[nodiscard]] const ConnectionProfile &profile() const { return m_profile; }
    [[nodiscard]] ProfileStore &profiles() { return m_profiles; }
    [[nodiscard]] ApiKeyStore &keys() { return m_keys; }

signals:
    // A connection attempt began; the backend follows (or apiKeyNeeded).
    void connecting(const mutt::ui::ConnectionProfile &profile);
    // The new backend, already opened; the old one is gone.
    void backendChanged(mutt::ui::Backend *backend, const mutt::ui::ConnectionProfile &profile);
    void apiKeyNeeded(const mutt::ui::ConnectionProfile &profile, const QString &reason, bool keychainAvailable);
    // Something the operator should read, shown in the banner.
    void notice(mutt::ui::Tone tone, const QString &sentence);
    void shutdownFinished();

private:
    void onKeyRead(const QString &profileName, const QString &key);
    void onKeyReadFailed(const QString &profileName, ApiKeyStore::Failure failure, const QString &sentence);
    // Stops the current backend, then calls `next` on this object's thread.
    void retireCurrent(std::function<void()> next);
    void open(const ConnectionProfile &profile, const QString &apiKey);

    ProfileStore &m_profiles;
    ApiKeyStore m_keys;
    QHash<QString, QString> m_environment;
    QPointer<Backend> m_backend;
    ConnectionProfile m_profile;
    ConnectionProfile m_pending;  // the remote profile whose key is being read
    bool m_retiring = false;
};

}  // namespace mutt::ui
