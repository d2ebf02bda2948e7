// Normalisation of ingested events and decoding of POST /ingest bodies.

#include "event/Event.h"
#include "event/IngestBody.h"
#include "event/Normalizer.h"

#include <QFile>
#include <QTest>

#include <zlib.h>

using namespace mutt::event;

class TestIngestBody : public QObject {
    Q_OBJECT

private slots:
    void reservedFieldsStripped();
    void severityChecked_data();
    void severityChecked();
    void trapFromDemoFile();
    void trapHostnameOrder_data();
    void trapHostnameOrder();
    void trapVarbindShapes_data();
    void trapVarbindShapes();
    void requiredFields_data();
    void requiredFields();
    void hostnameAtLimit_data();
    void hostnameAtLimit();
    void timestampFromReceipt_data();
    void timestampFromReceipt();
    void extraRequiredFields();
    void errorLeavesEventUnchanged();

    void contentTypes_data();
    void contentTypes();
    void refusedBodies_data();
    void refusedBodies();
    void singleObject();
    void arrayCorrelationIds();
    void ndjsonCrlfAndBlankLines();
    void ndjsonLabelledJson();
    void jsonArrayLabelledNdjson();
    void ndjsonWithoutLineBreaks();
    void mixedBatch();
    void gzipBody();
    void gzipBomb();
    void byteOrderMark();
    void bigIntegerAndDuplicates();
    void noValidItemMessage();
    void sampleFiles_data();
    void sampleFiles();
};

