#include "common/ConsoleStyle.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

namespace mutt::ui {
namespace {

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xf3, 0xf5, 0xf8));
    palette.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    palette.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    palette.setColor(QPalette::Button, QColor(0xf6, 0xf8, 0xfa));
    palette.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    palette.setColor(QPalette::Highlight, QColor(0x1f, 0x5f, 0xa8));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    palette.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8c, 0x95, 0x9f));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8c, 0x95, 0x9f));
    return palette;
}

const char *const StyleSheet = R"(
#viewTitle { font-size: 15pt; font-weight: 600; }
#sectionTitle { font-weight: 600; font-size: 10.5pt; }
#card { background: white; border: 1px solid #d0d7de; border-radius: 6px; }
#card QTableView { border: none; }
#overviewSummary, #queuesSummary { color: #57606a; }
#circuitLine, #conservationCheck { border-radius: 4px; }
QListWidget#viewSwitcher {
    background: #1f2630; color: #d0d7de; border: none; font-size: 10.5pt; outline: 0;
}
QListWidget#viewSwitcher::item { padding: 9px 16px; border-left: 3px solid transparent; }
QListWidget#viewSwitcher::item:selected { background: #2d3744; color: white; border-left: 3px solid #4c9aff; }
QListWidget#viewSwitcher::item:hover:!selected { background: #27303b; }
QHeaderView::section {
    background: #f6f8fa; border: none; border-bottom: 1px solid #d0d7de; border-right: 1px solid #eaeef2;
    padding: 4px 8px; font-weight: 600;
}
QTableView { gridline-color: #eaeef2; selection-background-color: #dbe9fb; selection-color: #1f2328; }
QStatusBar { background: #eaeef2; }
QStatusBar QLabel { padding: 0 8px; }
)";

}  // namespace

void applyConsoleStyle(QApplication &app)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    app.setPalette(lightPalette());

    QFont font = app.font();
    font.setPointSizeF(10.0);
    app.setFont(font);

    app.setStyleSheet(QString::fromLatin1(StyleSheet));
}

}  // namespace mutt::ui
