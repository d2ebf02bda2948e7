// PostgresDialect's SQLSTATE mapping and the Error that sqlError builds
// from a driver error: the message is a short sentence without the SQL
// statement or the server's text, which stay in backendText for the log.

#include "sql/PostgresDialect.h"
#include "sql/SqlExec.h"

#include <QSqlError>
#include <QTest>

Q_DECLARE_METATYPE(mutt::ErrorCode)

using namespace mutt;
using namespace mutt::sql;

namespace {

const QString kStatement = QStringLiteral("INSERT INTO development_hosts (hostname) VALUES (?)");

QSqlError serverError(const QString &sqlState, const QString &serverText)
{
    return QSqlError(QStringLiteral("QPSQL: Unable to create query"), serverText, QSqlError::StatementError, sqlState);
}

}  // namespace

class TestPostgresDialect final : public QObject {
    Q_OBJECT

private slots:
    void classify_data();
    void classify();
    void dataExceptionMessage_data();
    void dataExceptionMessage();
    void messageLeavesOutStatementAndServerText_data();
    void messageLeavesOutStatementAndServerText();
    void connectErrorServerDown_data();
    void connectErrorServerDown();
    void connectErrorWrongPassword();

private:
    PostgresDialect m_dialect {PostgresConfig {}};
};

void TestPostgresDialect::classify_data()
{
    QTest::addColumn<QString>("sqlState");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("22001 string too long") << QStringLiteral("22001") << ErrorCode::InvalidInput;
    QTest::newRow("22P02 invalid text representation") << QStringLiteral("22P02") << ErrorCode::InvalidInput;
    QTest::newRow("22021 invalid byte sequence") << QStringLiteral("22021") << ErrorCode::InvalidInput;
    QTest::newRow("22003 numeric out of range") << QStringLiteral("22003") << ErrorCode::InvalidInput;
    QTest::newRow("22007 invalid datetime format") << QStringLiteral("22007") << ErrorCode::InvalidInput;
    QTest::newRow("22P05 untranslatable character") << QStringLiteral("22P05") << ErrorCode::InvalidInput;
    QTest::newRow("23505 unique violation") << QStringLiteral("23505") << ErrorCode::Conflict;
    QTest::newRow("23503 foreign key violation") << QStringLiteral("23503") << ErrorCode::Conflict;
    QTest::newRow("55P03 lock not available") << QStringLiteral("55P03") << ErrorCode::Timeout;
    QTest::newRow("40001 serialization failure") << QStringLiteral("40001") << ErrorCode::Timeout;
    QTest::newRow("08006 connection failure") << QStringLiteral("08006") << ErrorCode::Unavailable;
    QTest::newRow("no SQLSTATE") << QString() << ErrorCode::Unavailable;
}

void TestPostgresDialect::classify()
{
    QFETCH(QString, sqlState);
    QFETCH(ErrorCode, code);
    QCOMPARE(m_dialect.classify(serverError(sqlState, QStringLiteral("ERROR: something"))), code);
}

void TestPostgresDialect::dataExceptionMessage_data()
{
    QTest::addColumn<QString>("sqlState");
    QTest::addColumn<QString>("serverText");
    QTest::addColumn<QString>("expected");
    QTest::newRow("22001") << QStringLiteral("22001")
                           << QStringLiteral("ERROR:  value too long for type character varying(255)")
                           << QStringLiteral("longer than its column allows");
    QTest::newRow("22P02") << QStringLiteral("22P02")
                           << QStringLiteral("ERROR:  invalid input syntax for type integer: \"abc\"")
                           << QStringLiteral("not in the form its column expects");
    QTest::newRow("22021") << QStringLiteral("22021")
                           << QStringLiteral("ERROR:  invalid byte sequence for encoding \"UTF8\": 0x00")
                           << QStringLiteral("not valid UTF-8");
    QTest::newRow("22003") << QStringLiteral("22003") << QStringLiteral("ERROR:  integer out of range")
                           << QStringLiteral("out of range");
    QTest::newRow("other class 22") << QStringLiteral("22012") << QStringLiteral("ERROR:  division by zero")
                                    << QStringLiteral("not valid for its column");
}