namespace {

const IngestStamp stamp {QStringLiteral("cid-1"), QStringLiteral("2025-11-11T16:40:00.000Z")};

struct Normalized {
    mutt::Status status;
    QByteArray json;
};

Normalized normalizeText(const QByteArray &text, const QStringList &required = {})
{
    rapidjson::Document doc;
    rapidjson::Value value;
    const mutt::Status parsed = json::parse(text, value, doc.GetAllocator());
    if (!parsed)
        return {parsed, {}};
    const mutt::Status status = Normalizer(required).normalize(value, doc.GetAllocator(), stamp);
    return {status, json::write(value)};
}

Event eventOf(const QByteArray &text)
{
    auto parsed = Event::parse(text);
    return parsed.ok() ? std::move(parsed).value() : Event();
}

IngestBodyResult decode(const QByteArray &body, const QByteArray &contentType = "application/json",
    const QByteArray &encoding = {}, qint64 maxBytes = 10 * 1024 * 1024)
{
    return IngestBodyDecoder().decode({contentType, encoding, body, maxBytes}, stamp);
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream {};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray readSample(const QString &relativePath)
{
    QFile file(QStringLiteral(MUTT_SHARED_DATA_DIR "/") + relativePath);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray validEvent = R"({"hostname":"r1","message":"link down","timestamp":"2025-01-15T14:30:22Z"})";

}  // namespace

void TestIngestBody::reservedFieldsStripped()
{
    const QByteArray input = R"({"hostname":"r1","_correlation_id":"evil","message":"m","_received_at":"x",)"
                             R"("_timestamp_source":"x","_retry_count":99,"_moog_retry_count":99,"_replay_count":9,)"
                             R"("_dlq_reason":"x","_dlq_at":"x","_dlq_last_status":500,"_dlq_source":"x",)"
                             R"("timestamp":"2025-01-15T14:30:22Z","_custom":"kept","program":"sshd"})";

    const Normalized out = normalizeText(input);

    QVERIFY(out.status.ok());
    QCOMPARE(out.json,
        QByteArray(R"({"hostname":"r1","message":"m","timestamp":"2025-01-15T14:30:22Z",)"
                   R"("_custom":"kept","program":"sshd","_correlation_id":"cid-1",)"
                   R"("_received_at":"2025-11-11T16:40:00.000Z"})"));
}

void TestIngestBody::severityChecked_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QString>("error");  // empty: accepted

    const QString names = QStringLiteral(" must be 0-7 or a syslog severity name (emerg, alert, crit, err, warning, "
                                         "notice, info, debug); got ");
    QTest::newRow("name") << QByteArray(R"("syslog_severity":"Warning")") << QString();
    QTest::newRow("number") << QByteArray(R"("syslog_severity":3)") << QString();
    QTest::newRow("alias") << QByteArray(R"("severity":"Informational")") << QString();
    QTest::newRow("null is absent") << QByteArray(R"("syslog_severity":null)") << QString();
    QTest::newRow("bad name") << QByteArray(R"("syslog_severity":"Bogus")")
                              << (QStringLiteral("syslog_severity") + names + QStringLiteral("\"Bogus\""));
    QTest::newRow("out of range") << QByteArray(R"("syslog_severity":9)")
                                  << (QStringLiteral("syslog_severity") + names + QStringLiteral("9"));
    QTest::newRow("bad alias") << QByteArray(R"("severity":"Indeterminate")")
                               << (QStringLiteral("severity") + names + QStringLiteral("\"Indeterminate\""));
    QTest::newRow("alias ignored when syslog_severity present")
        << QByteArray(R"("syslog_severity":"err","severity":"whatever")") << QString();
}

void TestIngestBody::severityChecked()
{
    QFETCH(QByteArray, fields);
    QFETCH(QString, error);

    const Normalized out = normalizeText(R"({"hostname":"h","message":"m",)" + fields + '}');

    QCOMPARE(out.status.ok(), error.isEmpty());
    if (!error.isEmpty())
        QCOMPARE(out.status.error().message, error);
    if (error.isEmpty())
        QVERIFY(out.json.contains(fields));
}

void TestIngestBody::trapFromDemoFile()
{
    const QByteArray trap = "{\r\n \"source_ip\":  \"192.168.1.65\",\r\n"
                            " \"timestamp\":  \"2025-11-11T16:34:39.7595337Z\",\r\n"
                            " \"trap_oid\":  \"1.3.6.1.6.3.1.1.5.3\",\r\n"
                            " \"variables\":  [ \"@{oid=1.3.6.1.2.1.2.2.1.1; value=2}\",\r\n"
                            "   \"@{oid=1.3.6.1.2.1.2.2.1.8; value=2}\" ],\r\n"
                            " \"severity\":  \"Informational\"\r\n}";

    const Normalized out = normalizeText(trap);
    const Event event = eventOf(out.json);

    QVERIFY(out.status.ok());
    QCOMPARE(event.hostname(), QStringLiteral("192.168.1.65"));
    QCOMPARE(event.message(),
        QStringLiteral("SNMP trap 1.3.6.1.6.3.1.1.5.3 from 192.168.1.65: "
                       "1.3.6.1.2.1.2.2.1.1=2, 1.3.6.1.2.1.2.2.1.8=2"));
    QCOMPARE(event.severity(), std::optional<int>(6));
    QCOMPARE(event.string("severity"), QStringLiteral("Informational"));
    QVERIFY(event.document()["variables"].IsArray());
}

void TestIngestBody::trapHostnameOrder_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QString>("hostname");
    QTest::addColumn<QString>("message");

    QTest::newRow("hostname wins") << QByteArray(
        R"("hostname":"sw1","agent_address":"10.0.0.2","source_ip":"10.0.0.3")")
                                   << QStringLiteral("sw1") << QStringLiteral("SNMP trap 1.3.6.1.4.1.9 from sw1");
    QTest::newRow("agent_address next") << QByteArray(R"("agent_address":"10.0.0.2","source_ip":"10.0.0.3")")
                                        << QStringLiteral("10.0.0.2")
                                        << QStringLiteral("SNMP trap 1.3.6.1.4.1.9 from 10.0.0.2");
    QTest::newRow("blank hostname") << QByteArray(R"("hostname":" ","source_ip":"10.0.0.3")")
                                    << QStringLiteral("10.0.0.3")
                                    << QStringLiteral("SNMP trap 1.3.6.1.4.1.9 from 10.0.0.3");
    QTest::newRow("message kept") << QByteArray(R"("source_ip":"10.0.0.3","message":"as sent")")
                                  << QStringLiteral("10.0.0.3") << QStringLiteral("as sent");
}

