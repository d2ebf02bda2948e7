#pragma once

#include "connection/ConnectionProfile.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace mutt::ui {

// Asks for a remote profile's API key when the keychain has none, or when
// there is no keychain (then the key is kept for this connection only).
class ApiKeyPrompt final : public QDialog {
    Q_OBJECT
public:
    ApiKeyPrompt(
        const ConnectionProfile &profile, const QString &reason, bool keychainAvailable, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ApiKeyPrompt)

    [[nodiscard]] const ConnectionProfile &profile() const { return m_profile; }
    [[nodiscard]] QString apiKey() const;
    [[nodiscard]] bool remember() const;

private:
    ConnectionProfile m_profile;
    QLineEdit *m_key = nullptr;
    QCheckBox *m_remember = nullptr;
};

}  // namespace mutt::ui
