#include "Daemon.h"

#include "CommandSupport.h"
#include "SignalBridge.h"
#include "core/Log.h"
#include "runtime/SystemdNotify.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace mutt::muttd {
namespace {

QString rolesText(const QSet<runtime::Role> &roles)
{
    QStringList names;
    for (runtime::Role role : runtime::orderedRoles(roles))
        names.append(runtime::roleName(role));
    return names.join(u',');
}

QString pathsOf(const runtime::ListenerPlan &plan)
{
    QStringList paths;
    if (plan.ingest)
        paths.append(QStringLiteral("/ingest"));
    if (plan.api)
        paths.append(QStringLiteral("/api/"));
    paths.append({QStringLiteral("/health"), QStringLiteral("/metrics")});
    return paths.join(QStringLiteral(", "));
}

}  // namespace

Daemon::Daemon(config::Settings settings, QSet<runtime::Role> roles, QObject *parent)
    : QObject(parent)
    , m_engine(std::make_unique<runtime::Engine>(std::move(settings), std::move(roles)))
    , m_signals(new SignalBridge(this))
{
    connect(m_signals, &SignalBridge::terminateRequested, this, &Daemon::onTerminate);
    connect(m_signals, &SignalBridge::reloadRequested, this, &Daemon::onReload);
}

Daemon::~Daemon() = default;

int Daemon::exec()
{
    auto log = mutt::log::get("daemon");
    if (!m_signals->install()) {
        printError(QStringLiteral("muttd: cannot install the signal handlers: %1")
                       .arg(QString::fromLocal8Bit(std::strerror(errno))));
        return ExitFailure;
    }

    const Status started = m_engine->start();
    if (!started) {
        log->critical("engine did not start; reason={}", started.error().logText());
        printError(QStringLiteral("muttd: ") + started.error().logText());
        return exitCodeFor(started.error());
    }

    printStartup();
    runtime::SystemdNotify::ready(QStringLiteral("running roles ") + rolesText(m_engine->roles()));
    startWatchdog();
    log->info("muttd running version={} roles={} pod={}", QStringLiteral(MUTT_VERSION), rolesText(m_engine->roles()),
        m_engine->settings().podName);

    const int code = QCoreApplication::exec();
    stopWithin(stopBudgetSeconds);
    log->info("muttd stopped exit_code={}", code);
    return code;
}

void Daemon::printStartup() const
{
    const config::Settings &settings = m_engine->settings();
    QString text = QStringLiteral("muttd %1 running roles %2 (%3")
                       .arg(QStringLiteral(MUTT_VERSION), rolesText(m_engine->roles()),
                           settings.embedded ? QStringLiteral("embedded") : QStringLiteral("redis+postgresql"));
    if (settings.embedded)
        text += QStringLiteral(", data dir ") + settings.dataDir;
    text += QStringLiteral(")\n");

    for (const runtime::Listener &listener : m_engine->listeners())
        text += QStringLiteral("  %1  %2  (%3)\n")
                    .arg(listener.url.leftJustified(28), rolesText(listener.plan.roles), pathsOf(listener.plan));

    const auto &dataDir = m_engine->dataDirectory();
    if (dataDir && dataDir->ingestKey() && m_engine->roles().contains(runtime::Role::Ingestor)) {
        text += QStringLiteral("Ingest API key (send as X-API-KEY): %1\n  %2 %3\n")
                    .arg(settings.ingestApiKey,
                        dataDir->ingestKey()->createdNow ? QStringLiteral("generated now and stored in")
                                                         : QStringLiteral("stored in"),
                        dataDir->ingestKey()->path);
    }
    if (dataDir && dataDir->webuiKey() && m_engine->roles().contains(runtime::Role::Api))
        text += QStringLiteral("API key for /api/ (X-API-KEY) is stored in %1\n").arg(dataDir->webuiKey()->path);
    printOut(text);
}

// Pings from the event loop, so a blocked loop (the thread that owns the
// listeners and handles signals) makes systemd restart the process.
void Daemon::startWatchdog()
{
    const qint64 intervalMs = runtime::SystemdNotify::watchdogIntervalMs();
    if (intervalMs <= 0)
        return;
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [] { runtime::SystemdNotify::watchdog(); });
    timer->start(int(std::max<qint64>(intervalMs / 3, 100)));
    runtime::SystemdNotify::watchdog();
    mutt::log::get("daemon")->info("systemd watchdog pings every {} ms", intervalMs / 3);
}

void Daemon::onTerminate(int signalNumber)
{
    mutt::log::get("daemon")->info("stopping on signal={}", signalNumber);
    runtime::SystemdNotify::stopping();
    QCoreApplication::exit(ExitOk);
}

void Daemon::onReload()
{
    mutt::log::get("daemon")->info("reloading on signal=SIGHUP");
    runtime::SystemdNotify::reloading();
    m_engine->reload();
    runtime::SystemdNotify::ready(QStringLiteral("reloaded"));
}

// Workers return unfinished items to their queues, so giving up after the
// budget loses nothing: whatever is still in a processing list is recovered
// by the next janitor run.
void Daemon::stopWithin(int seconds)
{
    std::mutex mutex;
    std::condition_variable done;
    bool stopped = false;

    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (done.wait_for(lock, std::chrono::seconds(seconds), [&] { return stopped; }))
            return;
        mutt::log::get("daemon")->critical("stop did not finish within {} s; exiting now, unfinished items are "
                                           "recovered by the janitor on the next start",
            seconds);
        spdlog::shutdown();
        std::_Exit(ExitFailure);
    });

    m_engine->stop();
    {
        std::lock_guard lock(mutex);
        stopped = true;
    }
    done.notify_one();
    watchdog.join();
}

}  // namespace mutt::muttd
