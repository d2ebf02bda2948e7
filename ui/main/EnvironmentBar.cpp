#include "main/EnvironmentBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace mutt::ui {

EnvironmentBar::EnvironmentBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_unlock(new QPushButton(this))
{
    setObjectName(QStringLiteral("environmentBar"));
    m_label->setObjectName(QStringLiteral("environmentLabel"));
    m_unlock->setObjectName(QStringLiteral("unlockChanges"));
    connect(m_unlock, &QPushButton::clicked, this, &EnvironmentBar::toggleReadOnly);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 5, 16, 5);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_unlock);
    render();
}

void EnvironmentBar::setProfile(const ConnectionProfile &profile, const QString &target)
{
    m_profile = profile;
    m_target = target;
    const bool readOnly = profile.isProduction();
    const bool changed = readOnly != m_readOnly;
    m_readOnly = readOnly;
    render();
    if (changed)
        emit readOnlyChanged(m_readOnly);
}

QString EnvironmentBar::text() const
{
    return m_label->text();
}

void EnvironmentBar::toggleReadOnly()
{
    m_readOnly = !m_readOnly;
    render();
    emit readOnlyChanged(m_readOnly);
}

void EnvironmentBar::render()
{
    const QString environment = m_profile.environment.isEmpty() ? tr("no environment label") : m_profile.environment;
    const QColor colour = m_profile.effectiveColour();

    if (m_profile.isProduction()) {
        const QString mode = m_readOnly ? tr("read-only: changes are locked") : tr("changes unlocked for this session");
        m_label->setText(QStringLiteral("▲ ") + tr("PRODUCTION") + QStringLiteral("  ·  ") + m_profile.name
            + QStringLiteral("  ·  ") + m_target + QStringLiteral("  ·  ") + mode);
        m_unlock->setText(m_readOnly ? tr("Unlock changes for this session") : tr("Lock changes again"));
        m_unlock->show();
        setStyleSheet(QStringLiteral("#environmentBar { background: %1; } #environmentLabel { color: white; "
                                     "font-weight: 700; }")
                          .arg(colour.name()));
        return;
    }

    m_label->setText(QStringLiteral("● ") + environment + QStringLiteral("  ·  ") + m_profile.name
        + QStringLiteral("  ·  ") + m_target);
    m_unlock->hide();
    setStyleSheet(QStringLiteral("#environmentBar { background: white; border-bottom: 1px solid #d0d7de; "
                                 "border-left: 6px solid %1; } #environmentLabel { color: %1; font-weight: 600; }")
                      .arg(colour.name()));
}

}  // namespace mutt::ui
