#pragma once

#include "core/Result.h"

#include <QString>

#include <memory>
#include <optional>

namespace mutt::queue {

// An exclusive advisory lock (flock) on `<database>.lock`, held for the life
// of the object, so that two stores never open the same database file, in
// one process or in two. The file keeps the holder's PID for error messages.
class EmbeddedLockFile final {
public:
    static Result<std::unique_ptr<EmbeddedLockFile>> acquire(const QString &databasePath);
    // The process that holds the lock of `databasePath`, for messages after
    // a failed open: nullopt when none holds it, else the PID its lock file
    // records (empty when it records none).
    static std::optional<QString> holder(const QString &databasePath);
    ~EmbeddedLockFile();

    EmbeddedLockFile(const EmbeddedLockFile &) = delete;
    EmbeddedLockFile &operator=(const EmbeddedLockFile &) = delete;

    [[nodiscard]] QString path() const { return m_path; }

private:
    EmbeddedLockFile(int fd, QString path);

    int m_fd = -1;
    QString m_path;
};

}  // namespace mutt::queue