void TestIngestBody::trapHostnameOrder()
{
    QFETCH(QByteArray, fields);
    QFETCH(QString, hostname);
    QFETCH(QString, message);

    const Normalized out = normalizeText(R"({"trap_oid":".1.3.6.1.4.1.9",)" + fields + '}');
    const Event event = eventOf(out.json);

    QVERIFY2(out.status.ok(), out.status.ok() ? "" : qPrintable(out.status.error().message));
    QCOMPARE(event.hostname(), hostname);
    QCOMPARE(event.message(), message);
    QCOMPARE(event.string("trap_oid"), QStringLiteral(".1.3.6.1.4.1.9"));
}

void TestIngestBody::trapVarbindShapes_data()
{
    QTest::addColumn<QByteArray>("variables");
    QTest::addColumn<QString>("suffix");

    QTest::newRow("objects") << QByteArray(
        R"([{"oid":".1.3.6.1.2.1.1.5.0","value":"core-1"},{"oid":"1.3.6.1.2.1.1.3.0","value":12345}])")
                             << QStringLiteral(": 1.3.6.1.2.1.1.5.0=core-1, 1.3.6.1.2.1.1.3.0=12345");
    QTest::newRow("name key") << QByteArray(R"([{"name":"ifIndex","value":2}])") << QStringLiteral(": ifIndex=2");
    QTest::newRow("map") << QByteArray(R"({"1.3.6.1.2.1.2.2.1.1":2,"1.3.6.1.2.1.2.2.1.8":"down"})")
                         << QStringLiteral(": 1.3.6.1.2.1.2.2.1.1=2, 1.3.6.1.2.1.2.2.1.8=down");
    QTest::newRow("pairs") << QByteArray(R"([["1.3.6.1.2.1.1.3.0",7]])") << QStringLiteral(": 1.3.6.1.2.1.1.3.0=7");
    QTest::newRow("powershell") << QByteArray(R"(["@{oid=1.3.6.1.2.1.1.5.0; value=core-router-01.dc1.example.com}"])")
                                << QStringLiteral(": 1.3.6.1.2.1.1.5.0=core-router-01.dc1.example.com");
    QTest::newRow("powershell value with semicolon")
        << QByteArray(R"(["@{oid=1.3.6.1.4.1.9.9.41.1.2.3.1.5; value=a; b}"])")
        << QStringLiteral(": 1.3.6.1.4.1.9.9.41.1.2.3.1.5=a; b");
    QTest::newRow("plain strings") << QByteArray(R"(["free text"])") << QStringLiteral(": free text");
    QTest::newRow("empty") << QByteArray("[]") << QString();
}

void TestIngestBody::trapVarbindShapes()
{
    QFETCH(QByteArray, variables);
    QFETCH(QString, suffix);

    const Normalized out
        = normalizeText(R"({"trap_oid":"1.3.6.1.6.3.1.1.5.1","source_ip":"192.0.2.1","variables":)" + variables + '}');

    QVERIFY(out.status.ok());
    QCOMPARE(eventOf(out.json).message(), QStringLiteral("SNMP trap 1.3.6.1.6.3.1.1.5.1 from 192.0.2.1") + suffix);
}

