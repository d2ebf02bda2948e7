#include "overview/ConservationPanel.h"

#include "common/Format.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>

namespace mutt::ui {

ConservationPanel::ConservationPanel(QWidget *parent) : QFrame(parent), m_check(new QLabel(this))
{
    setObjectName(QStringLiteral("conservationPanel"));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(3);
    grid->setColumnStretch(2, 1);
    grid->setColumnMinimumWidth(2, 24);

    m_accepted = addCounter(0, 0, tr("Accepted"), tr("Events the ingestor acknowledged with HTTP 200."));
    m_generated = addCounter(1, 0, tr("Generated"), tr("Meta-alerts the alerter created (unhandled-event alerts)."));
    m_totalIn = addCounter(6, 0, tr("Total in"), tr("Accepted + generated."));

    m_forwarded = addCounter(0, 3, tr("Forwarded"), tr("Alerts Moogsoft acknowledged with 2xx."));
    m_suppressed = addCounter(1, 3, tr("Suppressed"), tr("Matched a rule whose handling does not forward."));
    m_unhandled = addCounter(2, 3, tr("Unhandled"), tr("Matched no rule."));
    m_discarded = addCounter(3, 3, tr("Discarded"), tr("Deleted from a dead-letter queue by an operator."));
    m_inDlq = addCounter(4, 3, tr("In DLQ"), tr("Items in the alerter, Moogsoft and dead dead-letter queues."));
    m_inFlight = addCounter(
        5, 3, tr("In flight"), tr("Items in the ingest and alert queues, the processing lists and the retry set."));
    m_accountedFor = addCounter(6, 3, tr("Accounted for"), tr("The sum of the six counters above."));

    for (QLabel *total : {m_totalIn, m_accountedFor}) {
        QFont bold = total->font();
        bold.setBold(true);
        total->setFont(bold);
    }

    m_check->setObjectName(QStringLiteral("conservationCheck"));
    m_check->setWordWrap(true);
    m_check->setMargin(8);
    m_check->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(m_check, 7, 0, 1, 5);
    clear();
}

QLabel *ConservationPanel::addCounter(int row, int column, const QString &name, const QString &help)
{
    auto *grid = static_cast<QGridLayout *>(layout());
    auto *nameLabel = new QLabel(name, this);
    nameLabel->setToolTip(help);

    auto *value = new QLabel(this);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont digits = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    digits.setPointSizeF(font().pointSizeF());
    value->setFont(digits);
    value->setToolTip(help);
    value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("000,000,000,000")));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);

    grid->addWidget(nameLabel, row, column);
    grid->addWidget(value, row, column + 1);
    return value;
}

void ConservationPanel::clear(const QString &note)
{
    for (QLabel *value : {m_accepted, m_generated, m_totalIn, m_forwarded, m_suppressed, m_unhandled, m_discarded,
             m_inDlq, m_inFlight, m_accountedFor})
        value->setText(format::unknown());

    m_tone = Tone::Neutral;
    m_check->setText(note.isEmpty() ? tr("Waiting for the first sample.") : note);
    m_check->setStyleSheet(toneStyleSheet(m_tone, true));
}

void ConservationPanel::setConservation(const runtime::Conservation &counters)
{
    m_accepted->setText(format::count(counters.accepted));
    m_generated->setText(format::count(counters.generated));
    m_totalIn->setText(format::count(counters.accepted + counters.generated));
    m_forwarded->setText(format::count(counters.forwarded));
    m_suppressed->setText(format::count(counters.suppressed));
    m_unhandled->setText(format::count(counters.unhandled));
    m_discarded->setText(format::count(counters.discarded));
    m_inDlq->setText(format::count(counters.inDlq));
    m_inFlight->setText(format::count(counters.inFlight));
    m_accountedFor->setText(format::count(counters.accountedFor()));

    m_tone = counters.balanced() ? Tone::Good : Tone::Bad;
    m_check->setText(withSymbol(m_tone, describe(counters)));
    m_check->setStyleSheet(toneStyleSheet(m_tone, true));
}

QString ConservationPanel::checkText() const
{
    return m_check->text();
}

QString ConservationPanel::describe(const runtime::Conservation &counters)
{
    const QString totalIn = format::count(counters.accepted + counters.generated);
    const QString accounted = format::count(counters.accountedFor());
    const qint64 difference = counters.difference();

    if (difference == 0) {
        return tr("Balanced: accepted + generated = %1 = forwarded + suppressed + unhandled + discarded + in DLQ "
                  "+ in flight.")
            .arg(totalIn);
    }
    if (difference > 0) {
        return tr("Not balanced: %1 events missing. Accepted + generated = %2, but only %3 are accounted for. "
                  "Possible data loss (P1): check the processing lists, the DLQs and the engine log.")
            .arg(format::count(difference), totalIn, accounted);
    }
    return tr("Not balanced: %1 more events accounted for than accepted + generated (%2 against %3). "
              "Possible duplicates: check for replays that did not remove their DLQ item.")
        .arg(format::count(-difference), accounted, totalIn);
}

}  // namespace mutt::ui
