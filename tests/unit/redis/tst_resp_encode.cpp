// RESP encoding of commands: the bytes hiredis's redisFormatCommandArgv gives.

#include "queue/redis/RedisReplyReader.h"

#include <hiredis/hiredis.h>

#include <QTest>

#include <vector>

using mutt::queue::RedisCommand;
using mutt::queue::RedisReplyReader;

class TestRespEncode : public QObject {
    Q_OBJECT

private slots:
    void sameAsHiredis_data();
    void sameAsHiredis();
    void pipelineAppends();
};

namespace {

QByteArray hiredisFormat(const RedisCommand &command)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &arg : command) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    char *target = nullptr;
    const int length = redisFormatCommandArgv(&target, int(argv.size()), argv.data(), lengths.data());
    const QByteArray encoded(target, length);
    redisFreeCommand(target);
    return encoded;
}

}  // namespace

void TestRespEncode::sameAsHiredis_data()
{
    QTest::addColumn<RedisCommand>("command");
    QTest::newRow("one word") << RedisCommand {"PING"};
    QTest::newRow("empty argument") << RedisCommand {"SET", "k", ""};
    QTest::newRow("binary") << RedisCommand {"SET", "k", QByteArray("a\0b\r\n\xFF", 6)};
    RedisCommand push {"LPUSH", "mutt:ingest_queue"};
    for (int i = 0; i < 1234; ++i)
        push.append(QByteArray(i % 97, char('a' + i % 26)));
    QTest::newRow("1234 items, lengths 0 to 96") << push;
    QTest::newRow("large argument") << RedisCommand {"SET", "k", QByteArray(100'000, 'x')};
}

void TestRespEncode::sameAsHiredis()
{
    QFETCH(RedisCommand, command);
    const QByteArray encoded = RedisReplyReader::encode(command);
    QCOMPARE(encoded, hiredisFormat(command));
    QCOMPARE(RedisReplyReader::encodedSize(command), encoded.size());
}

void TestRespEncode::pipelineAppends()
{
    const RedisCommand first {"MULTI"};
    const RedisCommand second {"LPUSH", "q", "a", "bc"};
    QByteArray wire = "prefix";
    RedisReplyReader::encodeTo(wire, first);
    RedisReplyReader::encodeTo(wire, second);
    QCOMPARE(wire, "prefix" + hiredisFormat(first) + hiredisFormat(second));
}

QTEST_GUILESS_MAIN(TestRespEncode)
#include "tst_resp_encode.moc"
