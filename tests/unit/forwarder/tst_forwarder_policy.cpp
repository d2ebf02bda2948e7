// Forwarder building blocks without I/O: result classification, Retry-After,
// backoff, the Moogsoft payload and the HTTP response reader.

#include "event/Event.h"
#include "event/Json.h"
#include "forwarder/DeliveryPolicy.h"
#include "forwarder/HttpResponseReader.h"
#include "forwarder/MoogPayload.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace mutt;
using forwarder::HttpResponseReader;
using forwarder::Verdict;

namespace {

// Reference for buildMoogPayload(), built through QString and a copied
// document as the builder once was. Both must produce the same bytes.
QString referenceText(const event::Event &alert, const char *field, const QString &fallback)
{
    const QString value = alert.string(field);
    return value.isEmpty() ? fallback : value;
}

void referenceAdd(rapidjson::Document &out, const char *name, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    rapidjson::Value text(utf8.constData(), rapidjson::SizeType(utf8.size()), out.GetAllocator());
    out.AddMember(rapidjson::StringRef(name), text, out.GetAllocator());
}

QByteArray referencePayload(const event::Event &alert, qint64 agentTimeSeconds)
{
    const QString unknown = QStringLiteral("unknown");
    const QString hostname = referenceText(alert, "hostname", unknown);
    rapidjson::Document out(rapidjson::kObjectType);
    auto &allocator = out.GetAllocator();
    referenceAdd(out, "signature", referenceText(alert, "signature", hostname));
    referenceAdd(out, "source_id", hostname);
    referenceAdd(out, "external_id", referenceText(alert, "_correlation_id", unknown));
    out.AddMember("manager", "MUTT", allocator);
    out.AddMember("source", "MUTT Alerter", allocator);
    referenceAdd(out, "class", referenceText(alert, "team_assignment", QStringLiteral("Unknown")));
    out.AddMember("agent", "MUTT Console " MUTT_VERSION, allocator);
    out.AddMember("agent_location", "Alerter Service", allocator);
    out.AddMember("type", "Alert", allocator);
    out.AddMember("severity", event::moogSeverity(alert.string("severity")), allocator);
    referenceAdd(out, "description", alert.string("message_body"));
    out.AddMember("agent_time", static_cast<int64_t>(agentTimeSeconds), allocator);
    const auto raw = alert.document().FindMember("raw_json");
    if (raw != alert.document().MemberEnd()) {
        if (raw->value.IsObject()) {
            rapidjson::Value copy(raw->value, allocator);
            out.AddMember("custom_info", copy, allocator);
        } else if (raw->value.IsString() && !event::json::isRawNumber(raw->value)) {
            rapidjson::Value parsed;
            const QByteArrayView text(raw->value.GetString(), qsizetype(raw->value.GetStringLength()));
            if (event::json::parse(text, parsed, allocator).ok() && parsed.IsObject())
                out.AddMember("custom_info", parsed, allocator);
        }
    }
    return event::json::write(out);
}

}  // namespace

Q_DECLARE_METATYPE(forwarder::Verdict)

class TestForwarderPolicy : public QObject {
    Q_OBJECT

private slots:
    void classifyStatus_data();
    void classifyStatus();
    void retryAfterValues_data();
    void retryAfterValues();
    void backoffStaysInBounds();
    void payloadFallbacks();
    void payloadParsesRawJsonText();
    void payloadBytes_data();
    void payloadBytes();
    void readerFraming_data();
    void readerFraming();
    void readerByteByByte();
    void readerRejectsGarbage();
    void readerNeedsCloseForUnframedBody();
    void readerHeaders();
};

