#include "metrics/MetricsRegistry.h"

#include "metrics/MetricsText.h"

#include <algorithm>
#include <cmath>

namespace mutt::metrics {
namespace {

void addAtomic(std::atomic<double> &target, double delta)
{
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) { }
}

QString escapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'"')
            out += QStringLiteral("\\\"");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out;
}

QString labelKey(const Labels &labels)
{
    QString key;
    for (const auto &[name, value] : labels) {
        if (!key.isEmpty())
            key += u',';
        key += name + QStringLiteral("=\"") + escapeLabelValue(value) + u'"';
    }
    return key;
}

void appendSeries(QByteArray &out, const QString &name, const QString &labels, double value)
{
    out += name.toUtf8();
    if (!labels.isEmpty())
        out += '{' + labels.toUtf8() + '}';
    out += ' ' + sampleText(value) + '\n';
}

QString withLabel(const QString &labels, const QString &extra)
{
    return labels.isEmpty() ? extra : labels + u',' + extra;
}

}  // namespace

void Counter::inc(double delta)
{
    if (delta < 0)
        return;  // counters only go up
    addAtomic(m_value, delta);
}

void Gauge::inc(double delta)
{
    addAtomic(m_value, delta);
}

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds))
    , m_counts(m_bounds.size() + 1, 0)
{
}

void Histogram::observe(double value)
{
    size_t bucket = 0;
    while (bucket < m_bounds.size() && value > m_bounds[bucket])
        ++bucket;
    std::lock_guard lock(m_mutex);
    ++m_counts[bucket];
    m_sum += value;
    ++m_count;
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snap;
    snap.upperBounds = m_bounds;
    std::lock_guard lock(m_mutex);
    quint64 running = 0;
    for (quint64 count : m_counts) {
        running += count;
        snap.cumulativeCounts.push_back(running);
    }
    snap.sum = m_sum;
    snap.count = m_count;
    return snap;
}

MetricsRegistry::Family &MetricsRegistry::family(const QString &name, Type type, const QString &help)
{
    auto it = m_families.find(name);
    if (it == m_families.end()) {
        Family created;
        created.type = type;
        created.help = help;
        it = m_families.emplace(name, std::move(created)).first;
    }
    return it->second;
}

Counter &MetricsRegistry::counter(const QString &name, const QString &help, const Labels &labels)
{
    std::lock_guard lock(m_mutex);
    Family &fam = family(name, Type::Counter, help);
    const QString key = labelKey(labels);
    auto &slot = fam.counters[key];
    if (!slot) {
        slot = std::make_unique<Counter>();
        fam.labelsByKey[key] = labels;
    }
    return *slot;
}

Gauge &MetricsRegistry::gauge(const QString &name, const QString &help, const Labels &labels)
{
    std::lock_guard lock(m_mutex);
    Family &fam = family(name, Type::Gauge, help);
    const QString key = labelKey(labels);
    auto &slot = fam.gauges[key];
    if (!slot) {
        slot = std::make_unique<Gauge>();
        fam.labelsByKey[key] = labels;
    }
    return *slot;
}

Histogram &MetricsRegistry::histogram(
    const QString &name, const QString &help, const std::vector<double> &upperBounds, const Labels &labels)
{
    std::lock_guard lock(m_mutex);
    Family &fam = family(name, Type::Histogram, help);
    const QString key = labelKey(labels);
    auto &slot = fam.histograms[key];
    if (!slot) {
        slot = std::make_unique<Histogram>(upperBounds);
        fam.labelsByKey[key] = labels;
    }
    return *slot;
}

void MetricsRegistry::gaugeCallback(
    const QString &name, const QString &help, const Labels &labels, std::function<double()> read)
{
    std::lock_guard lock(m_mutex);
    Family &fam = family(name, Type::Gauge, help);
    const QString key = labelKey(labels);
    fam.callbacks[key] = std::move(read);
    fam.labelsByKey[key] = labels;
}

