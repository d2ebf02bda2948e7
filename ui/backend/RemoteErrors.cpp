#include "backend/RemoteErrors.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace mutt::ui {
namespace {

// Translation context for the sentences in this file.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(RemoteBackend)
};

// The daemon's own explanation, when its error body is {"error": "..."}.
QString serverExplanation(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QString text = object.value(QStringLiteral("error")).toString().trimmed();
    if (text.isEmpty())
        return {};
    return QLatin1Char(' ') + Text::tr("Error message from the daemon: \"%1\".").arg(text.left(200));
}

QString timeoutText(std::chrono::milliseconds timeout)
{
    const qint64 ms = timeout.count();
    if (ms % 1000 != 0)
        return Text::tr("%1 ms").arg(ms);
    if (ms == 1000)
        return Text::tr("1 second");
    return Text::tr("%1 seconds").arg(ms / 1000);
}

Error httpFailure(const QString &address, const ReplyOutcome &outcome)
{
    const int code = outcome.httpStatus;
    const QString daemonMessage = serverExplanation(outcome.body);

    if (code == 401 || code == 403) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("The MUTT daemon at %1 rejected the API key (HTTP %2). "
                     "Enter the WEBUI_API_KEY of that daemon in the connection profile, or, when the console "
                     "starts with --remote, set it in the WEBUI_API_KEY environment variable.")
                    .arg(address)
                    .arg(code)
                + daemonMessage);
    }
    if (code == 404) {
        return makeError(ErrorCode::NotFound,
            Text::tr("The server at %1 has no /api/v2/status (HTTP 404). "
                     "Check that the address points at the api role of a MUTT daemon.")
                    .arg(address)
                + daemonMessage);
    }
    if (code == 429 || code == 503) {
        return makeError(ErrorCode::Unavailable,
            Text::tr("The MUTT daemon at %1 is busy or not ready (HTTP %2). The console keeps asking every second.")
                    .arg(address)
                    .arg(code)
                + daemonMessage);
    }
    return makeError(ErrorCode::Unavailable,
        Text::tr("The MUTT daemon at %1 answered with HTTP %2 instead of a status. "
                 "Check the daemon's log for this request.")
                .arg(address)
                .arg(code)
            + daemonMessage);
}

Error networkFailure(const QString &address, const ReplyOutcome &outcome)
{
    switch (outcome.networkError) {
    case QNetworkReply::ConnectionRefusedError:
        return makeError(ErrorCode::Unavailable,
            Text::tr("Nothing is listening at %1: the connection was refused. "
                     "Check the address and port and that the api role of the MUTT daemon is running.")
                .arg(address));
    case QNetworkReply::HostNotFoundError:
        return makeError(ErrorCode::Unavailable,
            Text::tr("The host name in %1 could not be resolved. Check the spelling of the address and the DNS.")
                .arg(address));
    case QNetworkReply::RemoteHostClosedError:
        return makeError(ErrorCode::Unavailable,
            Text::tr("The MUTT daemon at %1 closed the connection before answering. "
                     "Check that the address uses the right scheme (http or https) and that the daemon is "
                     "healthy.")
                .arg(address));
    case QNetworkReply::SslHandshakeFailedError:
        return makeError(ErrorCode::Unavailable,
            Text::tr("The TLS certificate of %1 could not be verified (%2). "
                     "Select the CA file that signed the daemon's certificate in the connection profile.")
                .arg(address, outcome.sslErrors.isEmpty() ? outcome.networkErrorText : outcome.sslErrors));
    default: break;
    }
    return makeError(ErrorCode::Unavailable,
        Text::tr("The MUTT daemon at %1 could not be reached (%2). "
                 "Check the address and the network path to the daemon.")
            .arg(address, outcome.networkErrorText));
}

}  // namespace

QString displayAddress(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

Error describeRemoteFailure(const QUrl &baseUrl, const ReplyOutcome &outcome, std::chrono::milliseconds timeout)
{
    const QString address = displayAddress(baseUrl);

    if (outcome.timedOut) {
        return makeError(ErrorCode::Timeout,
            Text::tr("The MUTT daemon at %1 did not answer within %2. "
                     "Check the address and that the api role is running.")
                .arg(address, timeoutText(timeout)));
    }
    if (outcome.httpStatus != 0)
        return httpFailure(address, outcome);
    return networkFailure(address, outcome);
}

Error describeUnreadableStatus(const QUrl &baseUrl, const QString &reason)
{
    return makeError(ErrorCode::InvalidInput,
        Text::tr("The MUTT daemon at %1 answered with a status the console cannot read (%2). "
                 "Check that the console and the daemon are the same version.")
            .arg(displayAddress(baseUrl), reason));
}

std::optional<Error> validateBaseUrl(const QUrl &url, const QString &typed)
{
    const bool httpScheme = url.scheme() == u"http" || url.scheme() == u"https";
    if (url.isValid() && httpScheme && !url.host().isEmpty())
        return std::nullopt;

    return makeError(ErrorCode::InvalidInput,
        Text::tr("The address \"%1\" is not an http:// or https:// URL with a host. "
                 "Enter it as https://host:8090, the address of the daemon's api role.")
            .arg(typed));
}

}  // namespace mutt::ui
