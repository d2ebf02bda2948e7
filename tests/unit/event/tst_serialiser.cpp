// Byte-exact output of the event serialiser and of the ingest decoder.
//
// json::write() must give the bytes of rapidjson::Writer over the value
// tree (the reference below), and the decoder must give the queue items of
// tests/unit/event/golden/ingest-samples.txt for the sample inputs.
// MUTT_WRITE_GOLDEN=FILE writes the decoder output to FILE instead of
// comparing it.

#include "event/IngestBody.h"
#include "event/Json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace mutt::event;

class TestSerialiser : public QObject {
    Q_OBJECT

private slots:
    void sameAsRapidjsonWriter_data();
    void sameAsRapidjsonWriter();
    void randomStrings();
    void decoderGolden();
};

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void referenceValue(Writer &writer, const rapidjson::Value &value)
{
    switch (value.GetType()) {
    case rapidjson::kNullType: writer.Null(); return;
    case rapidjson::kFalseType: writer.Bool(false); return;
    case rapidjson::kTrueType: writer.Bool(true); return;
    case rapidjson::kStringType:
        if (json::isRawNumber(value)) {
            const QByteArrayView digits = json::rawNumberText(value);
            writer.RawValue(digits.data(), size_t(digits.size()), rapidjson::kNumberType);
        } else {
            writer.String(value.GetString(), value.GetStringLength());
        }
        return;
    case rapidjson::kNumberType:
        if (value.IsInt64())
            writer.Int64(value.GetInt64());
        else if (value.IsUint64())
            writer.Uint64(value.GetUint64());
        else if (std::isfinite(value.GetDouble()))
            writer.Double(value.GetDouble());
        else
            writer.Null();
        return;
    case rapidjson::kObjectType:
        writer.StartObject();
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            writer.Key(it->name.GetString(), it->name.GetStringLength());
            referenceValue(writer, it->value);
        }
        writer.EndObject();
        return;
    case rapidjson::kArrayType:
        writer.StartArray();
        for (auto it = value.Begin(); it != value.End(); ++it)
            referenceValue(writer, *it);
        writer.EndArray();
        return;
    }
}

// rapidjson::Writer output: the serialiser's output before it wrote bytes itself.
QByteArray reference(const rapidjson::Value &value)
{
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    referenceValue(writer, value);
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

QByteArray readSample(const QString &relativePath)
{
    QFile file(QStringLiteral(MUTT_SHARED_DATA_DIR "/") + relativePath);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QStringList samplePaths {
    QStringLiteral("reference-demo/demo_syslog_events.json"),
    QStringLiteral("reference-demo/demo_snmp_traps.json"),
    QStringLiteral("reference-demo/test_data_syslog_events.json"),
    QStringLiteral("network-devices.ndjson"),
};

// Lines that reach every branch of the normaliser and of the serialiser.
const QByteArray edgeCases = R"({"hostname":"r1","message":"m","timestamp":"2025-01-15T14:30:22Z"}
{"hostname":"r1","message":"tab\there \"q\" back\\slash \u0001 \u001f \b\f\r\n / é 𝄞","timestamp":""}
{"hostname":"r1","message":"m","_correlation_id":"x","_retry_count":3,"_dlq_reason":"y","_custom":1}
{"hostname":"r1","message":"m","big":123456789012345678901234567890,"neg":-9223372036854775808,"u":18446744073709551615}
{"hostname":"r1","message":"m","d":[1.5,-0.0,1e300,2.5e-8,0.1,100.0,1E2,3.14159265358979],"tiny":1e-400}
{"hostname":"r1","message":"m","n":null,"t":true,"f":false,"o":{},"a":[],"deep":{"x":[{"y":[1,{"z":"w"}]}]}}
{"hostname":"r1","message":"m","dup":1,"dup":2,"timestamp":"2025-01-15 14:30:22.1234567+02:00"}
{"hostname":"r1","message":"m","syslog_severity":"warning","severity":"bogus"}
{"hostname":"r1","message":"m","syslog_severity":"bogus"}
{"hostname":"","message":"m"}
{"hostname":"r1","message":"m","timestamp":"yesterday"}
{"trap_oid":".1.3.6.1.6.3.1.1.5.3","agent_address":"10.0.0.1","varbinds":[{"oid":"1.3.6.1.2.1.2.2.1.1","value":2}]}
{"trap_oid":"1.3.6.1.4.1.9.9.41.2.0.1","source_ip":"10.0.0.2","hostname":" ","message":" "}
not json
[1,2]
{"hostname":"r1"}
)";

}  // namespace

