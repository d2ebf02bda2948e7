#pragma once

class QApplication;

namespace mutt::ui {

// The console's look: Fusion with a light palette, one base font, and the
// style sheet for cards, titles and the view switcher. Called once by main().
void applyConsoleStyle(QApplication &app);

}  // namespace mutt::ui
