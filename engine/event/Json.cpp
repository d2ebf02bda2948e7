#include "event/Json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <vector>

// Representation of numbers (the contract of this file):
//  - integers that fit qint64 are stored as Int64, those that fit quint64 as
//    Uint64;
//  - other integers (beyond 64 bits) are stored as a "raw number": a string
//    value whose first byte is 0xFF followed by the JSON number text. 0xFF
//    never occurs in valid UTF-8 and parse() validates every string, so a raw
//    number cannot be confused with a string that a client sent. write()
//    emits the text unquoted, so the digits round-trip exactly;
//  - decimals and exponents are stored as doubles (written back in shortest
//    round-trip form); the reader rejects those beyond the double range
//    (1e400), and those that underflow (1e-400) are kept as raw numbers.

namespace mutt::event::json {
namespace {

constexpr char rawNumberMarker = '\xFF';

Error invalid(QString message)
{
    return makeError(ErrorCode::InvalidInput, std::move(message));
}

QString at(qsizetype offset)
{
    return QStringLiteral(" at byte ") + QString::number(offset);
}

// Length of the UTF-8 sequence starting at p (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when it is invalid.
int utf8SequenceLength(const unsigned char *p, qsizetype available)
{
    const unsigned char c = p[0];
    auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < available && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

// Value of four hex digits at p, or -1.
int hex4(const char *p, qsizetype available)
{
    if (available < 4)
        return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = p[i];
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

QString escapeName(int codeUnit)
{
    return QStringLiteral("\\u") + QString::number(codeUnit, 16).toUpper().rightJustified(4, u'0');
}

// Checks one \u escape at text[i] (the backslash). Returns the bytes it spans,
// or an error for a lone surrogate. Malformed escapes are left to the reader.
Result<qsizetype> checkUnicodeEscape(const char *text, qsizetype i, qsizetype n)
{
    const int unit = hex4(text + i + 2, n - i - 2);
    if (unit < 0)
        return qsizetype(2);
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return invalid(QStringLiteral("lone UTF-16 surrogate ") + escapeName(unit)
            + QStringLiteral(" (a low surrogate without a high one)") + at(i));
    if (unit < 0xD800 || unit > 0xDBFF)
        return qsizetype(6);

    const bool pairFollows = i + 7 < n && text[i + 6] == '\\' && text[i + 7] == 'u';
    const int low = pairFollows ? hex4(text + i + 8, n - i - 8) : -1;
    if (low < 0xDC00 || low > 0xDFFF)
        return invalid(QStringLiteral("lone UTF-16 surrogate ") + escapeName(unit)
            + QStringLiteral(" (a high surrogate not followed by a low one)") + at(i));
    return qsizetype(12);
}

// One pass over the text before the reader sees it: UTF-8 validity, raw NUL
// bytes and \u surrogate pairing, each with its exact byte offset.
Status prescan(QByteArrayView text)
{
    const char *p = text.data();
    const qsizetype n = text.size();
    bool inString = false;
    qsizetype i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c == 0)
            return invalid(QStringLiteral("invalid JSON: NUL byte") + at(i));
        if (c >= 0x80) {
            const int length = utf8SequenceLength(reinterpret_cast<const unsigned char *>(p + i), n - i);
            if (length == 0)
                return invalid(QStringLiteral("invalid UTF-8") + at(i) + QStringLiteral("; send UTF-8 text"));
            i += length;
            continue;
        }
        if (c == '"') {
            inString = !inString;
            ++i;
            continue;
        }
        if (!inString || c != '\\') {
            ++i;
            continue;
        }
        if (i + 1 < n && p[i + 1] == 'u') {
            const Result<qsizetype> span = checkUnicodeEscape(p, i, n);
            if (!span)
                return span.error();
            i += span.value();
            continue;
        }
        i += (i + 1 < n && static_cast<unsigned char>(p[i + 1]) < 0x80) ? 2 : 1;
    }
    return {};
}

// Scratch buffers of a thread above this size are released after use, so a
// large body does not keep its memory for the life of the thread.
constexpr size_t keptScratchBytes = 1024 * 1024;

// SAX handler that builds the value tree itself so duplicate keys keep their
// last value and numbers keep their digits.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
public:
    // `values` is scratch space; it is empty again after the parse.
    Builder(Allocator &allocator, std::vector<rapidjson::Value> &values) : m_allocator(allocator), m_values(values)
    {
        m_values.clear();
    }
    ~Builder() { m_values.clear(); }
    Builder(const Builder &) = delete;
    Builder &operator=(const Builder &) = delete;