void TestIngestBody::requiredFields_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");

    QTest::newRow("missing hostname") << QByteArray(R"({"message":"m"})")
                                      << QStringLiteral("missing required field hostname: add it to each event");
    QTest::newRow("missing both") << QByteArray(R"({"timestamp":"2025-01-15T14:30:22Z"})")
                                  << QStringLiteral(
                                         "missing required fields hostname, message: add them to each event");
    QTest::newRow("null hostname") << QByteArray(R"({"hostname":null,"message":"m"})")
                                   << QStringLiteral("missing required field hostname: add it to each event");
    QTest::newRow("empty hostname") << QByteArray(R"({"hostname":"","message":"m"})")
                                    << QStringLiteral("hostname must be a non-empty string; got \"\"");
    QTest::newRow("numeric hostname") << QByteArray(R"({"hostname":42,"message":"m"})")
                                      << QStringLiteral("hostname must be a non-empty string; got 42");
    QTest::newRow("blank message") << QByteArray(R"({"hostname":"h","message":"  "})")
                                   << QStringLiteral("message must be a non-empty string; got \"  \"");
    QTest::newRow("trap without source") << QByteArray(R"({"trap_oid":"1.3.6.1"})")
                                         << QStringLiteral("missing required field hostname: an SNMP trap needs "
                                                           "hostname, agent_address or source_ip");
    QTest::newRow("trap_oid not a string") << QByteArray(R"({"trap_oid":13,"hostname":"h"})")
                                           << QStringLiteral("trap_oid must be an OID string such as "
                                                             "1.3.6.1.6.3.1.1.5.3; got 13");
    QTest::newRow("bad timestamp") << QByteArray(R"({"hostname":"h","message":"m","timestamp":"yesterday"})")
                                   << QStringLiteral("timestamp must be an RFC 3339 date-time such as "
                                                     "2025-01-15T14:30:22Z; got \"yesterday\"");
    QTest::newRow("timestamp past year 9999 in utc")
        << QByteArray(R"({"hostname":"h","message":"m","timestamp":"9999-12-31T22:00:00-03:00"})")
        << QStringLiteral("timestamp must be an RFC 3339 date-time such as 2025-01-15T14:30:22Z; got "
                          "\"9999-12-31T22:00:00-03:00\"");
    QTest::newRow("numeric timestamp") << QByteArray(R"({"hostname":"h","message":"m","timestamp":1736951422})")
                                       << QStringLiteral("timestamp must be an RFC 3339 date-time such as "
                                                         "2025-01-15T14:30:22Z; got 1736951422");
    QTest::newRow("hostname too long")
        << (QByteArray(R"({"hostname":")") + QByteArray(256, 'h') + R"(","message":"m"})")
        << QStringLiteral("hostname must be at most 255 characters; got 256 characters: shorten it");
    QTest::newRow("trap source too long")
        << (QByteArray(R"({"trap_oid":"1.3.6.1","source_ip":")") + QByteArray(300, '1') + R"("})")
        << QStringLiteral("hostname must be at most 255 characters; got 300 characters: shorten it");
    QTest::newRow("not an object") << QByteArray(R"([1])")
                                   << QStringLiteral("each event must be a JSON object; got array");
}

void TestIngestBody::requiredFields()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);

    const Normalized out = normalizeText(input);

    QVERIFY(!out.status.ok());
    QCOMPARE(out.status.error().message, error);
}

void TestIngestBody::hostnameAtLimit_data()
{
    QTest::addColumn<QString>("hostname");
    QTest::newRow("ascii") << QString(255, u'h');
    QTest::newRow("two-byte utf-8") << QString(255, QChar(0x00E9));
    QTest::newRow("surrogate pairs") << QString::fromUtf8(QByteArray("\xF0\x9F\x9A\xA8").repeated(255));
}

void TestIngestBody::hostnameAtLimit()
{
    QFETCH(QString, hostname);
    const QByteArray input = R"({"hostname":")" + hostname.toUtf8() + R"(","message":"m"})";

    const Normalized out = normalizeText(input);

    QVERIFY2(out.status.ok(), qPrintable(out.status.ok() ? QString() : out.status.error().message));
    QCOMPARE(eventOf(out.json).hostname(), hostname);
}

