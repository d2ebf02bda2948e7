#include "sql/SqlConnections.h"

#include "core/Log.h"

#include <QAtomicInteger>
#include <QList>
#include <QThread>

#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mutt::sql {

// The connection names of one store, by thread. Shared with the per-thread
// holders, which keep only a weak reference.
struct SqlConnectionRegistry {
    mutable std::mutex mutex;
    std::unordered_map<std::thread::id, QString> byThread;  // guarded by mutex
    quint64 storeSerial = 0;
    quint64 nextConnectionSerial = 1;  // guarded by mutex
    bool closed = false;  // guarded by mutex

    // Runs in `thread` as it exits, when nothing of the thread uses the
    // connection any more, so it can be removed in its own thread.
    void threadExited(std::thread::id thread)
    {
        QString name;
        {
            std::lock_guard lock(mutex);
            const auto it = byThread.find(thread);
            if (it == byThread.end())
                return;
            name = it->second;
            byThread.erase(it);
        }
        QSqlDatabase::removeDatabase(name);
        log::get("sql")->debug("sql connection closed connection={} reason=\"thread exited\"", name);
    }
};

namespace {

// Distinguishes stores that are alive at the same time, because connection
// names are process-wide in Qt.
QAtomicInteger<quint64> nextStoreSerial {1};

// The stores that opened a connection in this thread. Its destructor runs
// in that thread when it exits. glibc runs C++ thread_local destructors
// before the pthread key destructors in which Qt releases the thread's data,
// so QSqlDatabase still works there.
class ThreadConnectionHolder final {
public:
    ThreadConnectionHolder() = default;
    ~ThreadConnectionHolder()
    {
        for (const auto &weakRegistry : m_registries) {
            if (const auto registry = weakRegistry.lock())
                registry->threadExited(std::this_thread::get_id());
        }
    }
    Q_DISABLE_COPY_MOVE(ThreadConnectionHolder)

    void add(const std::shared_ptr<SqlConnectionRegistry> &registry)
    {
        std::erase_if(m_registries, [](const auto &weakRegistry) { return weakRegistry.expired(); });
        for (const auto &weakRegistry : m_registries) {
            if (weakRegistry.lock() == registry)
                return;
        }
        m_registries.push_back(registry);
    }

private:
    std::vector<std::weak_ptr<SqlConnectionRegistry>> m_registries;
};

thread_local ThreadConnectionHolder threadConnections;

}  // namespace

SqlConnections::SqlConnections(QString driverName, QString prefix, Opener opener)
    : m_driverName(std::move(driverName))
    , m_prefix(std::move(prefix))
    , m_opener(std::move(opener))
    , m_registry(std::make_shared<SqlConnectionRegistry>())
{
    m_registry->storeSerial = nextStoreSerial.fetchAndAddRelaxed(1);
}

SqlConnections::~SqlConnections()
{
    QList<QString> remaining;
    {
        std::lock_guard lock(m_registry->mutex);
        m_registry->closed = true;
        for (const auto &[thread, name] : m_registry->byThread)
            remaining.append(name);
        m_registry->byThread.clear();
    }

    // Removing a connection owned by another thread is allowed once that
    // thread no longer uses it; the store's owner guarantees that here.
    for (const QString &name : remaining)
        QSqlDatabase::removeDatabase(name);
}

Result<QSqlDatabase> SqlConnections::database()
{
    QString name;
    {
        std::lock_guard lock(m_registry->mutex);
        if (m_registry->closed)
            return makeError(ErrorCode::Internal, QStringLiteral("SQL store is being destroyed"));
        if (const auto it = m_registry->byThread.find(std::this_thread::get_id()); it != m_registry->byThread.end())
            name = it->second;
    }
    if (name.isEmpty())
        return openForCurrentThread();

    {
        // Released before reopening, which removes the closed connection.
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            return db;
    }
    return openForCurrentThread();
}

Result<QSqlDatabase> SqlConnections::openForCurrentThread()
{
    QString name;
    {
        std::lock_guard lock(m_registry->mutex);
        const bool hasSlot = m_registry->byThread.count(std::this_thread::get_id()) > 0;
        if (!hasSlot && m_maxConnections > 0 && int(m_registry->byThread.size()) >= m_maxConnections)
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("all %1 database connections are in use by other threads; raise DB_POOL_MAX_CONN "
                               "or run fewer worker threads")
                    .arg(m_maxConnections));
        name = QStringLiteral("%1-%2-%3-%4")
                   .arg(m_prefix)
                   .arg(m_registry->storeSerial)
                   .arg(quintptr(QThread::currentThreadId()), 0, 16)
                   .arg(m_registry->nextConnectionSerial++);
    }

    Status opened;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(m_driverName, name);
        opened = m_opener(db);
    }
    if (!opened) {
        QSqlDatabase::removeDatabase(name);
        return opened.error();
    }
    log::get("sql")->debug("sql connection opened connection={} driver={}", name, m_driverName);

    // Replaces a closed connection of this thread, if there was one.
    QString replaced;
    {
        std::lock_guard lock(m_registry->mutex);
        QString &slot = m_registry->byThread[std::this_thread::get_id()];
        replaced = std::exchange(slot, name);
    }
    if (!replaced.isEmpty())
        QSqlDatabase::removeDatabase(replaced);
    threadConnections.add(m_registry);
    return QSqlDatabase::database(name, false);
}

void SqlConnections::setMaxConnections(int maxConnections)
{
    std::lock_guard lock(m_registry->mutex);
    m_maxConnections = maxConnections;
}

void SqlConnections::closeCurrentThread()
{
    QString name;
    {
        std::lock_guard lock(m_registry->mutex);
        const auto it = m_registry->byThread.find(std::this_thread::get_id());
        if (it == m_registry->byThread.end())
            return;
        name = it->second;
        m_registry->byThread.erase(it);
    }
    QSqlDatabase::database(name, false).close();
    QSqlDatabase::removeDatabase(name);
    log::get("sql")->info(
        "sql connection closed connection={} reason=\"connection lost\"; the next call reconnects", name);
}

int SqlConnections::connectionCount() const
{
    std::lock_guard lock(m_registry->mutex);
    return int(m_registry->byThread.size());
}

}  // namespace mutt::sql
