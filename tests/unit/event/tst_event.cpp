// Event, JSON parsing/writing, severities and timestamps.

#include "event/Event.h"
#include "event/Json.h"

#include <QRandomGenerator>
#include <QTest>

using mutt::event::Event;
namespace json = mutt::event::json;

class TestEvent : public QObject {
    Q_OBJECT

private slots:
    void severityValue_data();
    void severityValue();
    void alertSeverity_data();
    void alertSeverity();
    void moogSeverityNumber_data();
    void moogSeverityNumber();

    void timestampParse_data();
    void timestampParse();
    void timestampRejected_data();
    void timestampRejected();
    void timestampFormat();
    void timestampFormatSameAsQt();

    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void jsonRejected_data();
    void jsonRejected();
    void jsonDepthLimit();
    void jsonDuplicateKeys();
    void jsonBigIntegerAccess();

    void eventAccessors();
    void eventSetAndRemoveKeepOrder();
    void eventSeverityAlias();
    void eventTrapOid();
    void eventMove();
    void eventFromValue();
};

namespace {

// Parses `json` as one JSON value and returns the parse status.
mutt::Status parseValue(const QByteArray &text, rapidjson::Value &out, rapidjson::Document &doc)
{
    return json::parse(text, out, doc.GetAllocator());
}

std::optional<int> severityOf(const QByteArray &jsonValue)
{
    rapidjson::Document doc;
    rapidjson::Value value;
    if (!parseValue(jsonValue, value, doc))
        return std::nullopt;
    return mutt::event::parseSeverity(value);
}

}  // namespace

void TestEvent::severityValue_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("expected");  // -1: rejected

    const QList<QPair<const char *, int>> names {
        {"emerg", 0},
        {"emergency", 0},
        {"panic", 0},
        {"Emergency", 0},
        {"alert", 1},
        {"Alert", 1},
        {"crit", 2},
        {"critical", 2},
        {"Critical", 2},
        {"err", 3},
        {"error", 3},
        {"Error", 3},
        {"warn", 4},
        {"warning", 4},
        {"Warning", 4},
        {"WARNING", 4},
        {"notice", 5},
        {"Notice", 5},
        {"info", 6},
        {"informational", 6},
        {"Info", 6},
        {"Informational", 6},
        {"debug", 7},
        {"Debug", 7},
        {"major", 3},
        {"Major", 3},
        {"minor", 5},
        {"Minor", 5},
        {" Error ", 3},
    };
    for (const auto &[name, level] : names)
        QTest::addRow("name %s", name) << (QByteArray("\"") + name + '"') << level;
    for (int level = 0; level <= 7; ++level) {
        QTest::addRow("int %d", level) << QByteArray::number(level) << level;
        QTest::addRow("string %d", level) << (QByteArray("\"") + QByteArray::number(level) + '"') << level;
    }
    QTest::newRow("integral double") << QByteArray("3.0") << 3;
    QTest::newRow("int 8") << QByteArray("8") << -1;
    QTest::newRow("int -1") << QByteArray("-1") << -1;
    QTest::newRow("string 8") << QByteArray("\"8\"") << -1;
    QTest::newRow("fraction") << QByteArray("3.5") << -1;
    QTest::newRow("unknown word") << QByteArray("\"Bogus\"") << -1;
    QTest::newRow("empty string") << QByteArray("\"\"") << -1;
    QTest::newRow("boolean") << QByteArray("true") << -1;
    QTest::newRow("null") << QByteArray("null") << -1;
    QTest::newRow("big integer") << QByteArray("123456789012345678901234567890") << -1;
    QTest::newRow("object") << QByteArray("{\"level\":3}") << -1;
}

void TestEvent::severityValue()
{
    QFETCH(QByteArray, value);
    QFETCH(int, expected);

    const std::optional<int> parsed = severityOf(value);

    QCOMPARE(parsed.has_value(), expected >= 0);
    if (expected >= 0)
        QCOMPARE(*parsed, expected);
}