void TestIngestBody::timestampFromReceipt_data()
{
    QTest::addColumn<QByteArray>("timestampField");
    QTest::newRow("absent") << QByteArray();
    QTest::newRow("null") << QByteArray(R"(,"timestamp":null)");
    QTest::newRow("empty") << QByteArray(R"(,"timestamp":"")");
}

void TestIngestBody::timestampFromReceipt()
{
    QFETCH(QByteArray, timestampField);

    const Normalized out = normalizeText(R"({"hostname":"h","message":"m")" + timestampField + '}');
    const Event event = eventOf(out.json);

    QVERIFY(out.status.ok());
    QCOMPARE(event.string("timestamp"), stamp.receivedAt);
    QCOMPARE(event.string("_timestamp_source"), QStringLiteral("received"));
    QCOMPARE(event.string("_received_at"), stamp.receivedAt);
}

void TestIngestBody::extraRequiredFields()
{
    const QStringList required {QStringLiteral("hostname"), QStringLiteral("program"), QStringLiteral(" facility "),
        QStringLiteral("_retry_count")};

    const Normalized missing = normalizeText(R"({"hostname":"h","message":"m","facility":null})", required);
    const Normalized present = normalizeText(R"({"hostname":"h","message":"m","program":"p","facility":3})", required);

    QVERIFY(!missing.status.ok());
    QCOMPARE(missing.status.error().message,
        QStringLiteral("missing required fields program, facility: add them to each event"));
    QVERIFY(present.status.ok());
}

void TestIngestBody::errorLeavesEventUnchanged()
{
    const QByteArray input = R"({"_retry_count":3,"trap_oid":"1.3","source_ip":"10.0.0.1","syslog_severity":"x"})";
    rapidjson::Document doc;
    rapidjson::Value value;
    QVERIFY(json::parse(input, value, doc.GetAllocator()).ok());

    const mutt::Status status = Normalizer().normalize(value, doc.GetAllocator(), stamp);

    QVERIFY(!status.ok());
    QCOMPARE(json::write(value), input);
}

void TestIngestBody::contentTypes_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    QTest::newRow("json") << QByteArray("application/json") << validEvent << 200;
    QTest::newRow("json charset") << QByteArray("Application/JSON; charset=utf-8") << validEvent << 200;
    QTest::newRow("json suffix") << QByteArray("application/vnd.mutt+json") << validEvent << 200;
    QTest::newRow("ndjson") << QByteArray("application/x-ndjson") << validEvent << 200;
    QTest::newRow("ndjson short") << QByteArray("application/ndjson") << validEvent << 200;
    QTest::newRow("text plain") << QByteArray("text/plain; charset=utf-8") << validEvent << 200;
    QTest::newRow("suffix upper case") << QByteArray("APPLICATION/VND.MUTT+JSON") << validEvent << 200;
    QTest::newRow("ndjson padded") << QByteArray("  Application/X-NDJSON ;charset=utf-8") << validEvent << 200;
    QTest::newRow("suffix alone") << QByteArray("application/+json") << validEvent << 200;
    QTest::newRow("suffix elsewhere") << QByteArray("text/vnd+json") << validEvent << 400;
    QTest::newRow("json prefix only") << QByteArray("application/jsonx") << validEvent << 400;
    QTest::newRow("xml") << QByteArray("text/xml") << validEvent << 400;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << validEvent << 400;
    QTest::newRow("missing") << QByteArray() << validEvent << 400;
}

void TestIngestBody::contentTypes()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);

    const IngestBodyResult result = decode(body, contentType);

    QCOMPARE(result.httpStatus, status);
    if (status == 200)
        QCOMPARE(result.batch.items.size(), 1);
    if (status == 400) {
        QVERIFY(result.message.contains(QStringLiteral("application/json")));
        QVERIFY(result.message.contains(QStringLiteral("application/x-ndjson")));
    }
    if (status == 400 && !contentType.isEmpty())
        QVERIFY(result.message.contains(QString::fromLatin1(contentType)));
}

