#pragma once

#include "config/Settings.h"
#include "runtime/Engine.h"
#include "runtime/Role.h"

#include <QObject>
#include <QSet>

#include <memory>

namespace mutt::muttd {

class SignalBridge;

// `muttd run`: an Engine driven by process signals. SIGTERM/SIGINT stop it
// (exit 0 once the workers have finished or returned their items, at most
// 10 s), SIGHUP reloads rules and reopens the log.
class Daemon final : public QObject {
    Q_OBJECT
public:
    Daemon(config::Settings settings, QSet<runtime::Role> roles, QObject *parent = nullptr);
    ~Daemon() override;
    Q_DISABLE_COPY_MOVE(Daemon)

    // Starts the engine and runs the event loop; returns the exit code.
    int exec();

    // How long stop() may take before the process gives up waiting.
    static constexpr int stopBudgetSeconds = 10;

private:
    void printStartup() const;
    void startWatchdog();
    void onTerminate(int signalNumber);
    void onReload();
    void stopWithin(int seconds);

    std::unique_ptr<runtime::Engine> m_engine;
    SignalBridge *m_signals = nullptr;
};

}  // namespace mutt::muttd
