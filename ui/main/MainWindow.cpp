#include "main/MainWindow.h"

#include "backend/StatusPoller.h"
#include "common/Format.h"
#include "common/MessageBanner.h"
#include "connection/ApiKeyPrompt.h"
#include "connection/ConnectionController.h"
#include "connection/ConnectionDialog.h"
#include "connection/ProfileStore.h"
#include "main/EnvironmentBar.h"
#include "overview/OverviewView.h"
#include "queues/QueuesView.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace mutt::ui {

MainWindow::MainWindow(ConnectionController &controller, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_poller(new StatusPoller(this))
    , m_environment(new EnvironmentBar(this))
    , m_banner(new MessageBanner(this))
    , m_switcher(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_overview(new OverviewView(this))
    , m_queues(new QueuesView(this))
    , m_connection(new QLabel(this))
    , m_environmentLabel(new QLabel(this))
    , m_lastSample(new QLabel(this))
{
    setWindowTitle(tr("MUTT Console"));
    setCentralWidget(buildCentre());
    buildMenus();
    buildStatusBar();

    connect(m_poller, &StatusPoller::statusReceived, this, &MainWindow::onStatus);
    connect(m_poller, &StatusPoller::statusFailed, this, &MainWindow::onStatusFailed);
    connect(&m_controller, &ConnectionController::connecting, this, &MainWindow::onConnecting);
    connect(&m_controller, &ConnectionController::backendChanged, this, &MainWindow::onBackendChanged);
    connect(&m_controller, &ConnectionController::notice, this, &MainWindow::onNotice);
    connect(&m_controller, &ConnectionController::apiKeyNeeded, this, &MainWindow::promptForKey);
    connect(&m_controller, &ConnectionController::shutdownFinished, this, [this] {
        m_closed = true;
        // Queued: the shutdown may finish inside closeEvent, where close() is ignored.
        QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    });
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::buildCentre()
{
    m_switcher->setObjectName(QStringLiteral("viewSwitcher"));
    m_switcher->setFixedWidth(180);
    m_switcher->setFocusPolicy(Qt::NoFocus);
    connect(m_switcher, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    // Later views (DLQ, Circuit, Rules, Incidents, Audit, Config, Log) join here.
    addView(QStringLiteral("overview"), tr("Overview"), m_overview);
    addView(QStringLiteral("queues"), tr("Queues"), m_queues);
    m_switcher->setCurrentRow(0);

    auto *body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    body->addWidget(m_switcher);
    body->addWidget(m_stack, 1);

    auto *centre = new QWidget(this);
    auto *layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_environment);
    layout->addWidget(m_banner);
    layout->addLayout(body, 1);
    return centre;
}

void MainWindow::addView(const QString &id, const QString &name, QWidget *view)
{
    m_stack->addWidget(view);
    auto *item = new QListWidgetItem(name, m_switcher);
    item->setData(Qt::UserRole, id);
}

QStringList MainWindow::viewIds() const
{
    QStringList ids;
    for (int row = 0; row < m_switcher->count(); ++row)
        ids.append(m_switcher->item(row)->data(Qt::UserRole).toString());
    return ids;
}

QString MainWindow::currentViewId() const
{
    const QListWidgetItem *item = m_switcher->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

bool MainWindow::showView(const QString &id)
{
    const int row = int(viewIds().indexOf(id));
    if (row < 0)
        return false;
    m_switcher->setCurrentRow(row);
    return true;
}

void MainWindow::buildMenus()
{
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    QAction *connectAction = connection->addAction(tr("&Connect…"), this, &MainWindow::openConnectionDialog);
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connection->addSeparator();
    QAction *quit = connection->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int row = 0; row < m_switcher->count(); ++row) {
        QAction *action
            = view->addAction(m_switcher->item(row)->text(), this, [this, row] { m_switcher->setCurrentRow(row); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MUTT Console"), this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("About MUTT Console"),
            tr("MUTT Console %1\nOperations console for the MUTT event pipeline.").arg(QStringLiteral(MUTT_VERSION)),
            QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::buildStatusBar()
{
    m_connection->setObjectName(QStringLiteral("connectionState"));
    m_environmentLabel->setObjectName(QStringLiteral("environmentStatus"));
    m_lastSample->setObjectName(QStringLiteral("lastSample"));
    statusBar()->addWidget(m_connection);
    statusBar()->addWidget(m_environmentLabel, 1);
    statusBar()->addPermanentWidget(m_lastSample);
    onStateChanged(ConnectionState::Idle, {});
}

void MainWindow::openConnectionDialog()
{
    auto *dialog = new ConnectionDialog(m_controller.profiles(), m_controller.profile(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ConnectionProfile profile = dialog->profile();
        m_controller.profiles().save(profile);
        if (dialog->apiKey().isEmpty())
            m_controller.connectTo(profile);
        else
            m_controller.connectWithKey(profile, dialog->apiKey(), true);
    });
    dialog->open();
}

void MainWindow::promptForKey(const ConnectionProfile &profile, const QString &reason, bool keychainAvailable)
{
    m_banner->showMessage(Tone::Warning, reason);

    auto *prompt = new ApiKeyPrompt(profile, reason, keychainAvailable, this);
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    connect(prompt, &QDialog::accepted, this,
        [this, prompt] { m_controller.connectWithKey(prompt->profile(), prompt->apiKey(), prompt->remember()); });
    connect(prompt, &QDialog::rejected, this, [this, name = profile.name] {
        m_banner->showMessage(Tone::Warning,
            tr("Not connected: no API key was entered for profile \"%1\". "
               "Choose Connection → Connect… to try again.")
                .arg(name));
    });
    prompt->open();
}

void MainWindow::onConnecting(const ConnectionProfile &profile)
{
    const QString target
        = profile.isRemote() ? profile.url.toDisplayString(QUrl::RemoveUserInfo) : tr("embedded engine");
    m_environment->setProfile(profile, target);
    m_connection->setText(withSymbol(Tone::Warning, tr("Connecting…")));
    m_connection->setStyleSheet(toneStyleSheet(Tone::Warning, false));
}

void MainWindow::onBackendChanged(Backend *backend, const ConnectionProfile &profile)
{
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;

    m_poller->setBackend(backend);
    m_overview->setBackend(backend);
    m_queues->clear();
    m_banner->clearMessage();
    m_lastSampleAt = {};
    showLastSample(false);

    const QString target = backend ? backend->displayName() : format::unknown();
    m_environment->setProfile(profile, target);
    m_environmentLabel->setText(
        profile.environment.isEmpty() ? profile.name : profile.name + QStringLiteral(" · ") + profile.environment);
    setWindowTitle(tr("MUTT Console — %1").arg(profile.name));

    if (!backend) {
        onStateChanged(ConnectionState::Failed, {});
        return;
    }
    connect(backend, &Backend::stateChanged, this, &MainWindow::onStateChanged);
    onStateChanged(backend->state(), backend->stateMessage());
}

void MainWindow::onStateChanged(ConnectionState state, const QString &message)
{
    const bool embedded = m_backend && m_backend->isEmbedded();
    Tone tone = Tone::Neutral;
    QString text = connectionStateName(state);
    switch (state) {
    case ConnectionState::Connecting:
        tone = Tone::Warning;
        text = embedded ? tr("Starting the embedded engine…") : tr("Connecting…");
        break;
    case ConnectionState::Connected: tone = Tone::Good; break;
    case ConnectionState::Failed: tone = Tone::Bad; break;
    default: break;
    }
    m_connection->setText(withSymbol(tone, text));
    m_connection->setStyleSheet(toneStyleSheet(tone, false));

    if (state == ConnectionState::Failed && !message.isEmpty())
        m_banner->showMessage(Tone::Bad, message);
}

void MainWindow::onStatus(const runtime::EngineStatus &status)
{
    m_overview->showStatus(status);
    m_queues->showStatus(status);
    if (m_banner->tone() == Tone::Bad)
        m_banner->clearMessage();
    m_lastSampleAt = status.sampledAt;
    showLastSample(false);
}

void MainWindow::showLastSample(bool stale)
{
    if (!m_lastSampleAt.isValid()) {
        m_lastSample->clear();
        return;
    }
    const QString text = tr("Last sample %1").arg(format::utcTime(m_lastSampleAt));
    m_lastSample->setText(stale ? text + QLatin1Char(' ') + tr("(stale)") : text);
    m_lastSample->setStyleSheet(toneStyleSheet(stale ? Tone::Warning : Tone::Neutral, false));
}

void MainWindow::onStatusFailed(const QString &message)
{
    m_banner->showMessage(Tone::Bad, message);
    showLastSample(true);
}

void MainWindow::onNotice(Tone tone, const QString &sentence)
{
    m_banner->showMessage(tone, sentence);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_closed) {
        event->accept();
        return;
    }

    event->ignore();
    if (m_closing)
        return;
    m_closing = true;
    m_poller->setBackend(nullptr);
    m_connection->setText(withSymbol(Tone::Warning, tr("Stopping…")));
    m_controller.shutdown();
}

}  // namespace mutt::ui