void TestIngestBody::refusedBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("empty") << QByteArray() << QByteArray("application/json") << QStringLiteral("body is empty");
    QTest::newRow("whitespace") << QByteArray(" \r\n ") << QByteArray("application/json")
                                << QStringLiteral("body is empty");
    QTest::newRow("bad JSON") << QByteArray(R"({"hostname":)") << QByteArray("application/json")
                              << QStringLiteral("invalid JSON at byte 12");
    QTest::newRow("empty array") << QByteArray("[]") << QByteArray("application/json")
                                 << QStringLiteral("the JSON array is empty");
    QTest::newRow("scalar") << QByteArray("\"text\"") << QByteArray("application/json")
                            << QStringLiteral("must be a JSON object or an array of objects; got string");
    QTest::newRow("depth 65") << (QByteArray(64, '[') + "{}" + QByteArray(64, ']')) << QByteArray("application/json")
                              << QStringLiteral("JSON nesting deeper than 64 levels at byte 64");
    QTest::newRow("lone surrogate") << QByteArray(R"({"hostname":"h","message":"\ud800"})")
                                    << QByteArray("application/json") << QStringLiteral("lone UTF-16 surrogate");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"hostname\":\"h\xff\"}") << QByteArray("application/json")
                                   << QStringLiteral("invalid UTF-8 at byte 14");
    QTest::newRow("blank NDJSON") << QByteArray("\n\r\n\n") << QByteArray("application/x-ndjson")
                                  << QStringLiteral("body is empty");
    QTest::newRow("objects on one line") << (validEvent + ' ' + validEvent) << QByteArray("application/json")
                                         << QStringLiteral("send it with --data-binary");
}

void TestIngestBody::refusedBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, messagePart);

    const IngestBodyResult result = decode(body, contentType);

    QCOMPARE(result.httpStatus, 400);
    QVERIFY2(result.message.contains(messagePart), qPrintable(result.message));
}

void TestIngestBody::singleObject()
{
    const IngestBodyResult result = decode(validEvent);

    QVERIFY(result.ok());
    QCOMPARE(result.batch.total, 1);
    QCOMPARE(result.batch.items.size(), 1);
    QCOMPARE(eventOf(result.batch.items.first()).correlationId(), QStringLiteral("cid-1"));
}

void TestIngestBody::arrayCorrelationIds()
{
    const IngestBodyResult result = decode('[' + validEvent + ',' + validEvent + ',' + validEvent + ']');
    const IngestBodyResult single = decode('[' + validEvent + ']');

    QCOMPARE(result.batch.items.size(), 3);
    QCOMPARE(eventOf(result.batch.items[0]).correlationId(), QStringLiteral("cid-1-0"));
    QCOMPARE(eventOf(result.batch.items[2]).correlationId(), QStringLiteral("cid-1-2"));
    QCOMPARE(eventOf(single.batch.items[0]).correlationId(), QStringLiteral("cid-1"));
}

void TestIngestBody::ndjsonCrlfAndBlankLines()
{
    const QByteArray body = validEvent + "\r\n\r\n   \r\n" + R"({"hostname":"r2","message":"m2"})" + "\r\n";

    const IngestBodyResult result = decode(body, "application/x-ndjson");

    QVERIFY(result.ok());
    QCOMPARE(result.batch.total, 2);
    QCOMPARE(result.batch.items.size(), 2);
    QCOMPARE(eventOf(result.batch.items[1]).hostname(), QStringLiteral("r2"));
    QCOMPARE(eventOf(result.batch.items[1]).correlationId(), QStringLiteral("cid-1-1"));
}

void TestIngestBody::ndjsonLabelledJson()
{
    const QByteArray body = validEvent + '\n' + validEvent + '\n';

    const IngestBodyResult result = decode(body, "application/json");

    QVERIFY(result.ok());
    QCOMPARE(result.batch.items.size(), 2);
}

