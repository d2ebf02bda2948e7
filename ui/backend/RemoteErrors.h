#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <chrono>

namespace mutt::ui {

// The outcome of one request to the daemon, reduced to the facts the error
// message for the operator needs.
struct ReplyOutcome {
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;  // QNetworkReply::errorString()
    int httpStatus = 0;  // 0: no HTTP response at all
    bool timedOut = false;
    QString sslErrors;  // the certificate problems, joined; empty if none
    QByteArray body;
};

// Turns a failed request into a plain sentence: what happened at which
// address, then what to check. The address never carries user info.
Error describeRemoteFailure(const QUrl &baseUrl, const ReplyOutcome &outcome, std::chrono::milliseconds timeout);

// Builds the error for a response that arrived but is not a readable status.
Error describeUnreadableStatus(const QUrl &baseUrl, const QString &reason);

// Checks a base URL the operator typed; the error names the value and the fix.
std::optional<Error> validateBaseUrl(const QUrl &url, const QString &typed);

QString displayAddress(const QUrl &url);

}  // namespace mutt::ui