void TestEvent::alertSeverity_data()
{
    QTest::addColumn<int>("syslog");  // -1: none
    QTest::addColumn<QString>("expected");
    const QStringList names {QStringLiteral("Critical"), QStringLiteral("Critical"), QStringLiteral("Critical"),
        QStringLiteral("Major"), QStringLiteral("Warning"), QStringLiteral("Minor"), QStringLiteral("Info"),
        QStringLiteral("Info")};
    for (int level = 0; level <= 7; ++level)
        QTest::addRow("%d", level) << level << names[level];
    QTest::newRow("none") << -1 << QStringLiteral("Warning");
}

void TestEvent::alertSeverity()
{
    QFETCH(int, syslog);
    QFETCH(QString, expected);

    const std::optional<int> level = syslog >= 0 ? std::optional<int>(syslog) : std::nullopt;

    QCOMPARE(mutt::event::alertSeverityName(level), expected);
}

void TestEvent::moogSeverityNumber_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected");
    QTest::newRow("Critical") << QStringLiteral("Critical") << 5;
    QTest::newRow("Major") << QStringLiteral("Major") << 4;
    QTest::newRow("Warning") << QStringLiteral("Warning") << 3;
    QTest::newRow("Minor") << QStringLiteral("Minor") << 2;
    QTest::newRow("Info") << QStringLiteral("Info") << 1;
    QTest::newRow("Clear") << QStringLiteral("Clear") << 0;
    QTest::newRow("lower case") << QStringLiteral("critical") << 5;
    QTest::newRow("unknown") << QStringLiteral("Fatal") << 3;
    QTest::newRow("empty") << QString() << 3;
}

void TestEvent::moogSeverityNumber()
{
    QFETCH(QString, name);
    QFETCH(int, expected);

    QCOMPARE(mutt::event::moogSeverity(name), expected);
}

void TestEvent::timestampParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("utc");  // expected, as yyyy-MM-ddTHH:mm:ss.zzz

    QTest::newRow("seven fraction digits")
        << QStringLiteral("2025-11-11T16:34:50.6449285Z") << QStringLiteral("2025-11-11T16:34:50.644");
    QTest::newRow("no fraction") << QStringLiteral("2025-01-15T14:30:22Z") << QStringLiteral("2025-01-15T14:30:22.000");
    QTest::newRow("one digit") << QStringLiteral("2025-01-15T14:30:22.5Z") << QStringLiteral("2025-01-15T14:30:22.500");
    QTest::newRow("micro") << QStringLiteral("2020-03-04T05:06:07.123456Z")
                           << QStringLiteral("2020-03-04T05:06:07.123");
    QTest::newRow("nine digits") << QStringLiteral("2020-03-04T05:06:07.999999999Z")
                                 << QStringLiteral("2020-03-04T05:06:07.999");
    QTest::newRow("plus offset") << QStringLiteral("2025-01-15T14:30:22+02:00")
                                 << QStringLiteral("2025-01-15T12:30:22.000");
    QTest::newRow("minus offset") << QStringLiteral("2025-01-15T14:30:22.250-05:30")
                                  << QStringLiteral("2025-01-15T20:00:22.250");
    QTest::newRow("offset without colon")
        << QStringLiteral("2025-01-15T14:30:22+0100") << QStringLiteral("2025-01-15T13:30:22.000");
    QTest::newRow("offset crosses day") << QStringLiteral("2025-01-01T00:30:00+01:00")
                                        << QStringLiteral("2024-12-31T23:30:00.000");
    QTest::newRow("space separator") << QStringLiteral("2025-01-15 14:30:22Z")
                                     << QStringLiteral("2025-01-15T14:30:22.000");
    QTest::newRow("lower case") << QStringLiteral("2025-01-15t14:30:22.1z")
                                << QStringLiteral("2025-01-15T14:30:22.100");
    QTest::newRow("no offset is UTC") << QStringLiteral("2025-01-15T14:30:22")
                                      << QStringLiteral("2025-01-15T14:30:22.000");
    QTest::newRow("comma fraction") << QStringLiteral("2025-01-15T14:30:22,75Z")
                                    << QStringLiteral("2025-01-15T14:30:22.750");
    QTest::newRow("leap second") << QStringLiteral("2016-12-31T23:59:60Z") << QStringLiteral("2016-12-31T23:59:59.999");
    QTest::newRow("surrounding spaces") << QStringLiteral(" 2025-01-15T14:30:22Z ")
                                        << QStringLiteral("2025-01-15T14:30:22.000");
    QTest::newRow("last utc millisecond")
        << QStringLiteral("9999-12-31T20:59:59.999-03:00") << QStringLiteral("9999-12-31T23:59:59.999");
    QTest::newRow("first utc millisecond")
        << QStringLiteral("0001-01-01T01:00:00+01:00") << QStringLiteral("0001-01-01T00:00:00.000");
}