void TestIngestBody::jsonArrayLabelledNdjson()
{
    const QByteArray body = "[\n  " + validEvent + ",\n  " + validEvent + "\n]\n";

    const IngestBodyResult ndjson = decode(body, "application/x-ndjson");
    const IngestBodyResult text = decode(body, "text/plain");

    QVERIFY(ndjson.ok());
    QCOMPARE(ndjson.batch.items.size(), 2);
    QVERIFY(ndjson.batch.errors.isEmpty());
    QVERIFY(text.ok());
    QCOMPARE(text.batch.items.size(), 2);
}

void TestIngestBody::ndjsonWithoutLineBreaks()
{
    const IngestBodyResult result = decode(validEvent + validEvent, "application/x-ndjson");

    QCOMPARE(result.batch.items.size(), 0);
    QCOMPARE(result.batch.errors.size(), 1);
    const QString message = IngestBodyDecoder::noValidItemMessage(result.batch);
    QVERIFY2(message.contains(QStringLiteral("another object follows on the same line")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("--data-binary")), qPrintable(message));
}

void TestIngestBody::mixedBatch()
{
    const QByteArray body = "[" + validEvent + R"(,{"message":"no host"},42,)" + validEvent
        + R"(,{"hostname":"h","message":"m","syslog_severity":"loud"}])";
    const QByteArray lines = validEvent + "\n{broken\n" + validEvent + "\n";

    const IngestBodyResult result = decode(body);
    const IngestBodyResult ndjson = decode(lines, "application/x-ndjson");

    QVERIFY(result.ok());
    QCOMPARE(result.batch.total, 5);
    QCOMPARE(result.batch.items.size(), 2);
    QCOMPARE(result.batch.errors.size(), 3);
    QCOMPARE(result.batch.errors[0].index, 1);
    QCOMPARE(result.batch.errors[0].raw, QByteArray(R"({"message":"no host"})"));
    QCOMPARE(result.batch.errors[1].index, 2);
    QCOMPARE(result.batch.errors[1].message, QStringLiteral("each event must be a JSON object; got number"));
    QCOMPARE(result.batch.errors[2].index, 4);
    QCOMPARE(eventOf(result.batch.items[1]).correlationId(), QStringLiteral("cid-1-3"));
    QCOMPARE(ndjson.batch.items.size(), 2);
    QCOMPARE(ndjson.batch.errors.size(), 1);
    QCOMPARE(ndjson.batch.errors[0].index, 1);
    QVERIFY(ndjson.batch.errors[0].syntax);
    QVERIFY(ndjson.batch.errors[0].message.endsWith(QStringLiteral("(line 2)")));
    QCOMPARE(ndjson.batch.errors[0].raw, QByteArray("{broken"));
}

void TestIngestBody::gzipBody()
{
    const QByteArray body = '[' + validEvent + ',' + validEvent + ']';

    const IngestBodyResult gz = decode(gzip(body), "application/json", "gzip");
    const IngestBodyResult twoMembers
        = decode(gzip(validEvent + '\n') + gzip(validEvent), "application/x-ndjson", "gzip");
    const IngestBodyResult corrupt = decode("not gzip at all", "application/json", "gzip");
    const IngestBodyResult truncated = decode(gzip(body).left(20), "application/json", "gzip");
    const IngestBodyResult brotli = decode(body, "application/json", "br");

    QVERIFY(gz.ok());
    QCOMPARE(gz.batch.items.size(), 2);
    QCOMPARE(twoMembers.batch.items.size(), 2);
    QCOMPARE(corrupt.httpStatus, 400);
    QVERIFY(corrupt.message.contains(QStringLiteral("not valid gzip")));
    QCOMPARE(truncated.httpStatus, 400);
    QCOMPARE(brotli.httpStatus, 400);
    QVERIFY(brotli.message.contains(QStringLiteral("\"br\"")));
}

