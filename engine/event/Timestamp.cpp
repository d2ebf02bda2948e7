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

    // The audit log stores years 1 to 9999 in UTC (the range of its text
    // form), so a time that its offset moves out of that range is invalid.
    constexpr qint64 year1 = -62'135'596'800'000;  // 0001-01-01T00:00:00Z
    constexpr qint64 year10000 = 253'402'300'800'000;  // 10000-01-01T00:00:00Z
    const QDateTime utc = QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
    const qint64 ms = utc.toMSecsSinceEpoch();
    if (ms < year1 || ms >= year10000)
        return std::nullopt;
    return utc;
}

QString formatTimestamp(const QDateTime &utc)
{
    // The ingestor formats a time for every request, so years 1970 to 9999 are
    // formatted here. QDateTime::toString() gives the same text and does the rest.
    constexpr qint64 msPerDay = 86'400'000;
    constexpr qint64 year10000 = 253'402'300'800'000;  // 10000-01-01T00:00:00Z
    const qint64 ms = utc.isValid() ? utc.toMSecsSinceEpoch() : -1;
    if (ms < 0 || ms >= year10000)
        return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));

    // Civil date from days since 1970-01-01 (proleptic Gregorian, eras of 400 years).
    const qint64 z = ms / msPerDay + 719'468;
    const qint64 era = z / 146'097;
    const qint64 dayOfEra = z - era * 146'097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthIndex = (5 * dayOfYear + 2) / 153;  // March is 0
    const int day = int(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const int month = int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    const int year = int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    const qint64 msOfDay = ms % msPerDay;

    char text[24];
    auto put = [&text](int at, int value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            text[at + i] = char('0' + value % 10);
    };
    put(0, year, 4);
    text[4] = '-';
    put(5, month, 2);
    text[7] = '-';
    put(8, day, 2);
    text[10] = 'T';
    put(11, int(msOfDay / 3'600'000), 2);
    text[13] = ':';
    put(14, int(msOfDay / 60'000 % 60), 2);
    text[16] = ':';
    put(17, int(msOfDay / 1000 % 60), 2);
    text[19] = '.';
    put(20, int(msOfDay % 1000), 3);
    text[23] = 'Z';
    return QString::fromLatin1(text, sizeof text);
}

}  // namespace mutt::event
