#include "common/StatusStyle.h"

namespace mutt::ui {

QColor toneText(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QColor(0x1b, 0x6e, 0x37);
    case Tone::Warning: return QColor(0x8a, 0x5a, 0x00);
    case Tone::Bad: return QColor(0xb4, 0x1c, 0x1c);
    case Tone::Neutral: return QColor(0x44, 0x4c, 0x56);
    }
    return {};
}

QColor toneBackground(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QColor(0xe3, 0xf3, 0xe7);
    case Tone::Warning: return QColor(0xfd, 0xf1, 0xd3);
    case Tone::Bad: return QColor(0xfb, 0xe4, 0xe4);
    case Tone::Neutral: return QColor(0xee, 0xf0, 0xf3);
    }
    return {};
}

QString toneSymbol(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QStringLiteral("✔");
    case Tone::Warning: return QStringLiteral("▲");
    case Tone::Bad: return QStringLiteral("✖");
    case Tone::Neutral: return QStringLiteral("•");
    }
    return {};
}

QString withSymbol(Tone tone, const QString &text)
{
    return toneSymbol(tone) + QLatin1Char(' ') + text;
}

QString toneStyleSheet(Tone tone, bool filled)
{
    QString sheet = QStringLiteral("color: %1;").arg(toneText(tone).name());
    if (filled)
        sheet += QStringLiteral(" background-color: %1;").arg(toneBackground(tone).name());
    return sheet;
}

}  // namespace mutt::ui
