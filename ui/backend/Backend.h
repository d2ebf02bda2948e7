#pragma once

#include "core/Result.h"
#include "runtime/EngineStatus.h"

#include <QFuture>
#include <QObject>
#include <QString>

namespace mutt::ui {

// Connection state of one backend, from creation to shutdown.
enum class ConnectionState {
    Idle,  // created, open() not called yet
    Connecting,  // embedded engine starting, or no response from the daemon yet
    Connected,  // the last request succeeded
    Failed,  // the engine did not start, or the last request failed
    Closed,  // shutdown() finished
};

QString connectionStateName(ConnectionState state);

// The only way views reach the engine. Two implementations: EmbeddedBackend
// runs the engine in this process, RemoteBackend talks to a muttd api role.
// Every call returns at once; results arrive through futures or signals on
// the thread that owns the backend (the GUI thread).
class Backend : public QObject {
    Q_OBJECT
public:
    ~Backend() override;
    Q_DISABLE_COPY_MOVE(Backend)

    // "Embedded engine in /var/lib/mutt" or "https://mutt.example.com:8090".
    [[nodiscard]] virtual QString displayName() const = 0;
    [[nodiscard]] virtual bool isEmbedded() const = 0;
    // The URL senders post events to; empty until known.
    [[nodiscard]] virtual QString ingestUrl() const = 0;
    // The INGEST_API_KEY of the embedded engine; empty for a remote daemon.
    [[nodiscard]] virtual QString ingestApiKey() const = 0;

    // Starts the embedded engine, or begins talking to the daemon.
    virtual void open() = 0;
    // Stops the embedded engine on its worker thread; the future finishes
    // when it is down. Safe to call more than once.
    virtual QFuture<void> shutdown() = 0;
    // False while a request would certainly fail, e.g. the embedded engine
    // is still starting or already stopped.
    [[nodiscard]] virtual bool canFetch() const = 0;
    virtual QFuture<Result<runtime::EngineStatus>> fetchStatus() = 0;

    [[nodiscard]] ConnectionState state() const { return m_state; }
    // The sentence that goes with Failed; empty otherwise.
    [[nodiscard]] QString stateMessage() const { return m_stateMessage; }

signals:
    void stateChanged(mutt::ui::ConnectionState state, const QString &message);

protected:
    explicit Backend(QObject *parent);
    void setState(ConnectionState state, const QString &message = {});

private:
    ConnectionState m_state = ConnectionState::Idle;
    QString m_stateMessage;
};

}  // namespace mutt::ui