    bool Null()
    {
        m_values.emplace_back();
        return true;
    }
    bool Bool(bool b)
    {
        m_values.emplace_back(b);
        return true;
    }
    bool RawNumber(const char *str, rapidjson::SizeType length, bool /*copy*/)
    {
        m_values.push_back(number(std::string_view(str, length)));
        return true;
    }
    bool String(const char *str, rapidjson::SizeType length, bool /*copy*/)
    {
        m_values.emplace_back(str, length, m_allocator);
        return true;
    }
    bool Key(const char *str, rapidjson::SizeType length, bool copy) { return String(str, length, copy); }
    bool StartObject() { return enter(); }
    bool StartArray() { return enter(); }
    bool EndObject(rapidjson::SizeType memberCount);
    bool EndArray(rapidjson::SizeType elementCount);

    [[nodiscard]] bool depthExceeded() const { return m_depthExceeded; }
    rapidjson::Value takeRoot() { return std::move(m_values.back()); }

private:
    bool enter()
    {
        if (++m_depth > maxDepth) {
            m_depthExceeded = true;
            return false;
        }
        return true;
    }
    rapidjson::Value number(std::string_view text);

    Allocator &m_allocator;
    std::vector<rapidjson::Value> &m_values;  // the values of the open containers, innermost last
    int m_depth = 0;
    bool m_depthExceeded = false;
};

rapidjson::Value Builder::number(std::string_view text)
{
    const char *first = text.data();
    const char *last = first + text.size();
    rapidjson::Value value;
    if (text.find_first_of(".eE") == std::string_view::npos) {
        qint64 signedValue = 0;
        if (std::from_chars(first, last, signedValue).ec == std::errc()) {
            value.SetInt64(signedValue);
            return value;
        }
        quint64 unsignedValue = 0;
        if (text.front() != '-' && std::from_chars(first, last, unsignedValue).ec == std::errc()) {
            value.SetUint64(unsignedValue);
            return value;
        }
    } else {
        double d = 0;
        const auto result = std::from_chars(first, last, d);
        if (result.ec == std::errc() && std::isfinite(d)) {
            value.SetDouble(d);
            return value;
        }
    }
    setRawNumber(value, QByteArrayView(first, qsizetype(text.size())), m_allocator);
    return value;
}

bool Builder::EndObject(rapidjson::SizeType memberCount)
{
    --m_depth;
    const size_t base = m_values.size() - 2 * size_t(memberCount);

    // Position of the first occurrence of each key; later duplicates move
    // their value into that slot (last value wins, first position kept).
    thread_local std::vector<size_t> order;
    order.clear();
    std::unordered_map<std::string_view, size_t> seen;
    const bool useMap = memberCount > 8;
    for (size_t k = base; k < m_values.size(); k += 2) {
        const std::string_view name(m_values[k].GetString(), m_values[k].GetStringLength());
        size_t existing = SIZE_MAX;
        if (useMap) {
            const auto [it, inserted] = seen.try_emplace(name, k);
            if (!inserted)
                existing = it->second;
        } else {
            for (const size_t o : order) {
                if (std::string_view(m_values[o].GetString(), m_values[o].GetStringLength()) == name) {
                    existing = o;
                    break;
                }
            }
        }
        if (existing == SIZE_MAX)
            order.push_back(k);
        else
            m_values[existing + 1] = std::move(m_values[k + 1]);
    }

    rapidjson::Value object(rapidjson::kObjectType);
    for (const size_t k : order)
        object.AddMember(m_values[k], m_values[k + 1], m_allocator);
    m_values.resize(base);
    m_values.push_back(std::move(object));
    return true;
}

bool Builder::EndArray(rapidjson::SizeType elementCount)
{
    --m_depth;
    const size_t base = m_values.size() - size_t(elementCount);
    rapidjson::Value array(rapidjson::kArrayType);
    array.Reserve(elementCount, m_allocator);
    for (size_t k = base; k < m_values.size(); ++k)
        array.PushBack(m_values[k], m_allocator);
    m_values.resize(base);
    m_values.push_back(std::move(array));
    return true;
}

QString readerMessage(QByteArrayView text, rapidjson::ParseErrorCode code, size_t offset)
{
    if (code == rapidjson::kParseErrorDocumentEmpty)
        return QStringLiteral("invalid JSON: the text is empty or only whitespace");

    const QByteArrayView rest = text.sliced(qsizetype(std::min<size_t>(offset, size_t(text.size()))));
    if (rest.startsWith("NaN") || rest.startsWith("Infinity") || rest.startsWith("-Infinity"))
        return QStringLiteral("invalid JSON: NaN and Infinity are not JSON numbers") + at(qsizetype(offset));

    QString reason = QString::fromUtf8(rapidjson::GetParseError_En(code));
    if (reason.endsWith(u'.'))
        reason.chop(1);
    // Objects one after another on one line: an NDJSON file whose line
    // breaks were lost, as `curl -d @file` removes them.
    if (code == rapidjson::kParseErrorDocumentRootNotSingular && rest.trimmed().startsWith('{'))
        reason += QStringLiteral(
            "; another object follows on the same line. Put a line break after each object (NDJSON); curl -d "
            "removes the line breaks of a file, so send it with --data-binary");
    return QStringLiteral("invalid JSON") + at(qsizetype(offset)) + QStringLiteral(": ") + reason;
}

}  // namespace

