#include "HttpCall.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace mutt::itest {
namespace {

HttpReply run(
    const QString &method, const QString &url, const QByteArray &body, const HeaderList &headers, int timeoutMs)
{
    QNetworkAccessManager manager;
    QNetworkRequest request {QUrl(url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);

    QNetworkReply *reply = method == u"GET" ? manager.get(request) : manager.post(request, body);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();

    HttpReply result;
    if (!reply->isFinished()) {
        result.error = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
        reply->abort();
        reply->deleteLater();
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.error = reply->errorString();
    reply->deleteLater();
    return result;
}

}  // namespace

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpReply httpGet(const QString &url, const HeaderList &headers, int timeoutMs)
{
    return run(QStringLiteral("GET"), url, {}, headers, timeoutMs);
}

HttpReply httpPost(const QString &url, const QByteArray &body, const HeaderList &headers, int timeoutMs)
{
    return run(QStringLiteral("POST"), url, body, headers, timeoutMs);
}

}  // namespace mutt::itest
