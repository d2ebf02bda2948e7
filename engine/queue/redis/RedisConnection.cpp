#include "queue/redis/RedisConnection.h"

#include "core/Log.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace mutt::queue {
namespace {

using Clock = std::chrono::steady_clock;

QByteArray upper(const QByteArray &text)
{
    return text.toUpper();
}

RedisCommand command(std::initializer_list<QByteArray> parts)
{
    return RedisCommand(parts);
}

}  // namespace

RedisConnection::RedisConnection(Kind kind, const RedisOptions &options, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_options(options)
    , m_watchdog(new QTimer(this))
{
    m_watchdog->setInterval(250);
    connect(m_watchdog, &QTimer::timeout, this, &RedisConnection::onWatchdog);
}

RedisConnection::~RedisConnection()
{
    close(QStringLiteral("redis connection closed"));
}

void RedisConnection::open(const RedisEndpoint &endpoint)
{
    if (m_state != State::Closed)
        return;
    m_endpoint = endpoint;
    m_state = State::Connecting;
    m_reader = std::make_unique<RedisReplyReader>();
    m_connectDeadline = Clock::now() + m_options.connectTimeout;
    m_watchdog->start();

    if (m_options.tls) {
        auto *socket = new QSslSocket(this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!m_options.caCertPath.isEmpty())
            config.setCaCertificates(QSslCertificate::fromPath(m_options.caCertPath, QSsl::Pem));
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        socket->setSslConfiguration(config);
        connect(socket, &QSslSocket::encrypted, this, &RedisConnection::onConnected);
        connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList reasons;
            for (const QSslError &error : errors)
                reasons.append(error.errorString());
            onSocketError(QStringLiteral("TLS verification failed: ") + reasons.join(QStringLiteral("; ")));
        });
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &RedisConnection::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this,
        [this](QAbstractSocket::SocketError) { onSocketError(m_socket ? m_socket->errorString() : QString()); });
    connect(m_socket, &QTcpSocket::disconnected, this,
        [this] { onSocketError(QStringLiteral("server closed the connection")); });

    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket.data()))
        ssl->connectToHostEncrypted(endpoint.host, endpoint.port);
    else
        m_socket->connectToHost(endpoint.host, endpoint.port);
}

void RedisConnection::close(const QString &reason)
{
    fail(reason, false);
}

void RedisConnection::send(QList<RedisCommand> commands, Done done, std::chrono::milliseconds extraTimeout)
{
    if (commands.isEmpty()) {
        if (done)
            done(QList<RedisReply>());
        return;
    }
    if (m_state == State::Ready) {
        write(commands, std::move(done), extraTimeout);
        return;
    }
    if (m_state == State::Connecting) {
        m_queued.push_back(Queued {std::move(commands), std::move(done), extraTimeout});
        return;
    }
    if (done)
        done(makeError(
            ErrorCode::Unavailable, QStringLiteral("redis at %1 is not connected").arg(m_endpoint.toString())));
}

void RedisConnection::setSubscription(const QByteArray &channel, Message onMessage)
{
    m_channel = channel;
    m_onMessage = std::move(onMessage);
}

void RedisConnection::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    handshake();
}

void RedisConnection::onReadyRead()
{
    if (!m_socket)
        return;
    if (Status fed = m_reader->feed(m_socket->readAll()); !fed) {
        fail(fed.error().message, true);
        return;
    }
    for (;;) {
        Result<std::optional<RedisReply>> reply = m_reader->next();
        if (!reply) {
            fail(reply.error().message, true);
            return;
        }
        if (!reply.value())
            return;
        deliver(std::move(*reply.value()));
        if (m_state == State::Closed)
            return;
    }
}

void RedisConnection::onSocketError(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    fail(QStringLiteral("redis at %1: %2").arg(m_endpoint.toString(), reason), true);
}

