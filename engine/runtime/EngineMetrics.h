#pragma once

#include "config/Settings.h"
#include "metrics/MetricsRegistry.h"
#include "runtime/StatusSampler.h"

namespace mutt::runtime {

// Scrape-time gauges of the whole pipeline, read from one cached store
// sample per scrape:
//   mutt_queue_depth{queue}               items in each queue, DLQ, retry set
//                                         and (summed per prefix) processing lists
//   mutt_queue_oldest_age_seconds{queue}  age of the oldest item, 0 when empty
//   mutt_conservation_events{outcome}     accepted, generated, forwarded, suppressed,
//                                         unhandled, discarded, in_dlq, in_flight
//   mutt_conservation_difference          accepted + generated - everything accounted for
class EngineMetrics final {
public:
    // Samples older than this are refreshed by the first gauge read.
    static constexpr qint64 maxSampleAgeMs = 2000;

    static void registerGauges(
        metrics::MetricsRegistry &registry, const config::Settings &settings, StatusSampler &sampler);
};

}  // namespace mutt::runtime
