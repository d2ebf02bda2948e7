#pragma once

#include "core/Result.h"
#include "runtime/EngineStatus.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

namespace mutt::ui {

class Backend;

// Asks the backend for a status every interval and hands the answers to the
// views. Never more than one request is pending: a tick that finds the
// previous request still running is skipped, so a slow daemon slows the
// console's sampling instead of piling up requests.
class StatusPoller final : public QObject {
    Q_OBJECT
public:
    explicit StatusPoller(QObject *parent = nullptr);
    ~StatusPoller() override;
    Q_DISABLE_COPY_MOVE(StatusPoller)

    // Starts polling `backend` (nullptr stops). A pending answer from the
    // previous backend is dropped.
    void setBackend(Backend *backend);
    void setInterval(std::chrono::milliseconds interval);

    [[nodiscard]] bool isPending() const { return m_pending; }
    [[nodiscard]] int skippedTicks() const { return m_skipped; }
    [[nodiscard]] int requestsSent() const { return m_sent; }

    // Asks now, unless a request is pending.
    void pollNow();

signals:
    void statusReceived(const mutt::runtime::EngineStatus &status);
    void statusFailed(const QString &message);

private:
    void tick();
    void onFinished();

    QTimer m_timer;
    QPointer<Backend> m_backend;
    QFutureWatcher<Result<runtime::EngineStatus>> *m_watcher = nullptr;
    bool m_pending = false;
    int m_skipped = 0;
    int m_sent = 0;
};

}  // namespace mutt::ui