void TestPostgresDialect::dataExceptionMessage()
{
    QFETCH(QString, sqlState);
    QFETCH(QString, serverText);
    QFETCH(QString, expected);

    const Error error = sqlError(m_dialect, serverError(sqlState, serverText), kStatement);

    QCOMPARE(error.code, ErrorCode::InvalidInput);
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    QVERIFY2(error.backendText.contains(serverText), qPrintable(error.backendText));
    QVERIFY2(error.backendText.contains(sqlState), qPrintable(error.backendText));
}

void TestPostgresDialect::messageLeavesOutStatementAndServerText_data()
{
    QTest::addColumn<QString>("sqlState");
    QTest::newRow("data exception") << QStringLiteral("22001");
    QTest::newRow("unique violation") << QStringLiteral("23505");
    QTest::newRow("lock timeout") << QStringLiteral("55P03");
    QTest::newRow("connection failure") << QStringLiteral("08006");
}

void TestPostgresDialect::messageLeavesOutStatementAndServerText()
{
    QFETCH(QString, sqlState);
    const QString serverText = QStringLiteral("ERROR:  server detail text 7f3a");

    const Error error = sqlError(m_dialect, serverError(sqlState, serverText), kStatement);

    QVERIFY(!error.message.isEmpty());
    QVERIFY2(!error.message.contains(QStringLiteral("INSERT")), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QStringLiteral("development_hosts")), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QStringLiteral("7f3a")), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QStringLiteral("QPSQL")), qPrintable(error.message));
    QVERIFY2(error.backendText.contains(QStringLiteral("7f3a")), qPrintable(error.backendText));
    QVERIFY2(error.backendText.contains(kStatement), qPrintable(error.backendText));
    QVERIFY2(error.logText().contains(QStringLiteral("7f3a")), qPrintable(error.logText()));
}

// libpq's texts for a server that is down, stopping or starting: the
// message states that and does not send the operator to the passwords.
void TestPostgresDialect::connectErrorServerDown_data()
{
    QTest::addColumn<QString>("libpqText");
    QTest::addColumn<QString>("reason");
    QTest::newRow("refused") << QStringLiteral(
        "connection to server at \"127.0.0.1\", port 5432 failed: Connection refused\n\tIs the server running on "
        "that host and accepting TCP/IP connections?\nQPSQL: Unable to connect")
                             << QStringLiteral("Connection refused");
    QTest::newRow("shutting down") << QStringLiteral(
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is shutting down\n"
        "QPSQL: Unable to connect") << QStringLiteral("the database system is shutting down");
    QTest::newRow("starting up") << QStringLiteral(
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is starting up\n"
        "QPSQL: Unable to connect")
                                 << QStringLiteral("the database system is starting up");
}

void TestPostgresDialect::connectErrorServerDown()
{
    QFETCH(QString, libpqText);
    QFETCH(QString, reason);
    PostgresConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 5432;
    config.database = QStringLiteral("mutt_db");
    config.user = QStringLiteral("mutt_user");

    const Error error = PostgresDialect::connectError(config, 1, libpqText);
    QCOMPARE(error.code, ErrorCode::Unavailable);
    QVERIFY2(error.message.contains(QStringLiteral("is not accepting connections (%1)").arg(reason)),
        qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("127.0.0.1:5432/mutt_db")), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QStringLiteral("password")), qPrintable(error.message));
    QVERIFY2(!error.message.contains(QStringLiteral("DB_PASS")), qPrintable(error.message));
    QCOMPARE(error.backendText, libpqText);
}

void TestPostgresDialect::connectErrorWrongPassword()
{
    PostgresConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 5432;
    config.database = QStringLiteral("mutt_db");
    config.user = QStringLiteral("mutt_user");
    const QString libpqText = QStringLiteral(
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user "
        "\"mutt_user\"\nQPSQL: Unable to connect");

    const Error error = PostgresDialect::connectError(config, 2, libpqText);
    QCOMPARE(error.code, ErrorCode::Unavailable);
    QVERIFY2(error.message.contains(QStringLiteral("tried 2 password(s)")), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("DB_PASS_CURRENT/DB_PASS_NEXT")), qPrintable(error.message));
}

QTEST_GUILESS_MAIN(TestPostgresDialect)
#include "tst_postgresdialect.moc"
