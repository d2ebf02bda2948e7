#include "forwarder/Forwarder.h"

#include "config/secrets/SecretStore.h"

#include "core/Log.h"
#include "forwarder/DeliveryLoop.h"
#include "forwarder/ForwarderMetrics.h"
#include "forwarder/Mailbox.h"
#include "forwarder/MoogClient.h"

#include <QMetaObject>
#include <QThread>
#include <QUrl>

namespace mutt::forwarder {
namespace {

// Dynamic configuration keys the delivery loop reads.
bool isForwarderConfigKey(const QString &key)
{
    return key == u"moog_rate_limit" || key == u"moog_rate_period" || key == u"circuit_breaker_threshold"
        || key == u"circuit_breaker_timeout";
}

Status checkUrl(const QUrl &url)
{
    if (url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") && !url.host().isEmpty())
        return {};
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("MOOG_WEBHOOK_URL \"%1\" is not an http(s) URL: set it to the Moogsoft event "
                       "webhook, e.g. https://moog.example.com/events/webhook")
            .arg(url.toString(QUrl::RemoveUserInfo)));
}

}  // namespace

Forwarder::Forwarder(const config::Settings &settings, queue::QueueStore &store, queue::Coordination &coordination,
    metrics::MetricsRegistry &metrics, QString podName)
    : m_settings(settings)
    , m_store(store)
    , m_coordination(coordination)
    , m_podName(std::move(podName))
    , m_metrics(std::make_unique<ForwarderMetrics>(metrics))
{
}

Forwarder::~Forwarder()
{
    stop();
}

QString Forwarder::processingList() const
{
    return m_settings.moogProcessingPrefix + u':' + m_podName;
}

std::optional<QString> Forwarder::moogAuthProblem() const
{
    return m_metrics->auth.problem(m_settings.moogDlq);
}

QString Forwarder::notConfiguredMessage()
{
    return QStringLiteral("no Moog webhook URL configured: set MOOG_WEBHOOK_URL");
}

Status Forwarder::start()
{
    if (isRunning())
        return makeError(ErrorCode::Conflict, QStringLiteral("forwarder pod %1 is already running").arg(m_podName));
    if (!webhookConfigured()) {
        log::get("forwarder")
            ->warn("forwarder not started pod={}: {}; alerts stay in {} until MOOG_WEBHOOK_URL is set and the "
                   "forwarder restarts",
                m_podName, notConfiguredMessage(), m_settings.alertQueue);
        return {};
    }
    const QUrl url(m_settings.moogWebhookUrl);
    if (const Status valid = checkUrl(url); !valid)
        return valid;
    if (m_settings.moogApiKey.isEmpty())
        log::get("forwarder")
            ->warn("MOOG_API_KEY is empty pod={}; Moogsoft will likely respond 401; set MOOG_API_KEY", m_podName);
    log::addSecret(m_settings.moogApiKey);

    m_mailbox = std::make_shared<Mailbox>();
    std::weak_ptr<Mailbox> mailbox = m_mailbox;

    MoogClientOptions options;
    options.url = url;
    options.apiKey = m_settings.moogApiKey.toUtf8();
    if (const std::shared_ptr<config::secrets::SecretStore> secrets = m_settings.secrets) {
        options.apiKeyProvider
            = [secrets] { return secrets->value(QString::fromUtf16(config::secrets::names::moogApiKey)).toUtf8(); };
    }
    options.timeoutMs = std::max(1, m_settings.moogWebhookTimeout) * 1000;
    options.caFile = m_settings.moogCaFile;
    options.maxInFlight = std::max(1, m_settings.moogMaxInFlight);
    m_client = new MoogClient(options, [mailbox](std::vector<SendResult> results) {
        if (const auto target = mailbox.lock())
            target->postResults(std::move(results));
    });
    m_networkThread = new QThread;
    m_networkThread->setObjectName(QStringLiteral("forwarder-http"));
    m_client->moveToThread(m_networkThread);
    QObject::connect(m_networkThread, &QThread::finished, m_client, &QObject::deleteLater);
    m_networkThread->start();

    m_coordination.subscribeConfig([mailbox](const QString &key) {
        if (!isForwarderConfigKey(key))
            return;
        if (const auto target = mailbox.lock())
            target->postConfigChanged();
    });

    MoogClient *client = m_client;
    DeliveryLoop::Hooks hooks;
    hooks.send = [client](QList<QPair<quint64, QByteArray>> posts) {
        QMetaObject::invokeMethod(
            client,
            [client, posts = std::move(posts)]() {
                for (const auto &[id, body] : posts)
                    client->send(id, body);
            },
            Qt::QueuedConnection);
    };
    hooks.releaseQueued = [client]() {
        QMetaObject::invokeMethod(
            client, [client]() { client->releaseQueued(); }, Qt::QueuedConnection);
    };
    hooks.resume = [client](quint64 retryAnswersSeen) {
        QMetaObject::invokeMethod(
            client, [client, retryAnswersSeen]() { client->resume(retryAnswersSeen); }, Qt::QueuedConnection);
    };
    hooks.abortAll = [client]() {
        QMetaObject::invokeMethod(
            client, [client]() { client->abortAll(); }, Qt::BlockingQueuedConnection);
    };
    m_loop = std::make_unique<DeliveryLoop>(
        m_settings, m_store, m_coordination, *m_metrics, m_podName, m_mailbox, std::move(hooks));
    m_deliveryThread = std::thread([loop = m_loop.get()]() { loop->run(); });
    return {};
}

void Forwarder::stop()
{
    if (!isRunning())
        return;

    m_mailbox->requestStop();
    m_deliveryThread.join();
    m_loop.reset();

    m_networkThread->quit();
    m_networkThread->wait();
    delete m_networkThread;
    m_networkThread = nullptr;
    m_client = nullptr;  // deleted by the thread's finished signal
    m_mailbox.reset();
}

}  // namespace mutt::forwarder
