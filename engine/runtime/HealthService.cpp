#include "runtime/HealthService.h"

#include "core/Log.h"
#include "queue/QueueNames.h"

#include <QDateTime>
#include <QJsonArray>

namespace mutt::runtime {
namespace {

std::optional<QString> failureOf(const Status &status)
{
    if (status)
        return std::nullopt;
    return status.error().message;
}

QString circuitCheckText(queue::CircuitState state)
{
    switch (state) {
    case queue::CircuitState::Closed: return QStringLiteral("ok");
    case queue::CircuitState::HalfOpen: return QStringLiteral("half_open");
    case queue::CircuitState::Open: return QStringLiteral("open");
    }
    return QStringLiteral("ok");
}

}  // namespace

QJsonObject HealthReport::toJson(const QString &version, const QString &podName, const QList<Role> &roles) const
{
    QJsonArray roleNames;
    for (Role role : roles)
        roleNames.append(roleName(role));

    QJsonObject body {
        {QStringLiteral("status"), healthy ? QStringLiteral("healthy") : QStringLiteral("unhealthy")},
        {QStringLiteral("service"), service},
        {QStringLiteral("version"), version},
        {QStringLiteral("pod"), podName},
        {QStringLiteral("roles"), roleNames},
        {QStringLiteral("checks"), checks},
    };
    if (!details.isEmpty())
        body.insert(QStringLiteral("details"), details);
    if (!errors.isEmpty())
        body.insert(QStringLiteral("errors"), QJsonArray::fromStringList(errors));
    return body;
}

HealthService::HealthService(const config::Settings &settings, queue::QueueStore *queueStore, sql::SqlStore *sqlStore,
    queue::Coordination *coordination)
    : m_settings(settings)
    , m_queueStore(queueStore)
    , m_sqlStore(sqlStore)
    , m_coordination(coordination)
{
}

void HealthService::addCheck(Role role, const QString &name, Check check)
{
    std::lock_guard lock(m_mutex);
    m_extraChecks.append(RoleCheck {role, name, std::move(check)});
}

void HealthService::addNote(Role role, const QString &name, Check check)
{
    std::lock_guard lock(m_mutex);
    m_extraChecks.append(RoleCheck {role, name, std::move(check), true});
}

QString HealthService::serviceName(const QSet<Role> &roles)
{
    if (roles.size() == 1)
        return QStringLiteral("mutt-") + roleName(*roles.cbegin());
    return QStringLiteral("mutt");
}

void HealthService::record(HealthReport &report, const QString &name, const std::optional<QString> &failure)
{
    if (!failure) {
        report.checks.insert(name, QStringLiteral("ok"));
        return;
    }
    mutt::log::get("daemon")->warn("health check failed check={}; reason={}", name, *failure);
    report.healthy = false;
    report.checks.insert(name, QString(QStringLiteral("error: ") + *failure));
    report.errors.append(name + QStringLiteral(": ") + *failure);
}

// An open circuit is Moogsoft's problem, not this process's, and restarting
// the forwarder would not help. So the check reads "open" or "half_open" but
// leaves the forwarder healthy, and /health returns 200 as in MUTT v2.5.
void HealthService::addCircuitDetail(HealthReport &report, qint64 nowMs)
{
    if (!m_coordination)
        return;
    const queue::CircuitPolicy policy {
        m_settings.circuitBreakerThreshold, qint64(m_settings.circuitBreakerTimeout) * 1000, 30'000};
    const Result<queue::CircuitStatus> circuit = m_coordination->circuitStatus(queue::keys::circuitName, policy, nowMs);
    if (!circuit) {
        record(report, QStringLiteral("circuit"), circuit.error().message);
        return;
    }
    const queue::CircuitStatus &status = circuit.value();
    report.checks.insert(QStringLiteral("circuit"), circuitCheckText(status.state));
    report.details.insert(QStringLiteral("circuit_state"), queue::circuitStateName(status.state));
    report.details.insert(QStringLiteral("circuit_failures"), double(status.failures));
    if (status.state == queue::CircuitState::Open && status.nextProbeAtMs > 0) {
        report.details.insert(QStringLiteral("circuit_next_probe_at"),
            QDateTime::fromMSecsSinceEpoch(status.nextProbeAtMs, Qt::UTC).toString(Qt::ISODateWithMs));
    }
}

std::optional<QString> HealthService::sqlFailure(qint64 nowMs)
{
    const std::optional<QString> failure = failureOf(m_sqlStore->ping());
    std::lock_guard lock(m_mutex);
    if (!failure) {
        m_sqlDownSinceMs = 0;
        return std::nullopt;
    }

    if (m_sqlDownSinceMs == 0)
        m_sqlDownSinceMs = nowMs;
    const QString since = QDateTime::fromMSecsSinceEpoch(m_sqlDownSinceMs, Qt::UTC).toString(Qt::ISODateWithMs);
    return QStringLiteral("%1: unavailable since %2: %3").arg(m_sqlStore->backendName(), since, *failure);
}

HealthReport HealthService::check(const QSet<Role> &roles, qint64 nowMs)
{
    HealthReport report;
    report.service = serviceName(roles);

    if (!m_queueStore)
        record(report, QStringLiteral("queue_store"), QStringLiteral("not open"));
    else
        record(report, QStringLiteral("queue_store"), failureOf(m_queueStore->ping()));

    if (usesSqlStore(roles)) {
        if (!m_sqlStore)
            record(report, QStringLiteral("sql_store"), QStringLiteral("not open"));
        else
            record(report, QStringLiteral("sql_store"), sqlFailure(nowMs));
    }

    if (roles.contains(Role::Forwarder))
        addCircuitDetail(report, nowMs);

    QList<RoleCheck> extra;
    {
        std::lock_guard lock(m_mutex);
        extra = m_extraChecks;
    }
    for (const RoleCheck &roleCheck : extra) {
        if (!roles.contains(roleCheck.role))
            continue;
        if (!roleCheck.note) {
            record(report, roleCheck.name, roleCheck.check());
            continue;
        }
        const std::optional<QString> problem = roleCheck.check();
        report.checks.insert(roleCheck.name, problem.value_or(QStringLiteral("ok")));
        if (problem)
            report.notes.append(roleCheck.name + QStringLiteral(": ") + *problem);
    }
    return report;
}

http::HttpResponse HealthService::response(const QSet<Role> &roles, qint64 nowMs)
{
    const HealthReport report = check(roles, nowMs);
    const QJsonObject body = report.toJson(QStringLiteral(MUTT_VERSION), m_settings.podName, orderedRoles(roles));
    return http::HttpResponse::json(report.healthy ? 200 : 503, body);
}

}  // namespace mutt::runtime
