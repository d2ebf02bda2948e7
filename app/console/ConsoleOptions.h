#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"

#include <QString>

class QCoreApplication;

namespace mutt::ui {

class ProfileStore;

// The command line of mutt-console.
struct ConsoleOptions {
    QString profileName;  // --profile NAME
    bool embedded = false;  // --embedded
    QString dataDir;  // --data-dir DIR
    QString remoteUrl;  // --remote URL
    QString caFile;  // --ca-file FILE
    QString view;  // --view NAME: the view shown first (overview, queues)
    QString screenshotFile;  // --screenshot FILE
    int screenshotAfterSeconds = 3;  // --screenshot-after SECONDS
    QString logLevel = QStringLiteral("info");  // --log-level
    // Benchmark options (tests/bench/console-dlq.sh); off when empty or 0.
    QString stallLogFile;  // --stall-log FILE: GUI-thread stall report written at exit
    int quitAfterSeconds = 0;  // --quit-after SECONDS
    int cycleViewsSeconds = 0;  // --cycle-views SECONDS

    static Result<ConsoleOptions> parse(const QCoreApplication &app);

    // The profile to open: the one named on the command line, an unsaved
    // one built from --embedded/--remote, else the last one used (the
    // default embedded profile on first start).
    [[nodiscard]] Result<ConnectionProfile> startupProfile(ProfileStore &profiles) const;
};

}  // namespace mutt::ui
