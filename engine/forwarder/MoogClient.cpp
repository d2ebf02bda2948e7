#include "forwarder/MoogClient.h"

#include "core/Log.h"
#include "forwarder/DeliveryPolicy.h"
#include "forwarder/MoogConnection.h"

#include <QAbstractEventDispatcher>
#include <QSslCertificate>
#include <QThread>

namespace mutt::forwarder {

MoogClient::MoogClient(MoogClientOptions options, Finished onFinished)
    : m_options(std::move(options))
    , m_onFinished(std::move(onFinished))
{
    m_endpoint.host = m_options.url.host();
    m_endpoint.tls = m_options.url.scheme() == u"https";
    m_endpoint.port = quint16(m_options.url.port(m_endpoint.tls ? 443 : 80));
    m_endpoint.ssl = QSslConfiguration::defaultConfiguration();
    if (!m_options.caFile.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(m_options.caFile, QSsl::Pem);
        if (certificates.isEmpty()) {
            log::get("forwarder")
                ->error("no CA certificate loaded file={}; every HTTPS request to Moogsoft will fail "
                        "verification, fix MOOG_CA_CERT_PATH",
                    m_options.caFile);
        }
        m_endpoint.ssl.setCaCertificates(certificates);
    }

    QByteArray target = m_options.url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (m_options.url.hasQuery())
        target += '?' + m_options.url.query(QUrl::FullyEncoded).toUtf8();
    m_requestHead = "POST " + target + " HTTP/1.1\r\nHost: "
        + m_options.url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toUtf8() + "\r\nAuthorization: Bearer ";
    m_requestTail
        = "\r\nContent-Type: application/json\r\nAccept: application/json\r\nUser-Agent: MUTT-Console/" MUTT_VERSION
          "\r\nContent-Length: ";
}

MoogClient::~MoogClient()
{
    abortAll();
}

int MoogClient::inFlight() const
{
    int busy = 0;
    for (const MoogConnection *connection : m_connections)
        busy += connection->busy() ? 1 : 0;
    return busy + int(m_queue.size());
}

void MoogClient::createConnections()
{
    const int count = std::max(1, m_options.maxInFlight);
    for (int i = 0; i < count; ++i) {
        m_connections.append(new MoogConnection(
            m_endpoint,
            [this](
                MoogConnection *connection, SendResult result) { onConnectionFinished(connection, std::move(result)); },
            this));
    }
}

// An idle connection, preferring one that is still open.
MoogConnection *MoogClient::idleConnection() const
{
    MoogConnection *closed = nullptr;
    for (MoogConnection *connection : m_connections) {
        if (connection->busy())
            continue;
        if (connection->connected())
            return connection;
        if (!closed)
            closed = connection;
    }
    return closed;
}

QByteArray MoogClient::serialize(const QByteArray &body) const
{
    QByteArray request;
    const QByteArray key = m_options.apiKeyProvider ? m_options.apiKeyProvider() : m_options.apiKey;
    request.reserve(m_requestHead.size() + key.size() + m_requestTail.size() + body.size() + 16);
    request += m_requestHead;
    request += key;
    request += m_requestTail;
    request += QByteArray::number(body.size());
    request += "\r\n\r\n";
    request += body;
    return request;
}

void MoogClient::send(quint64 id, const QByteArray &body)
{
    if (m_holding) {
        reportUnsent(id);
        return;
    }
    if (m_connections.isEmpty())
        createConnections();

    QByteArray request = serialize(body);
    MoogConnection *connection = idleConnection();
    if (!connection) {
        m_queue.push_back(Queued {id, std::move(request)});
        return;
    }
    connection->start(id, std::move(request), m_options.timeoutMs);
}

void MoogClient::onConnectionFinished(MoogConnection *connection, SendResult result)
{
    if (classify(result.httpStatus) == Verdict::Retry) {
        m_holding = true;
        ++m_retryAnswers;
        report(std::move(result));
        releaseQueued();
        return;
    }
    if (!m_queue.empty()) {
        Queued next = std::move(m_queue.front());
        m_queue.pop_front();
        connection->start(next.id, std::move(next.request), m_options.timeoutMs);
    }
    report(std::move(result));
}

void MoogClient::releaseQueued()
{
    std::deque<Queued> released;
    released.swap(m_queue);
    for (const Queued &queued : released)
        reportUnsent(queued.id);
}

void MoogClient::resume(quint64 retryAnswersSeen)
{
    // A resume that the caller sent before it saw the later failures must
    // not lift the hold that those failures set.
    if (retryAnswersSeen >= m_retryAnswers)
        m_holding = false;
}

void MoogClient::reportUnsent(quint64 id)
{
    SendResult result;
    result.id = id;
    result.unsent = true;
    result.error = QStringLiteral("not sent: released by the client");
    report(std::move(result));
}

void MoogClient::report(SendResult result)
{
    m_reported.push_back(std::move(result));
    if (m_flushHooked)
        return;
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(QThread::currentThread());
    if (!dispatcher) {
        flushReported();  // no event loop to wait for
        return;
    }
    // A direct connection, because the dispatcher runs on this object's thread.
    connect(
        dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &MoogClient::flushReported, Qt::DirectConnection);
    m_flushHooked = true;
}

void MoogClient::flushReported()
{
    if (m_reported.empty())
        return;
    std::vector<SendResult> results;
    results.swap(m_reported);
    m_onFinished(std::move(results));
}

void MoogClient::abortAll()
{
    m_queue.clear();
    for (MoogConnection *connection : std::as_const(m_connections))
        connection->abort();
}

}  // namespace mutt::forwarder