void TestSerialiser::sameAsRapidjsonWriter_data()
{
    QTest::addColumn<QByteArray>("text");
    for (const QString &path : samplePaths) {
        const QByteArray body = readSample(path);
        QVERIFY2(!body.isEmpty(), qPrintable(path));
        if (path.endsWith(QStringLiteral(".ndjson"))) {
            int line = 0;
            for (const QByteArray &text : body.split('\n')) {
                ++line;
                if (!text.trimmed().isEmpty())
                    QTest::addRow("%s:%d", qPrintable(path), line) << text;
            }
        } else {
            QTest::addRow("%s", qPrintable(path)) << body;
        }
    }
    int line = 0;
    for (const QByteArray &text : edgeCases.split('\n')) {
        ++line;
        if (text.startsWith('{'))
            QTest::addRow("edge:%d", line) << text;
    }
}

void TestSerialiser::sameAsRapidjsonWriter()
{
    QFETCH(QByteArray, text);
    rapidjson::Document document;
    rapidjson::Value value;
    QVERIFY(json::parse(text, value, document.GetAllocator()).ok());

    QCOMPARE(json::write(value), reference(value));
}

void TestSerialiser::randomStrings()
{
    // Every byte below 0x80 and some UTF-8 sequences, in keys and values.
    QRandomGenerator random(20261205);
    const QList<QByteArray> multiByte {"é", "€", "𝄞", "\xEF\xBF\xBF"};
    for (int round = 0; round < 2000; ++round) {
        QByteArray text;
        const int length = int(random.bounded(40));
        for (int i = 0; i < length; ++i) {
            if (random.bounded(8) == 0)
                text += multiByte[random.bounded(multiByte.size())];
            else
                text += char(random.bounded(1, 128));
        }
        rapidjson::Document document(rapidjson::kObjectType);
        auto &allocator = document.GetAllocator();
        rapidjson::Value key(text.constData(), rapidjson::SizeType(text.size()), allocator);
        rapidjson::Value value(text.constData(), rapidjson::SizeType(text.size()), allocator);
        document.AddMember(key, value, allocator);
        document.AddMember("n", rapidjson::Value(double(random.generate()) / double(random.generate() | 1)), allocator);
        const QByteArray written = json::write(document);
        QCOMPARE(written, reference(document));
    }
}

void TestSerialiser::decoderGolden()
{
    const IngestBodyDecoder decoder(QStringList {QStringLiteral("program")});
    const IngestBodyDecoder plain;
    const IngestStamp stamp {QStringLiteral("cid-golden"), QStringLiteral("2025-11-11T16:40:00.000Z")};
    QByteArray out;
    auto run = [&](const QString &name, const IngestBodyDecoder &d, const QByteArray &body, const QByteArray &type) {
        const IngestBodyResult result = d.decode({type, {}, body, 10 * 1024 * 1024}, stamp);
        out += "# " + name.toUtf8() + " status=" + QByteArray::number(result.httpStatus) + ' ' + result.message.toUtf8()
            + '\n';
        for (const QByteArray &item : result.batch.items)
            out += item + '\n';
        for (const IngestItemError &error : result.batch.errors) {
            out += "! " + QByteArray::number(error.index) + ' ' + error.message.toUtf8() + " raw=" + error.raw
                + (error.syntax ? " syntax" : "") + '\n';
        }
    };
    for (const QString &path : samplePaths) {
        const QByteArray type = path.endsWith(QStringLiteral(".ndjson")) ? "application/x-ndjson" : "application/json";
        run(path, plain, readSample(path), type);
    }
    run(QStringLiteral("edge cases"), plain, edgeCases, "application/x-ndjson");
    run(QStringLiteral("edge cases, program required"), decoder, edgeCases, "application/x-ndjson");
    run(QStringLiteral("one event"), plain, edgeCases.first(edgeCases.indexOf('\n')), "application/json");

    if (const QByteArray target = qgetenv("MUTT_WRITE_GOLDEN"); !target.isEmpty()) {
        QFile file(QString::fromLocal8Bit(target));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(out);
        QSKIP("golden file written");
    }
    QFile file(QStringLiteral(MUTT_SOURCE_DIR "/tests/unit/event/golden/ingest-samples.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> expected = file.readAll().split('\n');
    const QList<QByteArray> actual = out.split('\n');
    for (qsizetype i = 0; i < std::min(expected.size(), actual.size()); ++i)
        QVERIFY2(actual[i] == expected[i],
            qPrintable(QStringLiteral("line %1 differs:\n got  %2\n want %3")
                           .arg(i + 1)
                           .arg(QString::fromUtf8(actual[i]), QString::fromUtf8(expected[i]))));
    QCOMPARE(actual.size(), expected.size());
}

QTEST_GUILESS_MAIN(TestSerialiser)
#include "tst_serialiser.moc"
