#include "remediation/MoogHealthProbe.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace mutt::remediation {

HealthResult probeMoogHealth(const QUrl &url, int timeoutMs, const QString &caFile)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (url.scheme() == u"https" && !caFile.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromPath(caFile, QSsl::Pem));
        request.setSslConfiguration(ssl);
    }

    // A local loop on the calling worker thread; the probe runs once per
    // remediation cycle, so a short-lived manager is cheap enough.
    QNetworkAccessManager manager;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    QNetworkReply *reply = manager.get(request);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&timedOut, reply]() {
        timedOut = true;
        reply->abort();
    });
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();

    HealthResult result;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    result.httpStatus = status.isValid() ? status.toInt() : 0;
    result.healthy = result.httpStatus > 0 && result.httpStatus < 500;
    if (result.httpStatus >= 500)
        result.detail = QStringLiteral("responded %1").arg(result.httpStatus);
    else if (result.httpStatus == 0)
        result.detail = timedOut ? QStringLiteral("no response within %1 ms").arg(timeoutMs) : reply->errorString();
    delete reply;
    return result;
}

}  // namespace mutt::remediation
