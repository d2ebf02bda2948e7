#pragma once

#include "common/StatusStyle.h"
#include "runtime/EngineStatus.h"

#include <QFrame>

class QLabel;

namespace mutt::ui {

// The conservation counters and their check: everything accepted or
// generated must be forwarded, suppressed, unhandled, discarded, in a DLQ
// or still in flight. A difference is the runbook's data-loss signal (P1).
class ConservationPanel final : public QFrame {
    Q_OBJECT
public:
    explicit ConservationPanel(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConservationPanel)

    void setConservation(const runtime::Conservation &counters);
    // Shows no figures, with `note` (by default, that the first sample has not come yet).
    void clear(const QString &note = {});

    [[nodiscard]] QString checkText() const;
    [[nodiscard]] Tone checkTone() const { return m_tone; }

    // The sentence under the counters, on its own for tests and reports.
    [[nodiscard]] static QString describe(const runtime::Conservation &counters);

private:
    QLabel *addCounter(int row, int column, const QString &name, const QString &help);

    QLabel *m_accepted = nullptr;
    QLabel *m_generated = nullptr;
    QLabel *m_totalIn = nullptr;
    QLabel *m_forwarded = nullptr;
    QLabel *m_suppressed = nullptr;
    QLabel *m_unhandled = nullptr;
    QLabel *m_discarded = nullptr;
    QLabel *m_inDlq = nullptr;
    QLabel *m_inFlight = nullptr;
    QLabel *m_accountedFor = nullptr;
    QLabel *m_check = nullptr;
    Tone m_tone = Tone::Neutral;
};

}  // namespace mutt::ui
