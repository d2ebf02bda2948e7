#include "SampleData.h"

#include "ProcessTools.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace mutt::itest {
namespace {

QByteArray readFile(const QString &relativePath)
{
    QFile file(sampleFile(relativePath));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

}  // namespace

SampleSet loadSamples()
{
    SampleSet samples;
    samples.demoSyslogArray = readFile(QStringLiteral("reference-demo/demo_syslog_events.json"));
    samples.demoTrapsArray = readFile(QStringLiteral("reference-demo/demo_snmp_traps.json"));
    samples.networkNdjson = readFile(QStringLiteral("network-devices.ndjson"));

    const QJsonArray testArray
        = QJsonDocument::fromJson(readFile(QStringLiteral("reference-demo/test_data_syslog_events.json"))).array();
    for (const QJsonValue &value : testArray)
        samples.testEvents.append(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return samples;
}

}  // namespace mutt::itest
