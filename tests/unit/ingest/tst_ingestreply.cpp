#include "ingest/IngestReply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using mutt::ingest::IngestReply;

class TestIngestReply : public QObject {
    Q_OBJECT

private slots:
    void queuedBytes();
    void queuedEscapesId();
    void queuedWithErrors();
};

void TestIngestReply::queuedBytes()
{
    const auto response = IngestReply::queued(QStringLiteral("cid-1.a:b_c"), 42, 3, {});

    QCOMPARE(response.status, 200);
    QCOMPARE(response.body,
        QByteArray(R"({"status":"queued","correlation_id":"cid-1.a:b_c","queue_depth":42,"accepted":3})"));
    QCOMPARE(response.headers.size(), 1);
    QCOMPARE(response.headers.first().first, QByteArray("Content-Type"));
    QCOMPARE(response.headers.first().second, QByteArray("application/json"));
}

void TestIngestReply::queuedEscapesId()
{
    // correlationIdFor() never returns such an id, but the reply must stay valid JSON.
    const QString id = QStringLiteral("a\"b\\c\u00e9");
    const auto response = IngestReply::queued(id, -1, 1, {});

    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.object().value(QStringLiteral("correlation_id")).toString(), id);
    QCOMPARE(document.object().value(QStringLiteral("queue_depth")).toInteger(), -1);
}

void TestIngestReply::queuedWithErrors()
{
    const QList<mutt::event::IngestItemError> errors {
        {1, QStringLiteral("missing required field hostname"), "{}", false}};
    const auto response = IngestReply::queued(QStringLiteral("cid"), 7, 2, errors);

    QCOMPARE(response.body,
        QByteArray(R"({"status":"queued","correlation_id":"cid","queue_depth":7,"accepted":2,"rejected":1,)"
                   R"("errors":[{"index":1,"message":"missing required field hostname"}]})"));
}

QTEST_APPLESS_MAIN(TestIngestReply)
#include "tst_ingestreply.moc"