void TestEvent::timestampParse()
{
    QFETCH(QString, text);
    QFETCH(QString, utc);

    const std::optional<QDateTime> parsed = mutt::event::parseTimestamp(text);

    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->timeSpec(), Qt::UTC);
    QCOMPARE(parsed->toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")), utc);
}

void TestEvent::timestampRejected_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("words") << QStringLiteral("yesterday");
    QTest::newRow("date only") << QStringLiteral("2025-01-15");
    QTest::newRow("month 13") << QStringLiteral("2025-13-01T00:00:00Z");
    QTest::newRow("february 30") << QStringLiteral("2025-02-30T00:00:00Z");
    QTest::newRow("hour 25") << QStringLiteral("2025-01-15T25:00:00Z");
    QTest::newRow("offset 24h") << QStringLiteral("2025-01-15T14:30:22+24:00");
    QTest::newRow("trailing text") << QStringLiteral("2025-01-15T14:30:22Z extra");
    QTest::newRow("empty fraction") << QStringLiteral("2025-01-15T14:30:22.Z");
    QTest::newRow("syslog style") << QStringLiteral("Oct 18 14:39:03");
    QTest::newRow("epoch") << QStringLiteral("1736951422");
    // The audit log stores years 1 to 9999 in UTC, so an offset must not
    // carry the time out of that range.
    QTest::newRow("utc in year 10000") << QStringLiteral("9999-12-31T22:00:00-03:00");
    QTest::newRow("utc before year 1") << QStringLiteral("0001-01-01T00:30:00+01:00");
}

void TestEvent::timestampRejected()
{
    QFETCH(QString, text);

    QVERIFY(!mutt::event::parseTimestamp(text).has_value());
}

void TestEvent::timestampFormat()
{
    const QDateTime utc(QDate(2025, 1, 15), QTime(14, 30, 22, 123), Qt::UTC);
    const QDateTime plusTwo(QDate(2025, 1, 15), QTime(16, 30, 22, 5), Qt::OffsetFromUTC, 7200);

    QCOMPARE(mutt::event::formatTimestamp(utc), QStringLiteral("2025-01-15T14:30:22.123Z"));
    QCOMPARE(mutt::event::formatTimestamp(plusTwo), QStringLiteral("2025-01-15T14:30:22.005Z"));
}

