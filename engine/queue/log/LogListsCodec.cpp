#include "queue/log/LogListsCodec.h"

namespace mutt::queue {

void appendNumber(QByteArray &out, quint64 number)
{
    while (number >= 0x80) {
        out.append(char((number & 0x7F) | 0x80));
        number >>= 7;
    }
    out.append(char(number));
}

void appendBytes(QByteArray &out, QByteArrayView bytes)
{
    appendNumber(out, quint64(bytes.size()));
    out.append(bytes);
}

quint64 LogListsReader::number()
{
    quint64 number = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_failed || m_offset >= m_input.size()) {
            m_failed = true;
            return 0;
        }
        const auto next = quint8(m_input[m_offset++]);
        number |= quint64(next & 0x7F) << shift;
        if ((next & 0x80) == 0)
            return number;
    }
    m_failed = true;  // more than ten bytes: not a varint this codec wrote
    return 0;
}

QByteArrayView LogListsReader::bytes()
{
    const quint64 size = number();
    if (m_failed || size > quint64(m_input.size() - m_offset)) {
        m_failed = true;
        return {};
    }
    const QByteArrayView view = m_input.sliced(m_offset, qsizetype(size));
    m_offset += qsizetype(size);
    return view;
}

quint8 LogListsReader::byte()
{
    if (m_failed || m_offset >= m_input.size()) {
        m_failed = true;
        return 0;
    }
    return quint8(m_input[m_offset++]);
}

}  // namespace mutt::queue
