#pragma once

#include "connection/ConnectionProfile.h"

#include <QDialog>

class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace mutt::ui {

class ProfileStore;

// Picks or edits a connection profile: Embedded (data folder) or Remote
// (address, API key, CA file), with its environment label and colour.
// Production profiles are marked red and open read-only.
class ConnectionDialog final : public QDialog {
    Q_OBJECT
public:
    ConnectionDialog(const ProfileStore &profiles, const ConnectionProfile &current, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConnectionDialog)

    [[nodiscard]] ConnectionProfile profile() const;
    // The key typed in this dialog; empty: use the one in the keychain.
    [[nodiscard]] QString apiKey() const;

private:
    QWidget *buildEmbeddedPage();
    QWidget *buildRemotePage();
    QWidget *buildEnvironmentBox();
    void showProfile(const ConnectionProfile &profile);
    void onProfilePicked(int index);
    void browse(QLineEdit *target, bool directory);
    void revalidate();

    const ProfileStore &m_profiles;
    QComboBox *m_picker = nullptr;
    QLineEdit *m_name = nullptr;
    QButtonGroup *m_kind = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_dataDir = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QLineEdit *m_caFile = nullptr;
    QComboBox *m_environment = nullptr;
    QComboBox *m_colour = nullptr;
    QLabel *m_production = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

}  // namespace mutt::ui
