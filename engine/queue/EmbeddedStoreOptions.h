#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace mutt::queue {

// Durability level of the embedded store's Durability::Accept commits
// (MUTT_EMBEDDED_SYNC). Durability::Move commits never wait for fdatasync.
enum class EmbeddedSync {
    // fdatasync every Accept commit, so acknowledged ingest and config writes
    // survive power loss. Power loss may undo the last moves of items (claims,
    // delivery results), and those items are then processed or delivered again.
    Full,
    // fdatasync at checkpoints only. Every commit survives a process crash,
    // but power loss may lose the last commits of either class.
    Normal,
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
