// Rule-matching throughput with 10 and with 1,000 mixed rules (contains,
// regex, oid_prefix) over the sample events. The matcher's cost should be
// nearly flat in the number of rules: the 1,000-rule rate should be at least
// half the 10-rule rate.
//
// Usage: bench_rules_match [seconds per rule set, default 3]; the two sets
// run in alternating rounds.

#include "alerter/RuleSet.h"
#include "event/Event.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cstdio>
#include <vector>

using mutt::alerter::RuleSet;
using mutt::event::Event;
using mutt::sql::AlertRule;
using mutt::sql::RuleSnapshot;

namespace {

void appendEvent(std::vector<Event> &events, const QByteArray &json)
{
    auto parsed = Event::parse(json);
    if (parsed.ok())
        events.push_back(std::move(parsed).value());
}

std::vector<Event> loadSamples()
{
    const QString dir = QStringLiteral(MUTT_SHARED_DATA_DIR);
    std::vector<Event> events;
    for (const char *name : {"reference-demo/demo_syslog_events.json", "reference-demo/test_data_syslog_events.json",
             "reference-demo/demo_snmp_traps.json"}) {
        QFile file(dir + u'/' + QLatin1StringView(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
        for (const auto &value : array)
            appendEvent(events, QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    QFile ndjson(dir + QStringLiteral("/network-devices.ndjson"));
    if (ndjson.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : ndjson.readAll().split('\n')) {
            if (!line.trimmed().isEmpty())
                appendEvent(events, line);
        }
    }
    return events;
}

AlertRule rule(qint64 id, const char *type, int priority)
{
    AlertRule row;
    row.id = id;
    row.matchType = QLatin1StringView(type);
    row.priority = priority;
    row.prodHandling = QStringLiteral("Ticket_only");
    row.devHandling = QStringLiteral("Ignore");
    row.teamAssignment = QStringLiteral("NETO");
    return row;
}

QString word(QRandomGenerator &random)
{
    static const char *const syllables[] = {"link", "bgp", "ospf", "fan", "psu", "temp", "port", "vlan", "stp", "lacp",
        "isis", "snmp", "auth", "dhcp", "acl", "mpls"};
    return QLatin1StringView(syllables[random.bounded(16)]) + QLatin1StringView(syllables[random.bounded(16)])
        + QString::number(random.bounded(1000));
}

// 40% contains, 30% regex, 30% oid_prefix; the seed patterns are in every
// set so the samples produce matches.
RuleSnapshot mixedRules(int count)
{
    QRandomGenerator random(20251204);
    RuleSnapshot snapshot;
    const char *seeds[] = {"CRITICAL", "ERROR", "LINK-DOWN", "DOT1X-FIRMWARE-RUNNING"};
    for (int i = 0; i < 4; ++i) {
        AlertRule row = rule(i + 1, "contains", 10 * (i + 1));
        row.matchString = QLatin1StringView(seeds[i]);
        snapshot.rules.append(row);
    }
    AlertRule oid = rule(5, "oid_prefix", 15);
    oid.trapOid = QStringLiteral(".1.3.6.1.4.1.9.9.41.2");
    snapshot.rules.append(oid);

    for (int id = 6; id <= count; ++id) {
        const int kind = id % 10;
        const int priority = int(random.bounded(1, 200));
        if (kind < 4) {
            AlertRule row = rule(id, "contains", priority);
            row.matchString = QStringLiteral("%") + word(random).toUpper() + u'-';
            snapshot.rules.append(row);
        } else if (kind < 7) {
            AlertRule row = rule(id, "regex", priority);
            row.matchString = word(random) + QStringLiteral("\\s+(fault|fail(ed|ure)?)\\s+on\\s+slot\\s+\\d+");
            snapshot.rules.append(row);
        } else {
            AlertRule row = rule(id, "oid_prefix", priority);
            row.trapOid = QStringLiteral(".1.3.6.1.4.1.%1.%2.%3")
                              .arg(random.bounded(1, 40000))
                              .arg(random.bounded(1, 20))
                              .arg(random.bounded(1, 100));
            snapshot.rules.append(row);
        }
    }
    return snapshot;
}

struct Rate {
    qint64 events = 0;
    qint64 nanoseconds = 0;
    qint64 matched = 0;

    [[nodiscard]] double perSecond() const { return double(events) / (double(nanoseconds) / 1e9); }
};

void matchAll(const RuleSet &rules, const std::vector<Event> &events, Rate &rate)
{
    QElapsedTimer timer;
    timer.start();
    for (const Event &event : events) {
        if (rules.match(event))
            ++rate.matched;
    }
    rate.nanoseconds += timer.nsecsElapsed();
    rate.events += qint64(events.size());
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? QByteArray(argv[1]).toDouble() : 3.0;
    const std::vector<Event> events = loadSamples();
    if (events.empty()) {
        std::fprintf(stderr, "bench_rules_match: no sample events under %s\n", MUTT_SHARED_DATA_DIR);
        return 1;
    }

    const RuleSet small(mixedRules(10));
    const RuleSet large(mixedRules(1000));
    // Alternating short rounds keeps both sets under the same machine load,
    // which drifts on shared cores.
    Rate smallRate;
    Rate largeRate;
    QElapsedTimer total;
    total.start();
    while (total.nsecsElapsed() < qint64(2 * seconds * 1e9)) {
        for (int i = 0; i < 20; ++i)
            matchAll(small, events, smallRate);
        for (int i = 0; i < 20; ++i)
            matchAll(large, events, largeRate);
    }
    const double ratio = largeRate.perSecond() / smallRate.perSecond();

    std::printf("sample events: %lld\n", static_cast<long long>(events.size()));
    std::printf("rules=%-5lld events/s=%.0f (matched %lld of %lld)\n", static_cast<long long>(small.ruleCount()),
        smallRate.perSecond(), static_cast<long long>(smallRate.matched), static_cast<long long>(smallRate.events));
    std::printf("rules=%-5lld events/s=%.0f (matched %lld of %lld)\n", static_cast<long long>(large.ruleCount()),
        largeRate.perSecond(), static_cast<long long>(largeRate.matched), static_cast<long long>(largeRate.events));
    std::printf("ratio 1000/10 = %.2f (target >= 0.50): %s\n", ratio, ratio >= 0.5 ? "met" : "NOT met");
    return 0;
}
