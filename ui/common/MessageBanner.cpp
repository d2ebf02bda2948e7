#include "common/MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>

namespace mutt::ui {

MessageBanner::MessageBanner(QWidget *parent) : QFrame(parent), m_symbol(new QLabel(this)), m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);

    m_text->setObjectName(QStringLiteral("messageBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_symbol->setAlignment(Qt::AlignTop);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(8);
    layout->addWidget(m_symbol);
    layout->addWidget(m_text, 1);

    hide();
}

void MessageBanner::showMessage(Tone tone, const QString &text)
{
    m_tone = tone;
    m_symbol->setText(toneSymbol(tone));
    m_text->setText(text);

    const QString colors = toneStyleSheet(tone, true);
    setStyleSheet(QStringLiteral("#messageBanner { %1 border-bottom: 1px solid %2; } QLabel { %3 }")
                      .arg(colors, toneText(tone).name(), QStringLiteral("color: %1;").arg(toneText(tone).name())));
    show();
}

void MessageBanner::clearMessage()
{
    m_text->clear();
    hide();
}

QString MessageBanner::text() const
{
    return m_text->text();
}

}  // namespace mutt::ui
