#pragma once

#include "backend/Backend.h"
#include "config/Settings.h"
#include "runtime/Role.h"

#include <QPromise>
#include <QSet>
#include <QThread>
#include <QThreadPool>

#include <memory>

namespace mutt::runtime {
class Engine;
}

namespace mutt::ui {

class EngineHost;

// Runs the whole engine in this process. The engine is created, started and
// stopped on its own thread with an event loop (the thread that owns its
// HTTP servers); status reads run on a small pool. The GUI thread only posts
// work and receives answers.
class EmbeddedBackend final : public Backend {
    Q_OBJECT
public:
    EmbeddedBackend(config::Settings settings, QSet<runtime::Role> roles, QObject *parent = nullptr);
    // Stops the engine if shutdown() was not awaited; this blocks, so the
    // window awaits shutdown() before it goes away.
    ~EmbeddedBackend() override;
    Q_DISABLE_COPY_MOVE(EmbeddedBackend)

    [[nodiscard]] QString displayName() const override;
    [[nodiscard]] bool isEmbedded() const override { return true; }
    [[nodiscard]] QString ingestUrl() const override { return m_ingestUrl; }
    [[nodiscard]] QString ingestApiKey() const override { return m_ingestApiKey; }

    void open() override;
    QFuture<void> shutdown() override;
    [[nodiscard]] bool canFetch() const override;
    QFuture<Result<runtime::EngineStatus>> fetchStatus() override;

    // The settings in force once started (generated keys, resolved data dir).
    [[nodiscard]] const config::Settings &settings() const { return m_settings; }

private:
    struct StartReport {
        Status status;
        config::Settings settings;
        QString ingestUrl;
        runtime::Engine *engine = nullptr;  // owned by the engine thread
    };

    void onStarted(const StartReport &report);
    // The failure banner when another process holds the data folder's
    // stores; `pid` is empty when its lock file records none.
    [[nodiscard]] QString dataFolderInUseMessage(const QString &pid) const;
    void onThreadFinished();

    config::Settings m_settings;
    QSet<runtime::Role> m_roles;
    QThread m_engineThread;
    EngineHost *m_host = nullptr;  // lives in m_engineThread
    QThreadPool m_statusPool;
    bool m_running = false;
    bool m_stopping = false;
    std::shared_ptr<QPromise<void>> m_stopped;
    QFuture<void> m_stoppedFuture;
    runtime::Engine *m_engine = nullptr;  // set once started; owned by m_host
    QString m_ingestUrl;
    QString m_ingestApiKey;
};

}  // namespace mutt::ui
