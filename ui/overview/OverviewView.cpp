#include "overview/OverviewView.h"

#include "backend/Backend.h"
#include "common/Format.h"
#include "common/StatusStyle.h"
#include "overview/CircuitSummary.h"
#include "overview/ConservationPanel.h"
#include "overview/RolesModel.h"
#include "overview/ThroughputChart.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace mutt::ui {

OverviewView::OverviewView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_copyKey(new QPushButton(tr("Copy ingest API key"), this))
    , m_roles(new RolesModel(this))
    , m_rolesTable(new QTableView(this))
    , m_conservation(new ConservationPanel(this))
    , m_circuit(new QLabel(this))
    , m_chart(new ThroughputChart(m_history, this))
{
    auto *title = new QLabel(tr("Overview"), this);
    title->setObjectName(QStringLiteral("viewTitle"));
    m_summary->setObjectName(QStringLiteral("overviewSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyKey->setToolTip(tr("Copies the INGEST_API_KEY of the embedded engine, for senders and the demo feed."));
    m_copyKey->hide();
    connect(m_copyKey, &QPushButton::clicked, this, &OverviewView::copyIngestKey);

    // The detail gives why a role is unhealthy and how to fix it, so it is
    // shown whole. The last column takes the remaining width and wraps, rows
    // grow to fit, and the table requests room for every row from the layout.
    m_rolesTable->setModel(m_roles);
    m_rolesTable->verticalHeader()->hide();
    m_rolesTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rolesTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rolesTable->horizontalHeader()->setStretchLastSection(true);
    m_rolesTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_rolesTable->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_rolesTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_rolesTable->setFocusPolicy(Qt::NoFocus);
    m_rolesTable->setAlternatingRowColors(true);
    m_rolesTable->setWordWrap(true);
    m_rolesTable->setTextElideMode(Qt::ElideNone);
    // Row heights are measured for the column widths of that moment; the
    // detail column changes width with the window, so measure again.
    connect(m_rolesTable->horizontalHeader(), &QHeaderView::sectionResized, m_rolesTable,
        [table = m_rolesTable](int column) {
            if (column == RolesModel::Detail)
                table->resizeRowsToContents();
        });

    m_circuit->setObjectName(QStringLiteral("circuitLine"));
    m_circuit->setWordWrap(true);
    m_circuit->setMargin(8);

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(16);
    header->addWidget(m_summary, 1);
    header->addWidget(m_copyKey);

    auto *top = new QHBoxLayout;
    top->setSpacing(12);
    top->addWidget(makeCard(tr("Roles"), m_rolesTable), 2);
    top->addWidget(makeCard(tr("Conservation"), m_conservation), 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(12);
    layout->addLayout(header);
    layout->addLayout(top);
    layout->addWidget(m_circuit);
    layout->addWidget(makeCard(QString(), m_chart), 1);
    clear();
}

QWidget *OverviewView::makeCard(const QString &title, QWidget *content, QWidget *headerExtra)
{
    auto *card = new QFrame(this);
    card->setObjectName(QStringLiteral("card"));
    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(8);

    if (!title.isEmpty()) {
        auto *label = new QLabel(title, card);
        label->setObjectName(QStringLiteral("sectionTitle"));
        auto *row = new QHBoxLayout;
        row->addWidget(label);
        row->addStretch(1);
        if (headerExtra)
            row->addWidget(headerExtra);
        layout->addLayout(row);
    }
    content->setParent(card);
    layout->addWidget(content, 1);
    return card;
}

void OverviewView::setBackend(Backend *backend)
{
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;
    m_copyKey->setVisible(backend && backend->isEmbedded());
    clear();
    if (backend) {
        connect(backend, &Backend::stateChanged, this,
            [this](ConnectionState state, const QString &) { showConnectionState(state); });
        showConnectionState(backend->state());
    }
}

void OverviewView::showConnectionState(ConnectionState state)
{
    if (state != ConnectionState::Failed)
        return;
    if (m_lastSampledAt.isValid()) {
        m_summary->setText(tr("Figures of %1; the connection failed since then (see the message above).")
                               .arg(format::utcTime(m_lastSampledAt)));
        return;
    }
    m_summary->setText(m_backend && m_backend->isEmbedded()
            ? tr("No figures: the embedded engine is not running (see the message above).")
            : tr("No figures yet: the daemon has not answered (see the message above)."));
    m_circuit->setText(withSymbol(Tone::Neutral, tr("Moogsoft circuit: unknown, there are no figures.")));
    m_conservation->clear(tr("No figures, so the sum cannot be checked."));
}

QString OverviewView::summaryText() const
{
    return m_summary->text();
}

void OverviewView::clear()
{
    m_history.clear();
    m_lastSampledAt = {};
    m_roles->setRoles({});
    m_conservation->clear();
    m_circuit->setText(withSymbol(Tone::Neutral, tr("Moogsoft circuit: waiting for the first sample.")));
    m_circuit->setStyleSheet(toneStyleSheet(Tone::Neutral, true));
    m_summary->setText(tr("Waiting for the first sample."));
    m_chart->refresh();
}

void OverviewView::showStatus(const runtime::EngineStatus &status)
{
    m_lastSampledAt = status.sampledAt;
    m_history.addSample(status);
    m_roles->setRoles(status.roles);
    m_conservation->setConservation(status.conservation);
    m_chart->refresh();
    updateHeader(status);

    const CircuitSummary circuit = summarizeCircuit(status);
    m_circuit->setText(withSymbol(circuit.tone, circuit.text));
    m_circuit->setStyleSheet(toneStyleSheet(circuit.tone, true));
}

QString OverviewView::circuitText() const
{
    return m_circuit->text();
}

void OverviewView::updateHeader(const runtime::EngineStatus &status)
{
    QStringList parts;
    if (!status.version.isEmpty())
        parts.append(tr("MUTT %1").arg(status.version));
    if (!status.backend.isEmpty())
        parts.append(tr("storage: %1").arg(status.backend));
    const QString ingest = status.ingestUrl.isEmpty() && m_backend ? m_backend->ingestUrl() : status.ingestUrl;
    if (!ingest.isEmpty())
        parts.append(tr("ingest: %1").arg(ingest));
    parts.append(tr("sampled %1").arg(format::utcTime(status.sampledAt)));
    m_summary->setText(parts.join(QStringLiteral("  ·  ")));
}

void OverviewView::copyIngestKey()
{
    if (!m_backend || m_backend->ingestApiKey().isEmpty())
        return;
    QApplication::clipboard()->setText(m_backend->ingestApiKey());
}

}  // namespace mutt::ui
