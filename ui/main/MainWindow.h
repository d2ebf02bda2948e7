#pragma once

#include "backend/Backend.h"
#include "common/StatusStyle.h"
#include "connection/ConnectionProfile.h"
#include "runtime/EngineStatus.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace mutt::ui {

class ConnectionController;
class EnvironmentBar;
class MessageBanner;
class OverviewView;
class QueuesView;
class StatusPoller;

// The console's frame: menu, environment strip, message banner, the view
// switcher on the left and the views on the right, connection state in the
// status bar. It wires the poller to the views and owns no engine logic.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(ConnectionController &controller, QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    [[nodiscard]] OverviewView *overview() const { return m_overview; }
    [[nodiscard]] QueuesView *queues() const { return m_queues; }
    [[nodiscard]] MessageBanner *banner() const { return m_banner; }
    [[nodiscard]] StatusPoller *poller() const { return m_poller; }

    // Views by their stable id ("overview", "queues"), in switcher order.
    [[nodiscard]] QStringList viewIds() const;
    [[nodiscard]] QString currentViewId() const;
    bool showView(const QString &id);

    // Opens the connection dialog (window-modal, without a nested loop).
    void openConnectionDialog();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    QWidget *buildCentre();
    void addView(const QString &id, const QString &name, QWidget *view);

    void onConnecting(const ConnectionProfile &profile);
    void onBackendChanged(Backend *backend, const ConnectionProfile &profile);
    void onStateChanged(ConnectionState state, const QString &message);
    void onStatus(const runtime::EngineStatus &status);
    void onStatusFailed(const QString &message);
    void onNotice(Tone tone, const QString &sentence);
    void showLastSample(bool stale);
    void promptForKey(const ConnectionProfile &profile, const QString &reason, bool keychainAvailable);

    ConnectionController &m_controller;
    StatusPoller *m_poller = nullptr;
    QPointer<Backend> m_backend;
    EnvironmentBar *m_environment = nullptr;
    MessageBanner *m_banner = nullptr;
    QListWidget *m_switcher = nullptr;
    QStackedWidget *m_stack = nullptr;
    OverviewView *m_overview = nullptr;
    QueuesView *m_queues = nullptr;
    QLabel *m_connection = nullptr;
    QLabel *m_environmentLabel = nullptr;
    QLabel *m_lastSample = nullptr;
    QDateTime m_lastSampleAt;
    bool m_closing = false;
    bool m_closed = false;
};

}  // namespace mutt::ui
