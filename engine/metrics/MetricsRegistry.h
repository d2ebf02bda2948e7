#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace mutt::metrics {

using Labels = QList<QPair<QString, QString>>;

class Counter {
public:
    void inc(double delta = 1.0);
    [[nodiscard]] double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value {0.0};
};

class Gauge {
public:
    void set(double value) { m_value.store(value, std::memory_order_relaxed); }
    void inc(double delta = 1.0);
    void dec(double delta = 1.0) { inc(-delta); }
    [[nodiscard]] double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value {0.0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upperBounds);
    void observe(double value);

    struct Snapshot {
        std::vector<double> upperBounds;
        std::vector<quint64> cumulativeCounts;  // one per bound, then +Inf
        double sum = 0;
        quint64 count = 0;
    };
    [[nodiscard]] Snapshot snapshot() const;

private:
    std::vector<double> m_bounds;
    mutable std::mutex m_mutex;
    std::vector<quint64> m_counts;  // per bucket, not cumulative; last is +Inf
    double m_sum = 0;
    quint64 m_count = 0;
};

// Prometheus metrics of one process, in the text exposition format 0.0.4.
// Metric objects live as long as the registry; the references returned stay
// valid. Thread-safe.
class MetricsRegistry {
public:
    Counter &counter(const QString &name, const QString &help, const Labels &labels = {});
    Gauge &gauge(const QString &name, const QString &help, const Labels &labels = {});
    Histogram &histogram(
        const QString &name, const QString &help, const std::vector<double> &upperBounds, const Labels &labels = {});
    // A gauge whose value is read at scrape time (queue depths, store counters).
    void gaugeCallback(const QString &name, const QString &help, const Labels &labels, std::function<double()> read);

    [[nodiscard]] QByteArray exposition() const;

    // Value of a counter or gauge series, for tests and the console; 0 if absent.
    [[nodiscard]] double valueOf(const QString &name, const Labels &labels = {}) const;
    // Sum of every counter or gauge series of `name` whose labels include all
    // of `match` (an empty `match` sums the whole family); 0 if absent.
    [[nodiscard]] double sumOf(const QString &name, const Labels &match = {}) const;
    // Every histogram series of `name` merged into one snapshot (the bounds
    // of the first series); nullopt when the family has no series.
    [[nodiscard]] std::optional<Histogram::Snapshot> mergedHistogram(const QString &name) const;

    static const std::vector<double> &latencySecondsBuckets();  // 0.001 .. 5 s, as MUTT v2.5

private:
    enum class Type { Counter, Gauge, Histogram };
    struct Family {
        Type type = Type::Counter;
        QString help;
        std::map<QString, Labels> labelsByKey;
        std::map<QString, std::unique_ptr<Counter>> counters;
        std::map<QString, std::unique_ptr<Gauge>> gauges;
        std::map<QString, std::unique_ptr<Histogram>> histograms;
        std::map<QString, std::function<double()>> callbacks;
    };

    Family &family(const QString &name, Type type, const QString &help);
    static const char *typeNameOf(Type type);

    mutable std::mutex m_mutex;
    std::map<QString, Family> m_families;
};

}  // namespace mutt::metrics
