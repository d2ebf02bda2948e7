#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace mutt::queue {

// Durability level of each commit of the embedded store.
enum class EmbeddedSync {
    Full,  // fsync every commit: an acknowledged change survives power loss
    Normal,  // fsync at checkpoints only: survives a process crash, may lose the last commits on power loss
};

struct EmbeddedStoreOptions {
    EmbeddedSync sync = EmbeddedSync::Full;
    // How long SQLite waits on a locked database file (another reader such as
    // the sqlite3 shell) before an operation fails.
    std::chrono::milliseconds busyTimeout {5000};
    // Upper bound on the operations committed together in one transaction.
    int maxGroupTasks = 512;
    // How often expired counters and string keys are deleted from the file.
    std::chrono::milliseconds purgeInterval {60'000};

    // "full" or "normal" (MUTT_EMBEDDED_SYNC), case-insensitive.
    static std::optional<EmbeddedSync> syncFromName(const QString &name);
    static QString syncName(EmbeddedSync sync);
};

}  // namespace mutt::queue
