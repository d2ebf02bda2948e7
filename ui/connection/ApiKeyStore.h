#pragma once

#include <QObject>
#include <QString>

namespace mutt::ui {

// Remote API keys in the operating system's keychain (Secret Service,
// KWallet, macOS Keychain, Windows Credential Manager) through QtKeychain.
// Every call is asynchronous and reports its result as a signal. Keys are never
// written anywhere else: without a keychain the console asks each time.
class ApiKeyStore final : public QObject {
    Q_OBJECT
public:
    enum class Failure {
        NotFound,  // the keychain works but contains no key for this profile
        NoKeychain,  // no keychain service is available
        Denied,  // the user or the system refused access
        Other,
    };
    Q_ENUM(Failure)

    explicit ApiKeyStore(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ApiKeyStore)

    void read(const QString &profileName);
    void write(const QString &profileName, const QString &key);
    void remove(const QString &profileName);

    // False once a job reported that no keychain is available.
    [[nodiscard]] bool keychainAvailable() const { return m_available; }

signals:
    void keyRead(const QString &profileName, const QString &key);
    void readFailed(const QString &profileName, mutt::ui::ApiKeyStore::Failure failure, const QString &sentence);
    void keyWritten(const QString &profileName);
    void writeFailed(const QString &profileName, const QString &sentence);

private:
    static QString entryKey(const QString &profileName);

    bool m_available = true;
};

}  // namespace mutt::ui
