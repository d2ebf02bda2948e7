#pragma once

#include <QString>

namespace mutt::queue {

// Key names shared with MUTT v2.5. The configurable ones come from Settings;
// these are the defaults and the fixed names.
namespace keys {
// QStringLiteral points at static data and allocates nothing, so these
// initialisations cannot throw (cert-err58-cpp assumes any QString can).
// NOLINTBEGIN(cert-err58-cpp)
inline const QString ingestQueue = QStringLiteral("mutt:ingest_queue");
inline const QString alertQueue = QStringLiteral("mutt:alert_queue");
inline const QString alerterProcessingPrefix = QStringLiteral("mutt:processing:alerter");
inline const QString moogProcessingPrefix = QStringLiteral("mutt:processing:moog");
inline const QString alerterHeartbeatPrefix = QStringLiteral("mutt:heartbeat:alerter");
inline const QString moogHeartbeatPrefix = QStringLiteral("mutt:heartbeat:moog");
inline const QString alerterDlq = QStringLiteral("mutt:dlq:alerter");
inline const QString moogDlq = QStringLiteral("mutt:dlq:moog");
inline const QString deadLetter = QStringLiteral("mutt:dlq:dead");
inline const QString moogRetry = QStringLiteral("mutt:retry:moog");
inline const QString rejectedIngest = QStringLiteral("mutt:rejected:ingest");
inline const QString unhandledPrefix = QStringLiteral("mutt:unhandled");
inline const QString moogRateLimit = QStringLiteral("mutt:rate_limit:moog");
inline const QString ingestRateLimit = QStringLiteral("mutt:rate_limit:ingestor");
inline const QString circuitName = QStringLiteral("moogsoft");
inline const QString configPrefix = QStringLiteral("mutt:config:");
inline const QString configChannel = QStringLiteral("mutt:config:updates");
inline const QString metricsPrefix = QStringLiteral("mutt:metrics");

// Conservation counters (ours): every accepted event ends in exactly one of
// forwarded, suppressed, unhandled or a DLQ; meta-alerts are "generated".
inline const QString statsPrefix = QStringLiteral("mutt:stats:");
inline const QString statAccepted = QStringLiteral("mutt:stats:accepted");
inline const QString statGenerated = QStringLiteral("mutt:stats:generated");
inline const QString statForwarded = QStringLiteral("mutt:stats:forwarded");
inline const QString statSuppressed = QStringLiteral("mutt:stats:suppressed");
inline const QString statUnhandled = QStringLiteral("mutt:stats:unhandled");
inline const QString statDiscarded = QStringLiteral("mutt:stats:discarded");  // deleted from a DLQ by an operator
// NOLINTEND(cert-err58-cpp)
}  // namespace keys

}  // namespace mutt::queue
