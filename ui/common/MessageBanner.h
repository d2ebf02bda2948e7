#pragma once

#include "common/StatusStyle.h"

#include <QFrame>

class QLabel;

namespace mutt::ui {

// A strip across the top of the window with one sentence: how the console
// shows errors that come and go (a daemon that stops answering, an engine
// that failed to start). It never takes focus and never needs a click.
class MessageBanner final : public QFrame {
    Q_OBJECT
public:
    explicit MessageBanner(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(MessageBanner)

    void showMessage(Tone tone, const QString &text);
    void clearMessage();

    [[nodiscard]] QString text() const;
    [[nodiscard]] Tone tone() const { return m_tone; }

private:
    QLabel *m_symbol = nullptr;
    QLabel *m_text = nullptr;
    Tone m_tone = Tone::Neutral;
};

}  // namespace mutt::ui
