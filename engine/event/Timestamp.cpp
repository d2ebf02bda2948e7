// RFC 3339 section 5.6 date-times, with the ISO 8601 liberties senders use:
// any number of fraction digits (PowerShell writes 7), ',' as the fraction
// separator, a space or lower-case 't' between date and time, offsets as
// +hh:mm, +hhmm or +hh, optional seconds, and no offset (taken as UTC).

#include "event/Event.h"

namespace mutt::event {
namespace {

class Cursor {
public:
    explicit Cursor(QStringView text) : m_text(text) { }

    // Reads exactly `count` ASCII digits.
    bool digits(int count, int &out)
    {
        if (m_pos + count > m_text.size())
            return false;
        int value = 0;
        for (int i = 0; i < count; ++i) {
            const QChar c = m_text.at(m_pos + i);
            if (c < u'0' || c > u'9')
                return false;
            value = value * 10 + (c.unicode() - u'0');
        }
        m_pos += count;
        out = value;
        return true;
    }

    bool take(QChar c)
    {
        if (atEnd() || m_text.at(m_pos) != c)
            return false;
        ++m_pos;
        return true;
    }

    [[nodiscard]] bool atEnd() const { return m_pos >= m_text.size(); }
    [[nodiscard]] QChar peek() const { return atEnd() ? QChar() : m_text.at(m_pos); }
    void skip() { ++m_pos; }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

// Milliseconds of a fraction; extra digits are truncated.
bool fraction(Cursor &cursor, int &millis)
{
    millis = 0;
    int digitsRead = 0;
    while (!cursor.atEnd() && cursor.peek() >= u'0' && cursor.peek() <= u'9') {
        if (digitsRead < 3)
            millis = millis * 10 + (cursor.peek().unicode() - u'0');
        ++digitsRead;
        cursor.skip();
    }
    for (int i = digitsRead; i < 3; ++i)
        millis *= 10;
    return digitsRead > 0;
}

// Offset from UTC in seconds: Z, +hh:mm, +hhmm, +hh, or nothing (UTC).
bool offset(Cursor &cursor, int &seconds)
{
    seconds = 0;
    if (cursor.atEnd() || cursor.take(u'Z') || cursor.take(u'z'))
        return true;

    int sign = 0;
    if (cursor.take(u'+'))
        sign = 1;
    else if (cursor.take(u'-'))
        sign = -1;
    else
        return false;

    int hours = 0;
    int minutes = 0;
    if (!cursor.digits(2, hours))
        return false;
    if (!cursor.atEnd()) {
        cursor.take(u':');
        if (!cursor.digits(2, minutes))
            return false;
    }
    if (hours > 23 || minutes > 59)
        return false;
    seconds = sign * (hours * 3600 + minutes * 60);
    return true;
}

}  // namespace

std::optional<QDateTime> parseTimestamp(QStringView text)
{
    Cursor cursor(text.trimmed());
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    const bool dateOk = cursor.digits(4, year) && cursor.take(u'-') && cursor.digits(2, month) && cursor.take(u'-')
        && cursor.digits(2, day);
    const bool separatorOk = cursor.take(u'T') || cursor.take(u't') || cursor.take(u' ');
    if (!dateOk || !separatorOk)
        return std::nullopt;

    if (!cursor.digits(2, hour) || !cursor.take(u':') || !cursor.digits(2, minute))
        return std::nullopt;
    if (cursor.take(u':') && !cursor.digits(2, second))
        return std::nullopt;
    if ((cursor.take(u'.') || cursor.take(u',')) && !fraction(cursor, millis))
        return std::nullopt;

    int offsetSeconds = 0;
    if (!offset(cursor, offsetSeconds) || !cursor.atEnd())
        return std::nullopt;

    // A leap second (60) is kept inside its minute.
    if (second == 60) {
        second = 59;
        millis = 999;
    }
    const QDate date(year, month, day);
    const QTime time(hour, minute, second, millis);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;

    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

QString formatTimestamp(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

}  // namespace mutt::event