Status parse(QByteArrayView text, rapidjson::Value &out, Allocator &allocator)
{
    if (const Status scanned = prescan(text); !scanned)
        return scanned;

    // Values stay valid after the parse: they live in `allocator`, the
    // vector only holds them while their container is open.
    thread_local std::vector<rapidjson::Value> scratch;
    Builder builder(allocator, scratch);

    // The reader decodes strings in place in a NUL-terminated copy of the
    // text, which is faster than pushing them byte by byte onto its stack.
    // prescan() has rejected NUL bytes, so the terminator is the only one,
    // and byte offsets are those of `text`. The reader and the copy keep
    // their capacity between calls.
    thread_local std::vector<char> copy;
    copy.assign(text.begin(), text.end());
    copy.push_back('\0');
    thread_local rapidjson::Reader reader;
    rapidjson::InsituStringStream stream(copy.data());
    const rapidjson::ParseResult result
        = reader.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseInsituFlag>(stream, builder);
    if (copy.capacity() > keptScratchBytes)
        std::vector<char>().swap(copy);
    if (builder.depthExceeded()) {
        // The reader stops just after the opening bracket of the 65th level.
        return invalid(
            QStringLiteral("JSON nesting deeper than %1 levels").arg(maxDepth) + at(qsizetype(result.Offset()) - 1));
    }
    if (result.IsError())
        return invalid(readerMessage(text, result.Code(), result.Offset()));

    out = builder.takeRoot();
    return {};
}

bool isRawNumber(const rapidjson::Value &value)
{
    return value.IsString() && value.GetStringLength() > 1 && value.GetString()[0] == rawNumberMarker;
}

QByteArrayView rawNumberText(const rapidjson::Value &value)
{
    if (!isRawNumber(value))
        return {};
    return QByteArrayView(value.GetString() + 1, qsizetype(value.GetStringLength()) - 1);
}

void setRawNumber(rapidjson::Value &value, QByteArrayView numberText, Allocator &allocator)
{
    QByteArray stored;
    stored.reserve(numberText.size() + 1);
    stored.append(rawNumberMarker);
    stored.append(numberText);
    value.SetString(stored.constData(), rapidjson::SizeType(stored.size()), allocator);
}

QString typeName(const rapidjson::Value &value)
{
    switch (value.GetType()) {
    case rapidjson::kNullType: return QStringLiteral("null");
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return QStringLiteral("boolean");
    case rapidjson::kObjectType: return QStringLiteral("object");
    case rapidjson::kArrayType: return QStringLiteral("array");
    case rapidjson::kStringType: return isRawNumber(value) ? QStringLiteral("number") : QStringLiteral("string");
    case rapidjson::kNumberType: return QStringLiteral("number");
    }
    return QStringLiteral("null");
}

QString text(const rapidjson::Value &value)
{
    if (value.IsNull())
        return {};
    if (isRawNumber(value))
        return QString::fromLatin1(rawNumberText(value));
    if (value.IsString())
        return QString::fromUtf8(value.GetString(), qsizetype(value.GetStringLength()));
    return QString::fromUtf8(write(value));
}

bool isBlankString(const rapidjson::Value &value)
{
    if (!value.IsString() || isRawNumber(value))
        return false;
    const std::string_view s(value.GetString(), value.GetStringLength());
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace mutt::event::json
