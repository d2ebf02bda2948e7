#include "queue/EmbeddedLockFile.h"

#include "core/Log.h"

#include <QFile>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace mutt::queue {
namespace {

QString systemError(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

// The PID the current holder wrote into the lock file, or empty when unknown.
QString holderPid(int fd)
{
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
    if (n <= 0)
        return {};
    return QString::fromLatin1(buffer, n).trimmed();
}

Error inUseError(const QString &lockPath, const QString &databasePath, int fd)
{
    const QString pid = holderPid(fd);
    const QString holder = pid.isEmpty() ? QStringLiteral("another process") : QStringLiteral("process pid=") + pid;
    return makeError(ErrorCode::Conflict,
        QStringLiteral("queue store %1 is already open in %2, another muttd or mutt-console that uses this data "
                       "directory (lock file %3). Stop it or use another data directory. To run roles in separate "
                       "processes, use MUTT_BACKEND=redis (one Redis and PostgreSQL for all of them), or run them "
                       "in one process with --role all")
            .arg(databasePath, holder, lockPath));
}

}  // namespace

Result<std::unique_ptr<EmbeddedLockFile>> EmbeddedLockFile::acquire(const QString &databasePath)
{
    const QString lockPath = databasePath + QStringLiteral(".lock");
    const QByteArray encoded = QFile::encodeName(lockPath);
    const int fd = ::open(encoded.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot create lock file %1: %2; check that the "
                           "directory exists and is writable")
                .arg(lockPath, systemError(errno)));

    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int code = errno;
        Error error = code == EWOULDBLOCK
            ? inUseError(lockPath, databasePath, fd)
            : makeError(ErrorCode::Unavailable, QStringLiteral("cannot lock %1: %2").arg(lockPath, systemError(code)));
        ::close(fd);
        return error;
    }

    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.constData(), size_t(pid.size()), 0) != pid.size()) {
        // The lock itself is held; only the PID shown to a second opener is missing.
        log::get("queue")->warn("lock file pid not written lock={} reason={}", lockPath, systemError(errno));
    }
    return std::unique_ptr<EmbeddedLockFile>(new EmbeddedLockFile(fd, lockPath));
}

std::optional<QString> EmbeddedLockFile::holder(const QString &databasePath)
{
    const QByteArray encoded = QFile::encodeName(databasePath + QStringLiteral(".lock"));
    const int fd = ::open(encoded.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;  // no lock file: no process has opened the store
    // A shared flock(2) lock fails only while another open file keeps the
    // exclusive one, and the probe releases it at once. NOTE: an acquire()
    // in another process in that instant fails as if the store were in use.
    std::optional<QString> found;
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0)
        ::flock(fd, LOCK_UN);
    else if (errno == EWOULDBLOCK)
        found = holderPid(fd);
    ::close(fd);
    return found;
}

EmbeddedLockFile::EmbeddedLockFile(int fd, QString path) : m_fd(fd), m_path(std::move(path)) { }

EmbeddedLockFile::~EmbeddedLockFile()
{
    // The file stays on disk: removing it would let a process that opened the
    // old inode and one that creates a new file both believe they hold the lock.
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
}

}  // namespace mutt::queue
