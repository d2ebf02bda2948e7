#include "backend/RemoteBackend.h"

#include "backend/RemoteErrors.h"
#include "core/Log.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPromise>
#include <QSslCertificate>
#include <QTimer>

namespace mutt::ui {
namespace {

constexpr const char *TimedOutProperty = "muttTimedOut";
constexpr const char *SslErrorsProperty = "muttSslErrors";

// Translation context for the sentences in this file.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(RemoteBackend)
};

std::optional<Error> loadCaFile(const QString &path, QSslConfiguration &ssl)
{
    if (path.isEmpty())
        return std::nullopt;

    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
    if (certificates.isEmpty()) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("The CA file %1 contains no PEM certificate. Select the file with the certificate "
                     "authority that signed the daemon's certificate.")
                .arg(path));
    }

    ssl.addCaCertificates(certificates);
    return std::nullopt;
}

ReplyOutcome outcomeOf(QNetworkReply *reply)
{
    ReplyOutcome outcome;
    outcome.networkError = reply->error();
    outcome.networkErrorText = reply->errorString();
    outcome.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    outcome.timedOut = reply->property(TimedOutProperty).toBool();
    outcome.sslErrors = reply->property(SslErrorsProperty).toString();
    if (reply->isOpen())
        outcome.body = reply->readAll();
    return outcome;
}

}  // namespace

RemoteBackend::RemoteBackend(RemoteOptions options, QObject *parent)
    : Backend(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
    , m_ssl(QSslConfiguration::defaultConfiguration())
{
    m_caError = loadCaFile(m_options.caFile, m_ssl);
    m_network->setAutoDeleteReplies(true);
    mutt::log::addSecret(m_options.apiKey);
}

RemoteBackend::~RemoteBackend() = default;

QString RemoteBackend::displayName() const
{
    return displayAddress(m_options.baseUrl);
}

void RemoteBackend::open()
{
    if (const auto error = setupError()) {
        mutt::log::get("ui")->warn("Remote profile cannot connect: url={} reason={}", displayName(), error->message);
        setState(ConnectionState::Failed, error->message);
        return;
    }

    mutt::log::get("ui")->info("Attaching to daemon: url={} ca_file={}", displayName(),
        m_options.caFile.isEmpty() ? QStringLiteral("system") : m_options.caFile);
    setState(ConnectionState::Connecting);
}

QFuture<void> RemoteBackend::shutdown()
{
    if (state() != ConnectionState::Closed)
        mutt::log::get("ui")->info("Detached from daemon: url={}", displayName());
    setState(ConnectionState::Closed);
    return QtFuture::makeReadyFuture();
}

bool RemoteBackend::canFetch() const
{
    return state() != ConnectionState::Closed && state() != ConnectionState::Idle;
}

std::optional<Error> RemoteBackend::setupError() const
{
    if (auto error = validateBaseUrl(m_options.baseUrl, m_options.baseUrl.toDisplayString(QUrl::RemoveUserInfo)))
        return error;
    return m_caError;
}

QNetworkRequest RemoteBackend::makeRequest(const QString &path) const
{
    QUrl url = m_options.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);

    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("X-API-KEY"), m_options.apiKey.toUtf8());
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    if (url.scheme() == u"https")
        request.setSslConfiguration(m_ssl);
    return request;
}

QNetworkReply *RemoteBackend::send(const QString &path)
{
    QNetworkReply *reply = m_network->get(makeRequest(path));

    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        reply->setProperty(SslErrorsProperty, texts.join(QStringLiteral("; ")));
    });

    // A timer of our own rather than the transfer timeout, so the error can
    // read "did not answer" instead of "operation canceled".
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply] {
        reply->setProperty(TimedOutProperty, true);
        reply->abort();
    });
    timer->start(m_options.timeout);
    return reply;
}

QFuture<Result<runtime::EngineStatus>> RemoteBackend::fetchStatus()
{
    auto promise = std::make_shared<QPromise<Result<runtime::EngineStatus>>>();
    QFuture<Result<runtime::EngineStatus>> future = promise->future();
    promise->start();

    if (const auto error = setupError()) {
        promise->addResult(*error);
        promise->finish();
        return future;
    }

    QNetworkReply *reply = send(QStringLiteral("/api/v2/status"));
    connect(reply, &QNetworkReply::finished, this, [this, reply, promise] { finishStatus(reply, promise); });
    return future;
}

void RemoteBackend::finishStatus(QNetworkReply *reply, const StatusPromise &promise)
{
    const ReplyOutcome outcome = outcomeOf(reply);
    Result<runtime::EngineStatus> result = [&]() -> Result<runtime::EngineStatus> {
        if (outcome.networkError != QNetworkReply::NoError || outcome.timedOut || outcome.httpStatus != 200)
            return describeRemoteFailure(m_options.baseUrl, outcome, m_options.timeout);

        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(outcome.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return describeUnreadableStatus(m_options.baseUrl, Text::tr("the body is not a JSON object"));

        auto status = runtime::engineStatusFromJson(document.object());
        if (!status)
            return describeUnreadableStatus(m_options.baseUrl, Text::tr("conservation or queues are missing"));
        return std::move(*status);
    }();

    report(result);
    promise->addResult(std::move(result));
    promise->finish();
}

void RemoteBackend::report(const Result<runtime::EngineStatus> &result)
{
    if (state() == ConnectionState::Closed)
        return;

    if (result.ok()) {
        m_ingestUrl = result.value().ingestUrl;
        if (state() != ConnectionState::Connected)
            mutt::log::get("ui")->info("Daemon responded: url={} version={}", displayName(), result.value().version);
        setState(ConnectionState::Connected);
        return;
    }

    if (state() != ConnectionState::Failed || stateMessage() != result.error().message)
        mutt::log::get("ui")->warn("Status request failed: url={} reason={}", displayName(), result.error().message);
    setState(ConnectionState::Failed, result.error().message);
}

}  // namespace mutt::ui
