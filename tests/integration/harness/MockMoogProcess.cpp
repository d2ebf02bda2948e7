#include "MockMoogProcess.h"

#include "HttpCall.h"
#include "ProcessTools.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>

namespace mutt::itest {

MockMoogProcess::MockMoogProcess() = default;

MockMoogProcess::~MockMoogProcess()
{
    stop();
}

bool MockMoogProcess::start(const QString &token)
{
    m_port = freePort();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start(builtBinary(QStringLiteral("mutt-mock-moog")),
        {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--token"), token});
    if (!m_process->waitForStarted(10'000))
        return false;

    const QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired()) {
        if (httpGet(QStringLiteral("http://127.0.0.1:%1/health").arg(m_port), {}, 1'000).status == 200)
            return true;
        QThread::msleep(50);
    }
    return false;
}

void MockMoogProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(5'000)) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
}

QString MockMoogProcess::webhookUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/events").arg(m_port);
}

QJsonObject MockMoogProcess::stats() const
{
    return httpGet(QStringLiteral("http://127.0.0.1:%1/_control/stats").arg(m_port)).json();
}

QJsonArray MockMoogProcess::requests() const
{
    QJsonArray all;
    for (int offset = 0;; offset += 1000) {
        const HttpReply reply = httpGet(
            QStringLiteral("http://127.0.0.1:%1/_control/requests?offset=%2&limit=1000").arg(m_port).arg(offset));
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
        const QJsonArray page = doc.isArray() ? doc.array() : doc.object().value(QStringLiteral("requests")).toArray();
        for (const QJsonValue &value : page)
            all.append(value);
        if (page.size() < 1000)
            return all;
    }
}

bool MockMoogProcess::setMode(const QJsonObject &mode) const
{
    return httpPost(QStringLiteral("http://127.0.0.1:%1/_control/mode").arg(m_port),
               QJsonDocument(mode).toJson(QJsonDocument::Compact),
               {{QByteArray("Content-Type"), QByteArray("application/json")}})
               .status
        == 200;
}

bool MockMoogProcess::reset() const
{
    return httpPost(QStringLiteral("http://127.0.0.1:%1/_control/reset").arg(m_port), "{}",
               {{QByteArray("Content-Type"), QByteArray("application/json")}})
               .status
        == 200;
}

}  // namespace mutt::itest
