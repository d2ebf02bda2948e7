#pragma once

#include <QString>

// Whether the console can expect a display before QApplication looks for
// one: QApplication aborts the process when its platform plugin finds none.
enum class DisplayState {
    Usable,  // a display is set and accepts connections, or cannot be checked here
    Missing,  // none of DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM is set
    NotAnswering,  // DISPLAY names a local X display that accepts no connection
    WaylandNotAnswering,  // only WAYLAND_DISPLAY is set, and its socket accepts no connection
};

// Checks the environment, and with `platformChosen` (a -platform or -display
// option on the command line) trusts the option. Only Linux is checked.
DisplayState checkDisplay(bool platformChosen);

// The sentence that explains `state` (not Usable) to the user, translated.
QString displayProblem(DisplayState state);
