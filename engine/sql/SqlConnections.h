#pragma once

#include "core/Result.h"

#include <QSqlDatabase>
#include <QString>
#include <QtGlobal>

#include <functional>
#include <memory>

namespace mutt::sql {

struct SqlConnectionRegistry;

// One QSqlDatabase connection per thread for one store, because Qt allows a
// connection to be used only in the thread that created it.
//
// Connection names are "<prefix>-<store serial>-<thread id>-<connection
// serial>" (thread id in hex), unique while the store lives. A thread's connection is opened on its first
// database() call. A per-thread holder removes it in that thread when the
// thread exits, for QThreads and for threads Qt did not start alike. The
// destructor removes the remaining connections, so the store must be
// destroyed only after other threads have stopped using it.
class SqlConnections final {
public:
    // Configures and opens a new connection in the calling thread.
    using Opener = std::function<Status(QSqlDatabase &db)>;

    SqlConnections(QString driverName, QString prefix, Opener opener);
    ~SqlConnections();
    Q_DISABLE_COPY_MOVE(SqlConnections)

    // The calling thread's open connection, created on first use. A failed
    // open is returned as the opener's error and retried on the next call.
    Result<QSqlDatabase> database();

    // Connections currently registered (one per thread that used the store
    // and has not exited).
    [[nodiscard]] int connectionCount() const;

    // Caps the open connections (0, the default, is no cap). A thread
    // without a connection gets Unavailable while the cap is reached;
    // threads keep and reuse the one they have.
    void setMaxConnections(int maxConnections);

    // Closes and forgets the calling thread's connection, e.g. after the
    // server dropped it; the next database() call opens a new one.
    void closeCurrentThread();

private:
    Result<QSqlDatabase> openForCurrentThread();

    QString m_driverName;
    QString m_prefix;
    Opener m_opener;
    int m_maxConnections = 0;  // guarded by m_registry->mutex
    std::shared_ptr<SqlConnectionRegistry> m_registry;
};

}  // namespace mutt::sql