void TestEvent::timestampFormatSameAsQt()
{
    // formatTimestamp() formats years 1970-9999 itself; QDateTime::toString()
    // is the reference. Other zones are converted to UTC first.
    const auto qt
        = [](const QDateTime &at) { return at.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'")); };
    QList<qint64> samples {0, 1, 999, 1000, 86'399'999, 86'400'000, 951'782'400'000, 951'868'799'999, 4'107'542'400'000,
        253'402'300'799'999, 253'402'300'800'000, -1, -86'400'001};
    QRandomGenerator random(20261205);
    for (int i = 0; i < 20'000; ++i)
        samples.append(qint64(random.bounded(quint64(253'402'300'800'000))));
    for (const qint64 ms : samples) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        QCOMPARE(mutt::event::formatTimestamp(at), qt(at));
    }
    const QDateTime offset = QDateTime::fromMSecsSinceEpoch(1'736'951'422'123, Qt::OffsetFromUTC, 7200);
    QCOMPARE(mutt::event::formatTimestamp(offset), QStringLiteral("2025-01-15T14:30:22.123Z"));
    QCOMPARE(mutt::event::formatTimestamp(QDateTime()), qt(QDateTime()));
}

void TestEvent::jsonRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("compact keeps order") << QByteArray("{ \"z\" : 1,\r\n \"a\":  \"x\", \"m\": [true, false, null] }")
                                         << QByteArray(R"({"z":1,"a":"x","m":[true,false,null]})");
    QTest::newRow("non-ASCII stays UTF-8") << QByteArray("{\"msg\":\"caf\\u00e9 \xe2\x82\xac \\uD83D\\uDE00\"}")
                                           << QByteArray("{\"msg\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}");
    QTest::newRow("control characters escaped")
        << QByteArray(R"({"m":"a\nb\t\u0001\"\\"})") << QByteArray(R"({"m":"a\nb\t\u0001\"\\"})");
    QTest::newRow("int64 limits") << QByteArray(R"([9223372036854775807,-9223372036854775808])")
                                  << QByteArray(R"([9223372036854775807,-9223372036854775808])");
    QTest::newRow("uint64 max") << QByteArray("18446744073709551615") << QByteArray("18446744073709551615");
    QTest::newRow("beyond uint64") << QByteArray("18446744073709551616") << QByteArray("18446744073709551616");
    QTest::newRow("below int64") << QByteArray("-9223372036854775809") << QByteArray("-9223372036854775809");
    QTest::newRow("30 digits") << QByteArray(R"({"id":123456789012345678901234567890})")
                               << QByteArray(R"({"id":123456789012345678901234567890})");
    QTest::newRow("beyond 2^53") << QByteArray("9007199254740993") << QByteArray("9007199254740993");
    QTest::newRow("double") << QByteArray("[1.5,-0.25,1e-7]") << QByteArray("[1.5,-0.25,1e-7]");
    QTest::newRow("double underflow kept") << QByteArray("[1e-400]") << QByteArray("[1e-400]");
    QTest::newRow("empty containers") << QByteArray(R"({"a":{},"b":[]})") << QByteArray(R"({"a":{},"b":[]})");
    QTest::newRow("string that looks numeric")
        << QByteArray(R"({"n":"12345678901234567890123"})") << QByteArray(R"({"n":"12345678901234567890123"})");
}

void TestEvent::jsonRoundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    rapidjson::Document doc;
    rapidjson::Value value;
    const mutt::Status parsed = parseValue(input, value, doc);

    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(json::write(value), expected);
}

void TestEvent::jsonRejected_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("syntax") << QByteArray(R"({"a":1,})") << QStringLiteral("invalid JSON at byte 7");
    QTest::newRow("trailing value") << QByteArray(R"({"a":1} {"b":2})") << QStringLiteral("invalid JSON at byte");
    QTest::newRow("empty") << QByteArray("   ") << QStringLiteral("empty");
    QTest::newRow("NaN") << QByteArray(R"({"a":NaN})") << QStringLiteral("NaN and Infinity");
    QTest::newRow("Infinity") << QByteArray(R"([Infinity])") << QStringLiteral("NaN and Infinity");
    QTest::newRow("minus Infinity") << QByteArray(R"([-Infinity])") << QStringLiteral("NaN and Infinity");
    QTest::newRow("double overflow") << QByteArray("[1e400]") << QStringLiteral("Number too big");
    QTest::newRow("high surrogate alone")
        << QByteArray(R"({"m":"x\uD800"})") << QStringLiteral("lone UTF-16 surrogate \\uD800");
    QTest::newRow("high surrogate then letter")
        << QByteArray(R"({"m":"\uD83D\u0041"})") << QStringLiteral("lone UTF-16 surrogate \\uD83D");
    QTest::newRow("low surrogate alone") << QByteArray(R"({"m":"\uDC00"})")
                                         << QStringLiteral("lone UTF-16 surrogate \\uDC00 (a low surrogate");
    QTest::newRow("surrogate in key") << QByteArray(R"({"\udfff":1})") << QStringLiteral("at byte 2");
    QTest::newRow("invalid UTF-8 byte") << QByteArray("{\"m\":\"ab\xff\"}")
                                        << QStringLiteral("invalid UTF-8 at byte 8");
    QTest::newRow("overlong") << QByteArray("{\"m\":\"\xc0\x80\"}") << QStringLiteral("invalid UTF-8 at byte 6");
    QTest::newRow("UTF-8 surrogate") << QByteArray("{\"m\":\"\xed\xa0\x80\"}")
                                     << QStringLiteral("invalid UTF-8 at byte 6");
    QTest::newRow("truncated sequence") << QByteArray("{\"m\":\"\xe2\x82\"}")
                                        << QStringLiteral("invalid UTF-8 at byte 6");
    QTest::newRow("above U+10FFFF") << QByteArray("{\"m\":\"\xf4\x90\x80\x80\"}")
                                    << QStringLiteral("invalid UTF-8 at byte 6");
    QTest::newRow("NUL byte") << QByteArray("{\"m\":\"a\0b\"}", 10) << QStringLiteral("NUL byte at byte 7");
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << QStringLiteral("invalid JSON at byte 1");
}

