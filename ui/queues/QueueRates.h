#pragma once

#include "runtime/EngineStatus.h"

#include <QHash>
#include <QString>

#include <chrono>
#include <deque>
#include <optional>

namespace mutt::ui {

// Flow through one queue, worked out from two status samples.
struct QueueFlow {
    std::optional<double> inPerSec;
    std::optional<double> outPerSec;
    // True when only the depth change is known: the rate shown is a lower
    // bound (items may arrive and leave within the same interval).
    bool inIsLowerBound = false;
    bool outIsLowerBound = false;
    std::optional<double> netPerSec;  // depth change per second
    std::optional<qint64> drainMs;  // shrinking: time until empty at this rate
    std::optional<qint64> fillMs;  // growing, capacity known: time until full
    std::optional<qint64> capacity;
};

// Keeps recent status samples and derives per-queue rates from them.
//
// The depth change over the interval gives the net rate. Only the ingest
// queue has a counter for what enters it (the ingestor's accepted events),
// so there in/s is exact and out/s = in/s − net. Every other queue shows the
// net rate as in/s when it grows and as out/s when it shrinks, marked as a
// lower bound.
//
// Rates compare the newest sample with the oldest one inside the window, so
// one late sample does not make the numbers jump.
class QueueRateTracker final {
public:
    explicit QueueRateTracker(std::chrono::milliseconds window = std::chrono::seconds(5));

    void addSample(const runtime::EngineStatus &status);
    void clear();

    [[nodiscard]] QueueFlow flow(const runtime::QueueInfo &info) const;

    // The queue whose inflow is the accepted counter (INGEST_QUEUE_NAME).
    void setIngestQueueName(const QString &name) { m_ingestQueue = name; }
    // The cap used for "time to fill" (MAX_INGEST_QUEUE_SIZE for the ingest queue).
    void setCapacity(const QString &queueName, qint64 capacity) { m_capacity.insert(queueName, capacity); }

private:
    struct Sample {
        qint64 atMs = 0;
        qint64 accepted = 0;
        QHash<QString, qint64> depths;
    };

    [[nodiscard]] const Sample *baseSample() const;
    static void addDrainOrFill(QueueFlow &flow, qint64 depth);

    std::chrono::milliseconds m_window;
    std::deque<Sample> m_samples;
    QString m_ingestQueue = QStringLiteral("mutt:ingest_queue");
    QHash<QString, qint64> m_capacity;
};

}  // namespace mutt::ui
