#include "runtime/RoleHttp.h"

#include "api/ApiReply.h"
#include "core/Log.h"
#include "ingest/IngestService.h"
#include "metrics/MetricsRegistry.h"
#include "runtime/HealthService.h"
#include "runtime/RolePorts.h"
#include "runtime/StatusSampler.h"

#include <QDateTime>
#include <QStringList>
#include <QThreadPool>

namespace mutt::runtime {
namespace {

QList<quint16> portsOf(const config::Settings &settings, Role role)
{
    QList<quint16> ports;
    for (const RolePort &each : rolePorts(settings, role))
        ports.append(each.port);
    return ports;
}

QString roleList(const QSet<Role> &roles)
{
    QStringList names;
    for (Role role : orderedRoles(roles))
        names.append(roleName(role));
    return names.join(u',');
}

QString hostForUrl(const QHostAddress &address)
{
    // Separate tests, because clang-tidy 14's misc-redundant-expression reports
    // `address == Any || address == AnyIPv4` as one expression on both sides.
    if (address == QHostAddress::Any)
        return QStringLiteral("127.0.0.1");
    if (address == QHostAddress::AnyIPv4)
        return QStringLiteral("127.0.0.1");
    if (address == QHostAddress::AnyIPv6)
        return QStringLiteral("[::1]");
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return u'[' + address.toString() + u']';
    return address.toString();
}

ListenerPlan &planFor(QList<ListenerPlan> &plans, quint16 port)
{
    if (port != 0) {
        for (ListenerPlan &existing : plans) {
            if (existing.port == port)
                return existing;
        }
    }
    plans.append(ListenerPlan {port, {}, false, false});
    return plans.last();
}

}  // namespace

RoleHttp::RoleHttp(const config::Settings &settings, const QSet<Role> &roles)
    : m_settings(settings)
    , m_plans(plan(settings, roles))
{
}

RoleHttp::~RoleHttp()
{
    close();
}

QList<ListenerPlan> RoleHttp::plan(const config::Settings &settings, const QSet<Role> &roles)
{
    QList<ListenerPlan> plans;
    for (Role role : orderedRoles(roles)) {
        const QList<quint16> ports
            = settings.singlePort ? QList<quint16> {settings.webuiPort} : portsOf(settings, role);
        for (quint16 port : ports) {
            ListenerPlan &target = planFor(plans, port);
            target.roles.insert(role);
            target.ingest = target.ingest || role == Role::Ingestor;
            target.api = target.api || role == Role::Api;
        }
    }
    return plans;
}

http::HttpServerOptions RoleHttp::optionsFor(const ListenerPlan &plan) const
{
    http::HttpServerOptions options;
    options.name = QStringLiteral("http:%1[%2]").arg(plan.port).arg(roleList(plan.roles));
    options.ioThreads = m_settings.httpIoThreads;
    options.maxBodyBytes = m_settings.maxBodyBytes;
    options.maxBodySetting = QStringLiteral("MAX_BODY_BYTES");
    // TLS covers the listeners that carry API keys; health and metrics
    // listeners stay plain for probes and Prometheus.
    if (plan.ingest || plan.api) {
        options.tlsCertFile = m_settings.tlsCertFile;
        options.tlsKeyFile = m_settings.tlsKeyFile;
    }
    // The api port sends the server's own errors (404, 413, 431 ...) in
    // the api's {"error": ...} form. With --single-port the ingestor shares
    // that port, and its paths (/ingest, /api/v1/ingest, /api/v2/ingest) and
    // every other path outside /api/ keep the ingest error format, as do
    // errors that come before a path is known.
    if (plan.api) {
        options.errorFormatter = [shared = plan.ingest](int status, const QString &message, const QByteArray &path) {
            if (shared && (!path.startsWith("/api/") || ingest::IngestService::ingestPaths().contains(path)))
                return http::defaultErrorResponse(status, message);
            return api::serverErrorReply(status, message);
        };
    }
    return options;
}

void RoleHttp::build(
    HealthService &health, metrics::MetricsRegistry &registry, StatusSampler &sampler, QThreadPool *pool)
{
    for (const ListenerPlan &plan : std::as_const(m_plans)) {
        auto server = std::make_unique<http::HttpServer>(optionsFor(plan));
        const QSet<Role> roles = plan.roles;

        server->route(
            "GET", "/health", [&health, pool, roles](const http::HttpRequest &, http::HttpResponder responder) {
                pool->start([&health, roles, responder] {
                    responder.send(health.response(roles, QDateTime::currentMSecsSinceEpoch()));
                });
            });
        server->route(
            "GET", "/metrics", [&registry, &sampler, pool](const http::HttpRequest &, http::HttpResponder responder) {
                pool->start([&registry, &sampler, responder] {
                    // One fresh sample per scrape; every gauge then reads it.
                    (void)sampler.cached(QDateTime::currentMSecsSinceEpoch(), 0);
                    responder.send(http::HttpResponse::text(
                        200, registry.exposition(), "text/plain; version=0.0.4; charset=utf-8"));
                });
            });
        m_servers.push_back(std::move(server));
    }
}

http::HttpServer *RoleHttp::ingestServer() const
{
    for (qsizetype i = 0; i < m_plans.size() && size_t(i) < m_servers.size(); ++i) {
        if (m_plans.at(i).ingest)
            return m_servers.at(size_t(i)).get();
    }
    return nullptr;
}

http::HttpServer *RoleHttp::apiServer() const
{
    for (qsizetype i = 0; i < m_plans.size() && size_t(i) < m_servers.size(); ++i) {
        if (m_plans.at(i).api)
            return m_servers.at(size_t(i)).get();
    }
    return nullptr;
}

Status RoleHttp::listen()
{
    const bool tls = !m_settings.tlsCertFile.isEmpty();
    for (qsizetype i = 0; i < m_plans.size() && size_t(i) < m_servers.size(); ++i) {
        const ListenerPlan &plan = m_plans.at(i);
        const Result<quint16> bound = m_servers.at(size_t(i))->listen(m_settings.bindAddress, plan.port);
        if (!bound) {
            close();
            return makeError(bound.error().code,
                QStringLiteral("%1; %3 sets this port (roles %2)")
                    .arg(
                        bound.error().message, roleList(plan.roles), portVariables(m_settings, plan.roles, plan.port)));
        }

        const QString scheme = tls && (plan.ingest || plan.api) ? QStringLiteral("https") : QStringLiteral("http");
        const QString url
            = QStringLiteral("%1://%2:%3").arg(scheme, hostForUrl(m_settings.bindAddress)).arg(bound.value());
        m_listeners.append(Listener {plan, bound.value(), url});
        mutt::log::get("daemon")->info("listening url={} roles={}", url, roleList(plan.roles));
    }
    return {};
}

void RoleHttp::close()
{
    for (auto &server : m_servers)
        server->close();
    m_listeners.clear();
}

QString RoleHttp::urlFor(Role role) const
{
    for (const Listener &listener : m_listeners) {
        if (listener.plan.roles.contains(role))
            return listener.url;
    }
    return {};
}

}  // namespace mutt::runtime