void TestForwarderPolicy::classifyStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("no answer") << 0 << Verdict::Retry;
    QTest::newRow("100") << 100 << Verdict::Reject;
    QTest::newRow("200") << 200 << Verdict::Delivered;
    QTest::newRow("201") << 201 << Verdict::Delivered;
    QTest::newRow("202") << 202 << Verdict::Delivered;
    QTest::newRow("204") << 204 << Verdict::Delivered;
    QTest::newRow("299") << 299 << Verdict::Delivered;
    QTest::newRow("301") << 301 << Verdict::Reject;
    QTest::newRow("400") << 400 << Verdict::Reject;
    QTest::newRow("401") << 401 << Verdict::Reject;
    QTest::newRow("408") << 408 << Verdict::Retry;
    QTest::newRow("413") << 413 << Verdict::Reject;
    QTest::newRow("429") << 429 << Verdict::Retry;
    QTest::newRow("500") << 500 << Verdict::Retry;
    QTest::newRow("503") << 503 << Verdict::Retry;
    QTest::newRow("599") << 599 << Verdict::Retry;
}

void TestForwarderPolicy::classifyStatus()
{
    QFETCH(int, status);
    QFETCH(Verdict, verdict);
    QCOMPARE(forwarder::classify(status), verdict);
}

void TestForwarderPolicy::retryAfterValues_data()
{
    const qint64 now = QDateTime(QDate(2025, 1, 15), QTime(14, 30, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("expected");  // -1: nullopt
    QTest::newRow("seconds") << QByteArray("2") << now << qint64(2000);
    QTest::newRow("zero") << QByteArray("0") << now << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 7 ") << now << qint64(7000);
    QTest::newRow("date ahead") << QByteArray("Wed, 15 Jan 2025 14:30:30 GMT") << now << qint64(30'000);
    QTest::newRow("date past") << QByteArray("Wed, 15 Jan 2025 14:00:00 GMT") << now << qint64(0);
    QTest::newRow("negative") << QByteArray("-5") << now << qint64(-1);
    QTest::newRow("empty") << QByteArray() << now << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << now << qint64(-1);
    QTest::newRow("bad month") << QByteArray("Wed, 15 Foo 2025 14:30:30 GMT") << now << qint64(-1);
    QTest::newRow("no zone") << QByteArray("Wed, 15 Jan 2025 14:30:30") << now << qint64(-1);
}

void TestForwarderPolicy::retryAfterValues()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, now);
    QFETCH(qint64, expected);

    const std::optional<qint64> parsed = forwarder::parseRetryAfter(value, now);
    QCOMPARE(parsed.has_value(), expected >= 0);
    if (expected >= 0)
        QCOMPARE(*parsed, expected);
}

void TestForwarderPolicy::backoffStaysInBounds()
{
    for (int attempt = 1; attempt <= 10; ++attempt) {
        const qint64 cap = qint64(std::min(60.0, 1.0 * std::ldexp(1.0, attempt - 1)) * 1000);
        for (int i = 0; i < 50; ++i) {
            const qint64 delay = forwarder::backoffMs(attempt, 1.0, 60.0);
            QVERIFY(delay >= 0);
            QVERIFY2(delay <= cap,
                qPrintable(QStringLiteral("attempt %1 delay %2 cap %3").arg(attempt).arg(delay).arg(cap)));
        }
    }
    QCOMPARE(forwarder::backoffMs(3, 0.0, 60.0), 0);
}

void TestForwarderPolicy::payloadFallbacks()
{
    auto alert = event::Event::parse(R"({"hostname":"edge-1","severity":"Critical","_moog_retry_count":2})");
    QVERIFY(alert.ok());

    const QJsonObject body = QJsonDocument::fromJson(forwarder::buildMoogPayload(alert.value(), 1736951422)).object();

    QCOMPARE(body.value(QStringLiteral("signature")).toString(), QStringLiteral("edge-1"));
    QCOMPARE(body.value(QStringLiteral("external_id")).toString(), QStringLiteral("unknown"));
    QCOMPARE(body.value(QStringLiteral("class")).toString(), QStringLiteral("Unknown"));
    QCOMPARE(body.value(QStringLiteral("description")).toString(), QString());
    QCOMPARE(body.value(QStringLiteral("severity")).toInt(), 5);
    QCOMPARE(body.value(QStringLiteral("agent_time")).toInteger(), 1736951422);
    QVERIFY(!body.contains(QStringLiteral("custom_info")));
    QVERIFY(!body.contains(QStringLiteral("_moog_retry_count")));
}

void TestForwarderPolicy::payloadParsesRawJsonText()
{
    auto alert = event::Event::parse(
        R"({"hostname":"edge-2","raw_json":"{\"oid\":\"1.3.6.1\",\"big\":123456789012345678901234567890}"})");
    QVERIFY(alert.ok());

    const QByteArray payload = forwarder::buildMoogPayload(alert.value(), 1);

    QVERIFY2(payload.contains(R"("custom_info":{"oid":"1.3.6.1","big":123456789012345678901234567890})"),
        payload.constData());
    QVERIFY(payload.contains(R"("severity":3)"));
}

void TestForwarderPolicy::payloadBytes_data()
{
    QTest::addColumn<QByteArray>("alert");
    QTest::newRow("bench alert") << QByteArray(
        R"({"hostname":"bench-host-7","team_assignment":"NETO","severity":"Major","message_body":"%LINK-3-UPDOWN: )"
        R"(Interface Gi0/7, changed state to down","raw_json":{"hostname":"bench-host-7","message":"x"},)"
        R"("_correlation_id":"bench-7","rule_id":1,"handling":"forward","signature":"bench-sig-7"})");
    QTest::newRow("empty") << QByteArray("{}");
    QTest::newRow("unicode and escapes") << QByteArray(
        R"({"hostname":"h\u00f6st-\u6f22\ud83d\ude00","message_body":"line\n\t\"quoted\" \\ \u0001 \u0000 end",)"
        R"("signature":"","team_assignment":"T\u00e9am","_correlation_id":"c-\u00e9"})");
    QTest::newRow("raw utf-8") << QByteArray(
        "{\"hostname\":\"h\xc3\xb6st\",\"message_body\":\"\xe6\xbc\xa2\xf0\x9f\x98\x80\"}");
    QTest::newRow("numbers and other types")
        << QByteArray(R"({"hostname":12345,"signature":123456789012345678901234567890,"team_assignment":true,)"
                      R"("_correlation_id":-0.5,"message_body":{"nested":[1,2.5,"x",null]},"severity":"  critical "})");
    QTest::newRow("nulls and empty strings") << QByteArray(
        R"({"hostname":null,"signature":null,"team_assignment":"","_correlation_id":"","message_body":null})");
    QTest::newRow("signature missing, hostname set") << QByteArray(R"({"hostname":"edge-1","severity":"Clear"})");
    QTest::newRow("raw_json text") << QByteArray(
        R"({"hostname":"edge-2","raw_json":"{\"oid\":\"1.3.6.1\",\"big\":123456789012345678901234567890}"})");
    QTest::newRow("raw_json not an object") << QByteArray(R"({"hostname":"edge-3","raw_json":"[1,2]"})");
    QTest::newRow("raw_json number") << QByteArray(R"({"hostname":"edge-4","raw_json":99999999999999999999999})");
}

