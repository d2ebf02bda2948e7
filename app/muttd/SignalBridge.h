#pragma once

#include <QObject>

class QSocketNotifier;

namespace mutt::muttd {

// Turns SIGTERM, SIGINT and SIGHUP into Qt signals on the event loop: the
// handler only writes the signal number into a socketpair, which a
// QSocketNotifier reads (the only async-signal-safe way to reach Qt).
class SignalBridge final : public QObject {
    Q_OBJECT
public:
    explicit SignalBridge(QObject *parent = nullptr);
    ~SignalBridge() override;
    Q_DISABLE_COPY_MOVE(SignalBridge)

    // Installs the handlers; false (with errno set) when the socketpair or
    // sigaction fails.
    bool install();

signals:
    void terminateRequested(int signalNumber);
    void reloadRequested();

private:
    void readSignal();

    int m_fds[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
};

}  // namespace mutt::muttd