const char *MetricsRegistry::typeNameOf(Type type)
{
    switch (type) {
    case Type::Counter: return "counter";
    case Type::Gauge: return "gauge";
    case Type::Histogram: return "histogram";
    }
    return "untyped";
}

QByteArray MetricsRegistry::exposition() const
{
    QByteArray out;
    std::lock_guard lock(m_mutex);
    for (const auto &[name, fam] : m_families) {
        const char *typeName = typeNameOf(fam.type);
        out += "# HELP " + name.toUtf8() + ' ' + fam.help.toUtf8() + '\n';
        out += "# TYPE " + name.toUtf8() + ' ' + typeName + '\n';
        for (const auto &[key, counter] : fam.counters)
            appendSeries(out, name, key, counter->value());
        for (const auto &[key, gauge] : fam.gauges)
            appendSeries(out, name, key, gauge->value());
        for (const auto &[key, read] : fam.callbacks)
            appendSeries(out, name, key, read());
        for (const auto &[key, histogram] : fam.histograms) {
            const Histogram::Snapshot snap = histogram->snapshot();
            for (size_t i = 0; i < snap.upperBounds.size(); ++i) {
                const QString le = QStringLiteral("le=\"") + QString::fromLatin1(boundText(snap.upperBounds[i])) + u'"';
                appendSeries(
                    out, name + QStringLiteral("_bucket"), withLabel(key, le), double(snap.cumulativeCounts[i]));
            }
            appendSeries(out, name + QStringLiteral("_bucket"), withLabel(key, QStringLiteral("le=\"+Inf\"")),
                double(snap.cumulativeCounts.back()));
            appendSeries(out, name + QStringLiteral("_sum"), key, snap.sum);
            appendSeries(out, name + QStringLiteral("_count"), key, double(snap.count));
        }
    }
    return out;
}

double MetricsRegistry::valueOf(const QString &name, const Labels &labels) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_families.find(name);
    if (it == m_families.end())
        return 0;
    const QString key = labelKey(labels);
    if (const auto c = it->second.counters.find(key); c != it->second.counters.end())
        return c->second->value();
    if (const auto g = it->second.gauges.find(key); g != it->second.gauges.end())
        return g->second->value();
    if (const auto cb = it->second.callbacks.find(key); cb != it->second.callbacks.end())
        return cb->second();
    return 0;
}

double MetricsRegistry::sumOf(const QString &name, const Labels &match) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_families.find(name);
    if (it == m_families.end())
        return 0;
    const Family &family = it->second;
    const auto matches = [&family, &match](const QString &key) {
        const auto labels = family.labelsByKey.find(key);
        const Labels &have = labels == family.labelsByKey.end() ? Labels {} : labels->second;
        return std::all_of(match.begin(), match.end(), [&have](const auto &pair) { return have.contains(pair); });
    };

    double total = 0;
    for (const auto &[key, counter] : family.counters)
        total += matches(key) ? counter->value() : 0.0;
    for (const auto &[key, gauge] : family.gauges)
        total += matches(key) ? gauge->value() : 0.0;
    for (const auto &[key, read] : family.callbacks)
        total += matches(key) ? read() : 0.0;
    return total;
}

std::optional<Histogram::Snapshot> MetricsRegistry::mergedHistogram(const QString &name) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_families.find(name);
    if (it == m_families.end() || it->second.histograms.empty())
        return std::nullopt;

    std::optional<Histogram::Snapshot> merged;
    for (const auto &[key, histogram] : it->second.histograms) {
        Histogram::Snapshot one = histogram->snapshot();
        if (!merged) {
            merged = std::move(one);
            continue;
        }
        if (one.cumulativeCounts.size() != merged->cumulativeCounts.size())
            continue;
        for (size_t i = 0; i < one.cumulativeCounts.size(); ++i)
            merged->cumulativeCounts[i] += one.cumulativeCounts[i];
        merged->sum += one.sum;
        merged->count += one.count;
    }
    return merged;
}

const std::vector<double> &MetricsRegistry::latencySecondsBuckets()
{
    static const std::vector<double> buckets {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    return buckets;
}

}  // namespace mutt::metrics
