#pragma once

#include <QColor>
#include <QString>

namespace mutt::ui {

// The console's status vocabulary. Every tone has its own symbol as well as
// its own colour, so state never depends on colour alone.
enum class Tone { Good, Warning, Bad, Neutral };

QColor toneText(Tone tone);  // foreground on the window background
QColor toneBackground(Tone tone);  // light fill behind text of toneText
QString toneSymbol(Tone tone);  // ✔ ▲ ✖ •
// "✔ Healthy" style: symbol, a space, the text.
QString withSymbol(Tone tone, const QString &text);
// A style sheet fragment "color: #...; background: #...;" for labels.
QString toneStyleSheet(Tone tone, bool filled);

}  // namespace mutt::ui