// The payload bytes stay those of the QString-based builder it replaced.
void TestForwarderPolicy::payloadBytes()
{
    QFETCH(QByteArray, alert);
    auto parsed = event::Event::parse(alert);
    QVERIFY2(parsed.ok(), alert.constData());

    const QByteArray payload = forwarder::buildMoogPayload(parsed.value(), 1736951422);
    QCOMPARE(payload, referencePayload(parsed.value(), 1736951422));
}

void TestForwarderPolicy::readerFraming_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("content-length") << QByteArray("HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhello") << 202
                                    << QByteArray("hello") << true;
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 500 Internal\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "4\r\nboom\r\n3;ext=1\r\n!!!\r\n0\r\nX-Trailer: 1\r\n\r\n")
                             << 500 << QByteArray("boom!!!") << true;
    QTest::newRow("no body 204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << 204 << QByteArray() << true;
    QTest::newRow("interim 100") << QByteArray(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                                 << 200 << QByteArray("ok") << true;
    QTest::newRow("connection close") << QByteArray("HTTP/1.1 429 Too Many\r\nConnection: close\r\nRetry-After: 3\r\n"
                                                    "Content-Length: 0\r\n\r\n")
                                      << 429 << QByteArray() << false;
    QTest::newRow("http 1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx") << 200 << QByteArray("x")
                              << false;
}

void TestForwarderPolicy::readerFraming()
{
    QFETCH(QByteArray, response);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);

    HttpResponseReader reader;
    QCOMPARE(reader.feed(response), HttpResponseReader::State::Done);
    QCOMPARE(reader.status(), status);
    QCOMPARE(reader.body(), body);
    QCOMPARE(reader.keepAlive(), keepAlive);
}