void RedisConnection::onWatchdog()
{
    const auto now = Clock::now();
    if (m_state == State::Connecting && m_inFlight.empty() && now > m_connectDeadline) {
        QString reason = QStringLiteral("connect timed out after %1 ms").arg(m_options.connectTimeout.count());
        // A plain-text server does not reply to the TLS ClientHello.
        const auto *ssl = qobject_cast<QSslSocket *>(m_socket.data());
        if (ssl != nullptr && ssl->state() == QAbstractSocket::ConnectedState && !ssl->isEncrypted())
            reason += QStringLiteral(" in the TLS handshake; if this Redis does not use TLS, set "
                                     "REDIS_TLS_ENABLED=false");
        onSocketError(reason);
        return;
    }
    for (const Pending &pending : m_inFlight) {
        if (now > pending.deadline) {
            onSocketError(QStringLiteral("no reply within %1 ms").arg(m_options.commandTimeout.count()));
            return;
        }
    }
}

void RedisConnection::write(const QList<RedisCommand> &commands, Done done, std::chrono::milliseconds extraTimeout)
{
    qsizetype size = 0;
    for (const RedisCommand &cmd : commands)
        size += RedisReplyReader::encodedSize(cmd);
    QByteArray wire;
    wire.reserve(size);
    for (const RedisCommand &cmd : commands)
        RedisReplyReader::encodeTo(wire, cmd);
    m_inFlight.push_back(
        Pending {int(commands.size()), {}, std::move(done), Clock::now() + m_options.commandTimeout + extraTimeout});
    m_socket->write(wire);
}

void RedisConnection::deliver(RedisReply reply)
{
    // Pub/sub messages arrive unasked on a subscribed connection.
    const bool message = !m_channel.isEmpty() && reply.type == RedisReply::Type::Array && reply.elements.size() == 3
        && reply.elements[0].text == "message";
    if (message) {
        if (m_onMessage)
            m_onMessage(reply.elements[1].text, reply.elements[2].text);
        return;
    }
    if (m_inFlight.empty()) {
        fail(QStringLiteral("redis at %1 sent a reply nobody asked for").arg(m_endpoint.toString()), true);
        return;
    }

    const bool readOnly = reply.isError("READONLY");
    Pending &front = m_inFlight.front();
    front.replies.append(std::move(reply));
    if (front.replies.size() >= front.expected) {
        Pending done = std::move(front);
        m_inFlight.pop_front();
        if (done.done)
            done.done(std::move(done.replies));
    }
    // A master turned replica (failover) rejects writes with READONLY.
    // Reconnecting asks Sentinel for the new master.
    if (readOnly && m_state != State::Closed)
        fail(QStringLiteral("redis at %1 is a read-only replica now").arg(m_endpoint.toString()), true);
}

void RedisConnection::fail(const QString &reason, bool notify)
{
    if (m_state == State::Closed && m_inFlight.empty() && m_queued.empty())
        return;
    const bool wasConnected = m_state != State::Closed;
    m_state = State::Closed;
    m_watchdog->stop();
    if (m_socket) {
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }

    const Error error = makeError(ErrorCode::Unavailable, reason);
    std::deque<Pending> inFlight = std::move(m_inFlight);
    std::deque<Queued> queued = std::move(m_queued);
    m_inFlight.clear();
    m_queued.clear();
    for (Pending &pending : inFlight) {
        if (pending.done)
            pending.done(error);
    }
    for (Queued &waiting : queued) {
        if (waiting.done)
            waiting.done(error);
    }
    if (notify && wasConnected)
        emit lost(reason);
}

void RedisConnection::handshake()
{
    if (m_kind == Kind::Sentinel) {
        subscribeOrReady();
        return;
    }
    const QStringList passwords = m_options.passwords ? m_options.passwords() : QStringList();
    if (passwords.isEmpty()) {
        selectAndCheck();
        return;
    }
    authenticate(passwords, 0);
}

