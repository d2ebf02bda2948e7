#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <system_error>

namespace mutt {

// Appends to a QByteArray through a cursor. The constructor grows the array
// once by an upper bound of what is appended, and the destructor cuts it to
// what was written. Hot paths use it where a run of QByteArray::append()
// calls would check capacity and sharing on every call.
class ByteWriter final {
public:
    // `maxAppend` bounds the bytes appended before the writer is destroyed.
    ByteWriter(QByteArray &out, qsizetype maxAppend) : m_out(out)
    {
        const qsizetype start = out.size();
        const qsizetype needed = start + maxAppend;
        // The capacity at least doubles, so repeated writers into one array
        // (pipelined responses) do not copy it each time.
        if (needed > out.capacity())
            out.reserve(std::max(needed, 2 * out.capacity()));
        out.resize(needed);
        m_cursor = out.data() + start;
        m_end = out.data() + needed;
    }
    ~ByteWriter() { m_out.resize(m_cursor - m_out.constData()); }
    ByteWriter(const ByteWriter &) = delete;
    ByteWriter &operator=(const ByteWriter &) = delete;
    ByteWriter(ByteWriter &&) = delete;
    ByteWriter &operator=(ByteWriter &&) = delete;

    void add(QByteArrayView bytes)
    {
        Q_ASSERT(bytes.size() <= m_end - m_cursor);
        std::memcpy(m_cursor, bytes.data(), size_t(bytes.size()));
        m_cursor += bytes.size();
    }
    void add(char c)
    {
        Q_ASSERT(m_cursor < m_end);
        *m_cursor++ = c;
    }
    // Appends one byte per UTF-16 unit, so it suits only text known to be ASCII.
    void addAscii(QStringView text)
    {
        Q_ASSERT(text.size() <= m_end - m_cursor);
        for (const QChar c : text)
            *m_cursor++ = char(c.unicode());
    }
    // Appends the decimal digits of `value`, at most 20 bytes.
    void addNumber(qint64 value)
    {
        const std::to_chars_result written = std::to_chars(m_cursor, m_end, value);
        Q_ASSERT(written.ec == std::errc());
        m_cursor = written.ptr;
    }

private:
    QByteArray &m_out;
    char *m_cursor = nullptr;
    char *m_end = nullptr;
};

}  // namespace mutt