void TestEvent::jsonRejected()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, messagePart);

    rapidjson::Document doc;
    rapidjson::Value value;
    const mutt::Status parsed = parseValue(input, value, doc);

    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, mutt::ErrorCode::InvalidInput);
    QVERIFY2(parsed.error().message.contains(messagePart), qPrintable(parsed.error().message));
}

void TestEvent::jsonDepthLimit()
{
    const QByteArray depth64 = QByteArray(63, '[') + "{\"a\":1}" + QByteArray(63, ']');
    const QByteArray depth65 = QByteArray(64, '[') + "{\"a\":1}" + QByteArray(64, ']');
    rapidjson::Document doc;
    rapidjson::Value value;

    const mutt::Status accepted = parseValue(depth64, value, doc);
    const mutt::Status rejected = parseValue(depth65, value, doc);
    const mutt::Status veryDeep = parseValue(QByteArray(100000, '['), value, doc);

    QVERIFY(accepted.ok());
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.error().message, QStringLiteral("JSON nesting deeper than 64 levels at byte 64"));
    QVERIFY(!veryDeep.ok());
    QVERIFY(veryDeep.error().message.startsWith(QStringLiteral("JSON nesting deeper than 64 levels")));
}

void TestEvent::jsonDuplicateKeys()
{
    const QByteArray input = R"({"a":1,"b":{"x":1,"y":2,"x":3},"a":"last","c":[{"k":1,"k":2}]})";
    QByteArray many = "{";
    for (int i = 0; i < 40; ++i)
        many += "\"k" + QByteArray::number(i % 20) + "\":" + QByteArray::number(i) + ',';
    many += "\"end\":true}";

    const auto event = Event::parse(input);
    const auto manyEvent = Event::parse(many);

    QVERIFY(event.ok());
    QCOMPARE(event.value().toJson(), QByteArray(R"({"a":"last","b":{"x":3,"y":2},"c":[{"k":2}]})"));
    QVERIFY(manyEvent.ok());
    QCOMPARE(manyEvent.value().document().MemberCount(), 21u);
    QCOMPARE(manyEvent.value().integer("k0"), std::optional<qint64>(20));
    QCOMPARE(manyEvent.value().integer("k19"), std::optional<qint64>(39));
}

void TestEvent::jsonBigIntegerAccess()
{
    const auto event = Event::parse(R"({"big":123456789012345678901234567890,"u":18446744073709551615})");

    QVERIFY(event.ok());
    QCOMPARE(event.value().string("big"), QStringLiteral("123456789012345678901234567890"));
    QVERIFY(!event.value().integer("big").has_value());
    QVERIFY(!event.value().integer("u").has_value());
    QCOMPARE(json::typeName(event.value().document()["big"]), QStringLiteral("number"));
    QVERIFY(json::isRawNumber(event.value().document()["big"]));
}

void TestEvent::eventAccessors()
{
    const auto parsed = Event::parse(R"({"hostname":"r1","message":"m","n":42,"d":2.0,"s":" 7 ","f":1.5,)"
                                     R"("b":true,"nul":null,"o":{"x":[1]},"timestamp":"2025-01-15T14:30:22.5Z",)"
                                     R"("_correlation_id":"cid-1"})");
    QVERIFY(parsed.ok());
    const Event &event = parsed.value();

    QCOMPARE(event.hostname(), QStringLiteral("r1"));
    QCOMPARE(event.message(), QStringLiteral("m"));
    QCOMPARE(event.correlationId(), QStringLiteral("cid-1"));
    QVERIFY(event.has("nul"));
    QVERIFY(!event.has("missing"));
    QCOMPARE(event.string("n"), QStringLiteral("42"));
    QCOMPARE(event.string("f"), QStringLiteral("1.5"));
    QCOMPARE(event.string("b"), QStringLiteral("true"));
    QCOMPARE(event.string("nul"), QString());
    QCOMPARE(event.string("o"), QStringLiteral(R"({"x":[1]})"));
    QCOMPARE(event.string("missing"), QString());
    QCOMPARE(event.integer("n"), std::optional<qint64>(42));
    QCOMPARE(event.integer("d"), std::optional<qint64>(2));
    QCOMPARE(event.integer("s"), std::optional<qint64>(7));
    QVERIFY(!event.integer("f").has_value());
    QVERIFY(!event.integer("hostname").has_value());
    QCOMPARE(
        event.timestamp(), std::optional<QDateTime>(QDateTime(QDate(2025, 1, 15), QTime(14, 30, 22, 500), Qt::UTC)));
}