// Tries each password in turn (current, then next) so a rotation on the
// server side never locks the store out. Passwords are never logged.
void RedisConnection::authenticate(QStringList passwords, int index)
{
    write({command({"AUTH", passwords[index].toUtf8()})},
        [this, passwords, index](Replies replies) {
            if (!replies)
                return;
            const RedisReply &reply = replies.value().constFirst();
            const bool noPasswordSet = reply.isError("ERR") && reply.text.contains("without any password");
            if (!reply.isError() || noPasswordSet) {
                if (index > 0)
                    log::get("redis")->info(
                        "redis accepted the next password endpoint={} password_index={}", m_endpoint.toString(), index);
                selectAndCheck();
                return;
            }
            if (index + 1 < passwords.size()) {
                authenticate(passwords, index + 1);
                return;
            }
            fail(QStringLiteral("redis at %1 refused every configured password (%2 tried): %3; check "
                                "REDIS_PASS_CURRENT/REDIS_PASS_NEXT")
                     .arg(m_endpoint.toString())
                     .arg(passwords.size())
                     .arg(QString::fromUtf8(reply.text)),
                true);
        },
        {});
}

void RedisConnection::selectAndCheck()
{
    QList<RedisCommand> commands {command({"SELECT", QByteArray::number(m_options.db)})};
    const bool checkRole = m_options.usesSentinel();
    if (checkRole)
        commands.append(command({"ROLE"}));
    const bool checkMoves = m_kind == Kind::Command;
    if (checkMoves)
        commands.append(command({"COMMAND", "INFO", "LMOVE", "BLMOVE", "EXPIRETIME"}));
    write(commands,
        [this, checkRole, checkMoves](Replies replies) {
            if (!replies)
                return;
            const QList<RedisReply> &answers = replies.value();
            if (answers[0].isError("NOAUTH")) {
                fail(QStringLiteral("redis at %1 requires a password; set REDIS_PASS_CURRENT (or REDIS_PASS)")
                         .arg(m_endpoint.toString()),
                    true);
                return;
            }
            if (Status selected = answers[0].asStatus("SELECT"); !selected) {
                fail(selected.error().message + QStringLiteral("; check REDIS_DB"), true);
                return;
            }
            qsizetype next = 1;
            if (checkRole) {
                const RedisReply &role = answers[next++];
                const QByteArray name = role.elements.isEmpty() ? QByteArray() : role.elements[0].text;
                if (upper(name) != "MASTER") {
                    fail(QStringLiteral("redis at %1 is not a master (role %2)")
                             .arg(m_endpoint.toString(), QString::fromUtf8(name)),
                        true);
                    return;
                }
            }
            if (checkMoves) {
                const RedisReply &info = answers[next];
                m_hasMoveCommands = info.elements.size() == 3 && !info.elements[0].isNil() && !info.elements[1].isNil();
                // EXPIRETIME came with Redis 7.0, as did EXPIRE's NX flag.
                m_hasExpireFlags = info.elements.size() == 3 && !info.elements[2].isNil();
            }
            subscribeOrReady();
        },
        {});
}

void RedisConnection::subscribeOrReady()
{
    if (m_channel.isEmpty()) {
        becomeReady();
        return;
    }
    write({command({"SUBSCRIBE", m_channel})},
        [this](Replies subscribed) {
            if (!subscribed)
                return;
            const RedisReply &answer = subscribed.value().constFirst();
            if (answer.isError()) {
                fail(QStringLiteral("redis at %1 refused SUBSCRIBE %2: %3")
                         .arg(m_endpoint.toString(), QString::fromUtf8(m_channel), QString::fromUtf8(answer.text)),
                    true);
                return;
            }
            becomeReady();
        },
        {});
}

void RedisConnection::becomeReady()
{
    m_state = State::Ready;
    std::deque<Queued> queued = std::move(m_queued);
    m_queued.clear();
    for (Queued &waiting : queued)
        write(waiting.commands, std::move(waiting.done), waiting.extraTimeout);
    emit ready();
}

}  // namespace mutt::queue