void TestIngestBody::gzipBomb()
{
    const QByteArray bomb = gzip(QByteArray(20 * 1024 * 1024, ' '));

    const IngestBodyResult result = decode(bomb, "application/json", "gzip", 1024 * 1024);
    const IngestBodyResult plainTooLarge = decode(QByteArray(2048, ' '), "application/json", {}, 1024);

    QVERIFY(bomb.size() < 100 * 1024);
    QCOMPARE(result.httpStatus, 413);
    QVERIFY(result.message.contains(QStringLiteral("MAX_BODY_BYTES")));
    QCOMPARE(plainTooLarge.httpStatus, 413);
}

void TestIngestBody::byteOrderMark()
{
    const IngestBodyResult json = decode("\xEF\xBB\xBF" + validEvent);
    const IngestBodyResult ndjson = decode("\xEF\xBB\xBF" + validEvent + "\n" + validEvent, "application/x-ndjson");

    QCOMPARE(json.batch.items.size(), 1);
    QCOMPARE(ndjson.batch.items.size(), 2);
}

void TestIngestBody::bigIntegerAndDuplicates()
{
    const QByteArray body = R"({"hostname":"first","message":"m","seq":123456789012345678901234567890,)"
                            R"("hostname":"last","ifindex":18446744073709551615})";

    const IngestBodyResult result = decode(body);

    QCOMPARE(result.batch.items.size(), 1);
    QVERIFY(result.batch.items[0].startsWith(R"({"hostname":"last","message":"m","seq":123456789012345678901234567890,)"
                                             R"("ifindex":18446744073709551615,)"));
}

void TestIngestBody::noValidItemMessage()
{
    const IngestBodyResult single = decode(R"({"message":"m"})");
    const IngestBodyResult batch = decode(R"([{"message":"m"},{"hostname":"h"}])");

    QCOMPARE(IngestBodyDecoder::noValidItemMessage(single.batch),
        QStringLiteral("missing required field hostname: add it to each event"));
    QCOMPARE(IngestBodyDecoder::noValidItemMessage(batch.batch),
        QStringLiteral("none of the 2 events is valid; item 0: missing required field hostname: add it to "
                       "each event (see errors for the other 1)"));
}

void TestIngestBody::sampleFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("count");

    QTest::newRow("demo syslog") << QStringLiteral("reference-demo/demo_syslog_events.json")
                                 << QByteArray("application/json") << 330;
    QTest::newRow("demo traps") << QStringLiteral("reference-demo/demo_snmp_traps.json")
                                << QByteArray("application/json") << 100;
    QTest::newRow("test data") << QStringLiteral("reference-demo/test_data_syslog_events.json")
                               << QByteArray("application/json") << 66;
    QTest::newRow("network devices") << QStringLiteral("network-devices.ndjson") << QByteArray("application/x-ndjson")
                                     << 133;
}

void TestIngestBody::sampleFiles()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, contentType);
    QFETCH(int, count);
    const QByteArray body = readSample(path);
    QVERIFY(!body.isEmpty());

    const IngestBodyResult result = decode(body, contentType);

    QVERIFY(result.ok());
    QCOMPARE(result.batch.errors.size(), 0);
    QCOMPARE(result.batch.items.size(), count);
    for (const QByteArray &item : result.batch.items) {
        const Event event = eventOf(item);
        QVERIFY(!event.hostname().isEmpty());
        QVERIFY(!event.message().isEmpty());
        QVERIFY(event.timestamp().has_value());
        QVERIFY(!event.has("_timestamp_source"));
    }
    if (path.contains(QStringLiteral("traps"))) {
        const Event first = eventOf(result.batch.items.first());
        QCOMPARE(first.hostname(), QStringLiteral("192.168.1.188"));
        QCOMPARE(first.message(),
            QStringLiteral("SNMP trap 1.3.6.1.6.3.1.1.5.1 from 192.168.1.188: "
                           "1.3.6.1.2.1.1.3.0=12345, "
                           "1.3.6.1.2.1.1.5.0=core-router-01.dc1.example.com"));
    }
}

QTEST_GUILESS_MAIN(TestIngestBody)
#include "tst_ingestbody.moc"