void TestEvent::eventSetAndRemoveKeepOrder()
{
    auto parsed = Event::parse(R"({"a":1,"b":2,"c":3,"d":4})");
    QVERIFY(parsed.ok());
    Event event = std::move(parsed).value();

    event.setString("b", QStringLiteral("zwei \u00fc"));
    event.setInteger("e", 5);
    event.setInteger("a", -1);
    event.remove("c");
    event.remove("missing");

    QCOMPARE(event.toJson(), QByteArray("{\"a\":-1,\"b\":\"zwei \xc3\xbc\",\"d\":4,\"e\":5}"));
}

void TestEvent::eventSeverityAlias()
{
    const auto both = Event::parse(R"({"syslog_severity":"err","severity":"debug"})");
    const auto aliasOnly = Event::parse(R"({"severity":"Informational"})");
    const auto nullSyslog = Event::parse(R"({"syslog_severity":null,"severity":"Major"})");
    const auto none = Event::parse(R"({"hostname":"h"})");

    QCOMPARE(both.value().severity(), std::optional<int>(3));
    QCOMPARE(aliasOnly.value().severity(), std::optional<int>(6));
    QCOMPARE(nullSyslog.value().severity(), std::optional<int>(3));
    QVERIFY(!none.value().severity().has_value());
}

void TestEvent::eventTrapOid()
{
    const auto dotted = Event::parse(R"({"trap_oid":".1.3.6.1.4.1.9.9.41.2.0.1"})");
    const auto plain = Event::parse(R"({"trap_oid":"1.3.6.1.6.3.1.1.5.3"})");
    const auto none = Event::parse(R"({"hostname":"h"})");
    const auto number = Event::parse(R"({"trap_oid":13})");

    QCOMPARE(dotted.value().trapOid(), std::optional<QString>(QStringLiteral("1.3.6.1.4.1.9.9.41.2.0.1")));
    QCOMPARE(plain.value().trapOid(), std::optional<QString>(QStringLiteral("1.3.6.1.6.3.1.1.5.3")));
    QVERIFY(!none.value().trapOid().has_value());
    QVERIFY(!number.value().trapOid().has_value());
}

void TestEvent::eventMove()
{
    auto parsed = Event::parse(R"({"hostname":"r1"})");
    QVERIFY(parsed.ok());
    Event first = std::move(parsed).value();
    Event second;

    second = std::move(first);
    second.setString("message", QStringLiteral("after move"));

    QCOMPARE(second.toJson(), QByteArray(R"({"hostname":"r1","message":"after move"})"));
    QVERIFY(!Event::parse("[1,2]").ok());
    QCOMPARE(Event().toJson(), QByteArray("{}"));
}

void TestEvent::eventFromValue()
{
    rapidjson::Document doc;
    rapidjson::Value value;
    QVERIFY(parseValue(R"([{"big":99999999999999999999999,"s":"x"}, 3])", value, doc).ok());

    auto copied = Event::fromValue(value[0]);
    const auto notObject = Event::fromValue(value[1]);
    doc.SetNull();  // the copy owns its data

    QVERIFY(copied.ok());
    QCOMPARE(copied.value().toJson(), QByteArray(R"({"big":99999999999999999999999,"s":"x"})"));
    QVERIFY(!notObject.ok());
}

QTEST_GUILESS_MAIN(TestEvent)
#include "tst_event.moc"