void TestForwarderPolicy::readerByteByByte()
{
    const QByteArray response("HTTP/1.1 200 OK\r\nRetry-After: 9\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "a\r\n0123456789\r\n0\r\n\r\n");
    HttpResponseReader reader;
    for (qsizetype i = 0; i + 1 < response.size(); ++i)
        QVERIFY(reader.feed(response.mid(i, 1)) != HttpResponseReader::State::Done);

    QCOMPARE(reader.feed(response.right(1)), HttpResponseReader::State::Done);
    QCOMPARE(reader.body(), QByteArray("0123456789"));
    QCOMPARE(reader.header("retry-after"), QByteArray("9"));
}

void TestForwarderPolicy::readerRejectsGarbage()
{
    HttpResponseReader reader;
    QCOMPARE(reader.feed("SSH-2.0-OpenSSH\r\n\r\n"), HttpResponseReader::State::Invalid);

    HttpResponseReader badChunk;
    QCOMPARE(badChunk.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        HttpResponseReader::State::Invalid);
}

void TestForwarderPolicy::readerNeedsCloseForUnframedBody()
{
    HttpResponseReader reader;
    QCOMPARE(reader.feed("HTTP/1.1 503 Busy\r\n\r\npartial"), HttpResponseReader::State::Body);
    QCOMPARE(reader.finishAtClose(), HttpResponseReader::State::Done);
    QCOMPARE(reader.body(), QByteArray("partial"));
    QVERIFY(!reader.keepAlive());

    HttpResponseReader cut;
    QCOMPARE(cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), HttpResponseReader::State::Body);
    QCOMPARE(cut.finishAtClose(), HttpResponseReader::State::Invalid);
}

void TestForwarderPolicy::readerHeaders()
{
    HttpResponseReader reader;
    QCOMPARE(reader.feed("HTTP/1.1 503 Service Unavailable\r\nX-Empty:\r\n  RETRY-after :  120  \r\n"
                         "Connection: Keep-Alive, Close\r\ncontent-length: 2\r\n\r\nno"),
        HttpResponseReader::State::Done);
    QCOMPARE(reader.status(), 503);
    QCOMPARE(reader.header("Retry-After"), QByteArray("120"));
    QCOMPARE(reader.header("x-empty"), QByteArray());
    QCOMPARE(reader.header("missing"), QByteArray());
    QCOMPARE(reader.body(), QByteArray("no"));
    QVERIFY(!reader.keepAlive());

    HttpResponseReader keptOpen;
    QCOMPARE(keptOpen.feed("HTTP/1.0 200 OK\r\nConnection: KEEP-ALIVE\r\nContent-Length: 0\r\n\r\n"),
        HttpResponseReader::State::Done);
    QVERIFY(keptOpen.keepAlive());

    HttpResponseReader noCode;
    QCOMPARE(noCode.feed("HTTP/1.1\r\n\r\n"), HttpResponseReader::State::Invalid);
    HttpResponseReader badName;
    QCOMPARE(badName.feed("HTTP/1.1 200 OK\r\n: x\r\n\r\n"), HttpResponseReader::State::Invalid);
}

QTEST_GUILESS_MAIN(TestForwarderPolicy)
#include "tst_forwarder_policy.moc"
