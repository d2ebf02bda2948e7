#include "queues/QueueRates.h"

#include <algorithm>
#include <cmath>

namespace mutt::ui {

QueueRateTracker::QueueRateTracker(std::chrono::milliseconds window) : m_window(window)
{
    m_capacity.insert(m_ingestQueue, 1'000'000);  // MAX_INGEST_QUEUE_SIZE default
}

void QueueRateTracker::clear()
{
    m_samples.clear();
}

void QueueRateTracker::addSample(const runtime::EngineStatus &status)
{
    Sample sample;
    const QDateTime at = status.sampledAt.isValid() ? status.sampledAt : QDateTime::currentDateTimeUtc();
    sample.atMs = at.toMSecsSinceEpoch();
    sample.accepted = status.conservation.accepted;
    for (const runtime::QueueInfo &info : status.queues)
        sample.depths.insert(info.name, info.depth);

    // A sample from the past means the clock or the daemon changed: start over.
    if (!m_samples.empty() && sample.atMs <= m_samples.back().atMs)
        m_samples.clear();
    m_samples.push_back(std::move(sample));

    // Keep everything inside the window plus the newest one before it.
    const qint64 horizon = m_samples.back().atMs - m_window.count();
    while (m_samples.size() > 2 && m_samples[1].atMs <= horizon)
        m_samples.pop_front();
}

const QueueRateTracker::Sample *QueueRateTracker::baseSample() const
{
    if (m_samples.size() < 2)
        return nullptr;

    const qint64 horizon = m_samples.back().atMs - m_window.count();
    for (const Sample &sample : m_samples) {
        if (sample.atMs >= horizon && &sample != &m_samples.back())
            return &sample;
    }
    return &m_samples[m_samples.size() - 2];
}

QueueFlow QueueRateTracker::flow(const runtime::QueueInfo &info) const
{
    QueueFlow flow;
    flow.capacity = m_capacity.contains(info.name) ? std::optional<qint64>(m_capacity.value(info.name)) : std::nullopt;

    const Sample *base = baseSample();
    if (!base || !base->depths.contains(info.name))
        return flow;

    const Sample &latest = m_samples.back();
    const double seconds = double(latest.atMs - base->atMs) / 1000.0;
    const double net = double(info.depth - base->depths.value(info.name)) / seconds;
    flow.netPerSec = net;

    const qint64 acceptedDelta = latest.accepted - base->accepted;
    if (info.name == m_ingestQueue && acceptedDelta >= 0) {
        flow.inPerSec = double(acceptedDelta) / seconds;
        // Depth and counter are read a moment apart; never show a negative flow.
        flow.outPerSec = std::max(0.0, *flow.inPerSec - net);
    } else {
        flow.inPerSec = std::max(0.0, net);
        flow.outPerSec = std::max(0.0, -net);
        flow.inIsLowerBound = true;
        flow.outIsLowerBound = true;
    }

    addDrainOrFill(flow, info.depth);
    return flow;
}

void QueueRateTracker::addDrainOrFill(QueueFlow &flow, qint64 depth)
{
    const double net = flow.netPerSec.value_or(0.0);
    if (net < 0.0 && depth > 0) {
        flow.drainMs = qint64(std::ceil(double(depth) / -net * 1000.0));
        return;
    }
    if (net > 0.0 && flow.capacity && *flow.capacity > depth)
        flow.fillMs = qint64(std::ceil(double(*flow.capacity - depth) / net * 1000.0));
}

}  // namespace mutt::ui
