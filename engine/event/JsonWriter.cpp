// json::write(): compact JSON in one pass over the value tree, into a
// buffer that each thread keeps between calls. The bytes are those of
// rapidjson::Writer<…, UTF8<>, UTF8<>> with its default flags: the same
// escapes (\" \\ \b \f \n \r \t, other bytes below 0x20 as \u00XX with
// upper-case hex digits), UTF-8 copied unchanged, integers as rapidjson's
// i64toa/u64toa and doubles as its dtoa (Grisu2, shortest round trip).

#include "event/Json.h"

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

namespace mutt::event::json {
namespace {

// The letter written after a backslash for each byte ('u' for \u00XX), or 0 for a byte copied as it is.
constexpr std::array<char, 256> escapeTable()
{
    std::array<char, 256> table {};
    for (int c = 0; c < 0x20; ++c)
        table[size_t(c)] = 'u';
    table['\b'] = 'b';
    table['\t'] = 't';
    table['\n'] = 'n';
    table['\f'] = 'f';
    table['\r'] = 'r';
    table['"'] = '"';
    table['\\'] = '\\';
    return table;
}
constexpr std::array<char, 256> kEscape = escapeTable();

// rapidjson::Writer's maxDecimalPlaces default: all digits.
constexpr int kMaxDecimalPlaces = 324;

class Output {
public:
    explicit Output(std::vector<char> &buffer) : m_buffer(buffer)
    {
        if (m_buffer.size() < 1024)
            m_buffer.resize(1024);
    }

    // Room for `count` more bytes; returns where they go.
    char *reserve(size_t count)
    {
        if (m_size + count > m_buffer.size())
            m_buffer.resize(std::max(m_buffer.size() * 2, m_size + count));
        return m_buffer.data() + m_size;
    }
    void commit(char *end) { m_size = size_t(end - m_buffer.data()); }
    void put(char c) { *reserve(1) = c, ++m_size; }
    void put(const char *text, size_t length)
    {
        std::memcpy(reserve(length), text, length);
        m_size += length;
    }

    void string(const char *text, size_t length)
    {
        // At most 6 output bytes for each input byte, and the quotes.
        char *out = reserve(2 + 6 * length);
        *out++ = '"';
        const char *end = text + length;
        while (text < end) {
            const char *run = text;
            while (text < end && kEscape[static_cast<unsigned char>(*text)] == 0)
                ++text;
            std::memcpy(out, run, size_t(text - run));
            out += text - run;
            if (text == end)
                break;
            const auto c = static_cast<unsigned char>(*text++);
            const char escape = kEscape[c];
            *out++ = '\\';
            *out++ = escape;
            if (escape == 'u') {
                static constexpr char hex[] = "0123456789ABCDEF";
                *out++ = '0';
                *out++ = '0';
                *out++ = hex[c >> 4];
                *out++ = hex[c & 0xF];
            }
        }
        *out++ = '"';
        commit(out);
    }

    void int64(int64_t value) { commit(rapidjson::internal::i64toa(value, reserve(21))); }
    void uint64(uint64_t value) { commit(rapidjson::internal::u64toa(value, reserve(21))); }
    void number(double value) { commit(rapidjson::internal::dtoa(value, reserve(25), kMaxDecimalPlaces)); }

    [[nodiscard]] QByteArray take() const { return QByteArray(m_buffer.data(), qsizetype(m_size)); }

private:
    std::vector<char> &m_buffer;
    size_t m_size = 0;
};

void writeValue(Output &out, const rapidjson::Value &value)
{
    switch (value.GetType()) {
    case rapidjson::kNullType: out.put("null", 4); return;
    case rapidjson::kFalseType: out.put("false", 5); return;
    case rapidjson::kTrueType: out.put("true", 4); return;
    case rapidjson::kStringType:
        if (isRawNumber(value)) {
            const QByteArrayView digits = rawNumberText(value);
            out.put(digits.data(), size_t(digits.size()));
        } else {
            out.string(value.GetString(), value.GetStringLength());
        }
        return;
    case rapidjson::kNumberType:
        if (value.IsInt64())
            out.int64(value.GetInt64());
        else if (value.IsUint64())
            out.uint64(value.GetUint64());
        else if (std::isfinite(value.GetDouble()))
            out.number(value.GetDouble());
        else
            out.put("null", 4);
        return;
    case rapidjson::kObjectType: {
        out.put('{');
        bool first = true;
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            if (!first)
                out.put(',');
            first = false;
            out.string(it->name.GetString(), it->name.GetStringLength());
            out.put(':');
            writeValue(out, it->value);
        }
        out.put('}');
        return;
    }
    case rapidjson::kArrayType: {
        out.put('[');
        bool first = true;
        for (auto it = value.Begin(); it != value.End(); ++it) {
            if (!first)
                out.put(',');
            first = false;
            writeValue(out, *it);
        }
        out.put(']');
        return;
    }
    }
}

}  // namespace

QByteArray write(const rapidjson::Value &value)
{
    // A buffer above 1 MiB is released after use, so one large value does
    // not keep its memory for the life of the thread.
    thread_local std::vector<char> buffer;
    Output out(buffer);
    writeValue(out, value);
    QByteArray written = out.take();
    if (buffer.size() > 1024 * 1024)
        std::vector<char>().swap(buffer);
    return written;
}

}  // namespace mutt::event::json
