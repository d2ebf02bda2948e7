#pragma once

#include "connection/ConnectionProfile.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace mutt::ui {

// The strip under the menu that says where the console is attached. A
// production profile fills it red and opens read-only; the operator unlocks
// changes for the session with the button.
class EnvironmentBar final : public QFrame {
    Q_OBJECT
public:
    explicit EnvironmentBar(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EnvironmentBar)

    void setProfile(const ConnectionProfile &profile, const QString &target);
    [[nodiscard]] bool isReadOnly() const { return m_readOnly; }
    [[nodiscard]] QString text() const;

signals:
    void readOnlyChanged(bool readOnly);

private:
    void toggleReadOnly();
    void render();

    ConnectionProfile m_profile;
    QString m_target;
    bool m_readOnly = false;
    QLabel *m_label = nullptr;
    QPushButton *m_unlock = nullptr;
};

}  // namespace mutt::ui
