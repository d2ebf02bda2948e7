#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace mutt::itest {

// The shared sample inputs, read as their senders would send them.
struct SampleSet {
    QByteArray demoSyslogArray;  // reference-demo/demo_syslog_events.json as-is (JSON array, CRLF)
    QByteArray demoTrapsArray;  // reference-demo/demo_snmp_traps.json as-is
    QList<QByteArray> testEvents;  // reference-demo/test_data_syslog_events.json, one object per element
    QByteArray networkNdjson;  // network-devices.ndjson as-is
};

SampleSet loadSamples();

// Expected outcomes with the MUTT v2.5 seed rules, derived from the sample
// data README and the matching rules: events that contain "error"
// (case-insensitive, no higher-priority pattern) match rule 2, the traps
// under 1.3.6.1.4.1.9.9.41.2 match rule 5, everything else is unhandled.
struct SeedExpectation {
    static constexpr int demoSyslog = 330;
    static constexpr int demoSyslogForwarded = 30;
    static constexpr int demoTraps = 100;
    static constexpr int demoTrapsForwarded = 5;
    static constexpr int testEvents = 66;
    static constexpr int testEventsForwarded = 6;
    static constexpr int networkDevices = 133;
    static constexpr int networkDevicesForwarded = 8;
    static constexpr int accepted = demoSyslog + demoTraps + testEvents + networkDevices;
    static constexpr int forwarded
        = demoSyslogForwarded + demoTrapsForwarded + testEventsForwarded + networkDevicesForwarded;
    static constexpr int unhandled = accepted - forwarded;
};

}  // namespace mutt::itest
