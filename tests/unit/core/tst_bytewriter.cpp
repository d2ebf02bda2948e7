// ByteWriter: appends through a cursor and cuts the array to what was written.

#include "core/ByteWriter.h"

#include <QTest>

#include <limits>

using mutt::ByteWriter;

class TestByteWriter : public QObject {
    Q_OBJECT

private slots:
    void appendsAfterExistingBytes();
    void exactBoundIsEnough();
    void extremeNumbers();
};

void TestByteWriter::appendsAfterExistingBytes()
{
    QByteArray out("head:");
    {
        ByteWriter writer(out, 64);
        writer.add("id=");
        writer.addAscii(u"abc-123");
        writer.add(' ');
        writer.addNumber(-42);
    }

    QCOMPARE(out, QByteArray("head:id=abc-123 -42"));
}

// A bound equal to the bytes written leaves no spare byte and no garbage.
void TestByteWriter::exactBoundIsEnough()
{
    QByteArray out;
    {
        ByteWriter writer(out, 6);
        writer.add('$');
        writer.addNumber(5);
        writer.add("\r\n");
        writer.add('x');
        writer.add('y');
    }

    QCOMPARE(out, QByteArray("$5\r\nxy"));
    QCOMPARE(out.size(), 6);
}

void TestByteWriter::extremeNumbers()
{
    QByteArray out;
    {
        ByteWriter writer(out, 41);
        writer.addNumber(std::numeric_limits<qint64>::min());
        writer.add(',');
        writer.addNumber(std::numeric_limits<qint64>::max());
    }

    QCOMPARE(out, QByteArray("-9223372036854775808,9223372036854775807"));
}

QTEST_APPLESS_MAIN(TestByteWriter)
#include "tst_bytewriter.moc"
