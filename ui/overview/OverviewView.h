#pragma once

#include "backend/Backend.h"
#include "overview/ThroughputHistory.h"
#include "runtime/EngineStatus.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace mutt::ui {

class Backend;
class ConservationPanel;
class RolesModel;
class ThroughputChart;

// The pipeline at a glance: role health, the conservation check, the Moogsoft
// circuit, and ingest and forward throughput.
class OverviewView final : public QWidget {
    Q_OBJECT
public:
    explicit OverviewView(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(OverviewView)

    // The backend supplies the ingest address and, when embedded, its key.
    void setBackend(Backend *backend);
    void showStatus(const runtime::EngineStatus &status);
    void clear();

    [[nodiscard]] ConservationPanel *conservationPanel() const { return m_conservation; }
    // The Moogsoft line below the roles, as shown (with its state symbol).
    [[nodiscard]] QString circuitText() const;
    // The line beside the title: the version, store and sample time, or why there are no figures.
    [[nodiscard]] QString summaryText() const;
    [[nodiscard]] QTableView *rolesTable() const { return m_rolesTable; }
    [[nodiscard]] const ThroughputHistory &history() const { return m_history; }

private:
    QWidget *makeCard(const QString &title, QWidget *content, QWidget *headerExtra = nullptr);
    void updateHeader(const runtime::EngineStatus &status);
    void copyIngestKey();
    // After a failed start or request, shows that the figures are missing or old.
    void showConnectionState(ConnectionState state);

    Backend *m_backend = nullptr;
    QDateTime m_lastSampledAt;
    ThroughputHistory m_history;
    QLabel *m_summary = nullptr;
    QPushButton *m_copyKey = nullptr;
    RolesModel *m_roles = nullptr;
    QTableView *m_rolesTable = nullptr;
    ConservationPanel *m_conservation = nullptr;
    QLabel *m_circuit = nullptr;
    ThroughputChart *m_chart = nullptr;
};

}  // namespace mutt::ui
