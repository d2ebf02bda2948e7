#include "connection/ApiKeyPrompt.h"

#include "backend/RemoteErrors.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mutt::ui {

ApiKeyPrompt::ApiKeyPrompt(
    const ConnectionProfile &profile, const QString &reason, bool keychainAvailable, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_key(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember in the system keychain"), this))
{
    setWindowTitle(tr("API key for %1").arg(profile.name));

    auto *explanation = new QLabel(reason, this);
    explanation->setWordWrap(true);

    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("WEBUI_API_KEY of the daemon"));
    m_remember->setChecked(keychainAvailable);
    m_remember->setEnabled(keychainAvailable);
    if (!keychainAvailable)
        m_remember->setToolTip(tr("No system keychain is available; the key is kept for this connection only."));

    auto *form = new QFormLayout;
    form->addRow(tr("Daemon:"), new QLabel(displayAddress(profile.url), this));
    form->addRow(tr("API key:"), m_key);
    form->addRow(QString(), m_remember);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_key, &QLineEdit::textChanged, this, [buttons](const QString &text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(480, sizeHint().height());
}

QString ApiKeyPrompt::apiKey() const
{
    return m_key->text().trimmed();
}

bool ApiKeyPrompt::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

}  // namespace mutt::ui
