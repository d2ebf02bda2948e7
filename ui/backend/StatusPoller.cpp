#include "backend/StatusPoller.h"

#include "backend/Backend.h"

namespace mutt::ui {

StatusPoller::StatusPoller(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(std::chrono::seconds(1));
    connect(&m_timer, &QTimer::timeout, this, &StatusPoller::tick);
}

StatusPoller::~StatusPoller() = default;

void StatusPoller::setInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

void StatusPoller::setBackend(Backend *backend)
{
    // A fresh watcher per backend, so a result still pending from the old
    // backend is dropped with the old watcher.
    delete m_watcher;
    m_watcher = nullptr;
    m_pending = false;
    m_backend = backend;

    if (!backend) {
        m_timer.stop();
        return;
    }

    m_watcher = new QFutureWatcher<Result<runtime::EngineStatus>>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &StatusPoller::onFinished);
    m_timer.start();
    pollNow();
}

void StatusPoller::tick()
{
    if (m_pending) {
        ++m_skipped;
        return;
    }
    pollNow();
}

void StatusPoller::pollNow()
{
    if (m_pending || !m_backend || !m_watcher || !m_backend->canFetch())
        return;

    m_pending = true;
    ++m_sent;
    m_watcher->setFuture(m_backend->fetchStatus());
}

void StatusPoller::onFinished()
{
    m_pending = false;
    if (!m_watcher || m_watcher->future().resultCount() == 0)
        return;

    const Result<runtime::EngineStatus> result = m_watcher->result();
    if (!result.ok()) {
        emit statusFailed(result.error().message);
        return;
    }
    emit statusReceived(result.value());
}

}  // namespace mutt::ui
