#include "backend/EmbeddedBackend.h"

#include "config/DataDirectory.h"
#include "core/Log.h"
#include "queue/EmbeddedLockFile.h"
#include "runtime/Engine.h"

#include <QCoreApplication>
#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

namespace mutt::ui {
namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(EmbeddedBackend)
};

QString sentence(QString text)
{
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

}  // namespace

// Owns the engine; lives in the engine thread, so the engine is created,
// started, stopped and destroyed there.
class EngineHost final : public QObject {
public:
    std::unique_ptr<runtime::Engine> engine;
};

EmbeddedBackend::EmbeddedBackend(config::Settings settings, QSet<runtime::Role> roles, QObject *parent)
    : Backend(parent)
    , m_settings(std::move(settings))
    , m_roles(std::move(roles))
    , m_host(new EngineHost)
{
    m_engineThread.setObjectName(QStringLiteral("mutt-engine"));
    m_host->moveToThread(&m_engineThread);
    connect(&m_engineThread, &QThread::finished, m_host, &QObject::deleteLater);
    connect(&m_engineThread, &QThread::finished, this, &EmbeddedBackend::onThreadFinished);

    // One status read at a time, which is all the poller ever requests.
    m_statusPool.setMaxThreadCount(1);
}

EmbeddedBackend::~EmbeddedBackend()
{
    if (m_engineThread.isRunning()) {
        if (!m_stopping)
            static_cast<void>(shutdown());
        m_engineThread.wait();
    } else if (!m_engineThread.isFinished()) {
        delete m_host;  // the thread never ran, so nothing else will
    }
    m_statusPool.waitForDone();
}

QString EmbeddedBackend::displayName() const
{
    if (m_settings.dataDir.isEmpty())
        return Text::tr("Embedded engine (default data folder)");
    return Text::tr("Embedded engine in %1").arg(m_settings.dataDir);
}

void EmbeddedBackend::open()
{
    if (state() != ConnectionState::Idle)
        return;

    setState(ConnectionState::Connecting);
    mutt::log::get("ui")->info("Starting embedded engine: data_dir={} roles={}", m_settings.dataDir, m_roles.size());
    m_engineThread.start();

    QMetaObject::invokeMethod(
        m_host,
        [this, host = m_host, settings = m_settings, roles = m_roles] {
            host->engine = std::make_unique<runtime::Engine>(settings, roles);
            const Status started = host->engine->start();
            const StartReport report {started, host->engine->settings(), host->engine->ingestUrl(), host->engine.get()};
            // `this` outlives the engine thread: the destructor waits for it.
            QMetaObject::invokeMethod(
                this, [this, report] { onStarted(report); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EmbeddedBackend::onStarted(const StartReport &report)
{
    if (m_stopping)
        return;

    if (!report.status.ok()) {
        const QString reason = sentence(report.status.error().message);
        mutt::log::get("ui")->error("Embedded engine did not start: data_dir={} reason={}", m_settings.dataDir, reason);
        if (const std::optional<QString> pid = queue::EmbeddedLockFile::holder(
                QDir(m_settings.dataDir).filePath(config::DataDirectory::queueStoreFileName()))) {
            setState(ConnectionState::Failed, dataFolderInUseMessage(*pid));
            return;
        }
        setState(ConnectionState::Failed,
            Text::tr("The embedded engine did not start: %1. Fix the setting named above (connection profile "
                     "or environment) and connect again.")
                .arg(reason));
        return;
    }

    m_settings = report.settings;
    m_engine = report.engine;
    m_ingestUrl = report.ingestUrl;
    m_ingestApiKey = report.settings.ingestApiKey;
    m_running = true;
    mutt::log::get("ui")->info("Embedded engine running: data_dir={} ingest_url={}", m_settings.dataDir, m_ingestUrl);
    setState(ConnectionState::Connected);
}

QString EmbeddedBackend::dataFolderInUseMessage(const QString &pid) const
{
    const QString holder = pid.isEmpty() ? Text::tr("Another muttd or mutt-console")
                                         : Text::tr("Another muttd or mutt-console (pid %1)").arg(pid);
    const QString port = m_settings.webuiPort == 0 ? QStringLiteral("PORT") : QString::number(m_settings.webuiPort);
    const QString stop = pid.isEmpty() ? Text::tr("stop it") : Text::tr("stop pid %1").arg(pid);
    return Text::tr("%1 uses the data folder %2, so the console cannot start its own engine there. Attach to "
                    "that engine with mutt-console --remote http://127.0.0.1:%3 (the port is its "
                    "SERVER_PORT_WEBUI), or %4 and connect again.")
        .arg(holder, m_settings.dataDir, port, stop);
}

bool EmbeddedBackend::canFetch() const
{
    return m_running && !m_stopping && m_engine;
}

QFuture<Result<runtime::EngineStatus>> EmbeddedBackend::fetchStatus()
{
    if (!canFetch()) {
        return QtFuture::makeReadyFuture<Result<runtime::EngineStatus>>(
            makeError(ErrorCode::Unavailable, Text::tr("The embedded engine is not running.")));
    }

    runtime::Engine *engine = m_engine;
    return QtConcurrent::run(&m_statusPool, [engine]() -> Result<runtime::EngineStatus> {
        Result<runtime::EngineStatus> status = engine->status();
        if (!status.ok()) {
            return makeError(status.error().code,
                Text::tr("The embedded engine could not read its status: %1. The console keeps trying "
                         "every second; see the engine log for the cause.")
                    .arg(sentence(status.error().message)));
        }
        return status;
    });
}

QFuture<void> EmbeddedBackend::shutdown()
{
    if (m_stopped)
        return m_stoppedFuture;

    m_stopping = true;
    m_running = false;
    m_stopped = std::make_shared<QPromise<void>>();
    m_stoppedFuture = m_stopped->future();
    m_stopped->start();

    if (!m_engineThread.isRunning()) {
        setState(ConnectionState::Closed);
        m_stopped->finish();
        return m_stoppedFuture;
    }

    mutt::log::get("ui")->info("Stopping embedded engine: data_dir={}", m_settings.dataDir);
    QMetaObject::invokeMethod(
        m_host,
        [host = m_host, pool = &m_statusPool, thread = &m_engineThread] {
            // Status reads in flight finish before the stores close.
            pool->waitForDone();
            if (host->engine) {
                host->engine->stop();
                host->engine.reset();
            }
            thread->quit();
        },
        Qt::QueuedConnection);
    return m_stoppedFuture;
}

void EmbeddedBackend::onThreadFinished()
{
    mutt::log::get("ui")->info("Embedded engine stopped: data_dir={}", m_settings.dataDir);
    m_engine = nullptr;
    setState(ConnectionState::Closed);
    if (m_stopped)
        m_stopped->finish();
}

}  // namespace mutt::ui
