#include "runtime/RoleComponents.h"

#include "alerter/AlerterWorker.h"
#include "core/Log.h"
#include "forwarder/Forwarder.h"
#include "http/HttpServer.h"
#include "ingest/IngestService.h"
#include "remediation/Remediation.h"
#include "runtime/HealthService.h"

#include <functional>
#include <thread>
#include <vector>

namespace mutt::runtime {
namespace {

std::optional<QString> runningCheck(bool running)
{
    if (running)
        return std::nullopt;
    return QStringLiteral("the worker threads are not running");
}

}  // namespace

RoleComponents::RoleComponents(const config::Settings &settings, const QSet<Role> &roles, Stores stores)
    : m_settings(settings)
    , m_roles(roles)
    , m_stores(stores)
{
    if (roles.contains(Role::Ingestor))
        m_ingest = std::make_unique<ingest::IngestService>(settings, stores.queue, stores.coordination, stores.metrics);
    if (roles.contains(Role::Alerter)) {
        m_alerter = std::make_unique<alerter::AlerterWorker>(
            settings, stores.queue, stores.coordination, *stores.sql, stores.metrics, settings.podName);
    }
    if (roles.contains(Role::Forwarder)) {
        m_forwarder = std::make_unique<forwarder::Forwarder>(
            settings, stores.queue, stores.coordination, stores.metrics, settings.podName);
    }
    if (roles.contains(Role::Remediation)) {
        m_remediation = std::make_unique<remediation::Remediation>(
            settings, stores.queue, stores.coordination, stores.metrics, settings.podName);
    }
}

RoleComponents::~RoleComponents()
{
    stopWorkers();
}

void RoleComponents::registerIngestRoutes(http::HttpServer &server)
{
    if (m_ingest)
        m_ingest->registerRoutes(server);
}

void RoleComponents::addHealthChecks(HealthService &health)
{
    if (alerter::AlerterWorker *worker = m_alerter.get()) {
        health.addCheck(
            Role::Alerter, QStringLiteral("alerter_worker"), [worker] { return runningCheck(worker->isRunning()); });
    }
    if (forwarder::Forwarder *worker = m_forwarder.get()) {
        health.addCheck(Role::Forwarder, QStringLiteral("forwarder_worker"), [worker]() -> std::optional<QString> {
            if (!worker->webhookConfigured())
                return forwarder::Forwarder::notConfiguredMessage();
            return runningCheck(worker->isRunning());
        });
        health.addNote(Role::Forwarder, QStringLiteral("moog_auth"), [worker] { return worker->moogAuthProblem(); });
    }
    // REMEDIATION_ENABLED=false leaves the role idle on purpose.
    if (remediation::Remediation *worker = m_remediation.get(); worker && m_settings.remediationEnabled) {
        health.addCheck(Role::Remediation, QStringLiteral("remediation_worker"),
            [worker] { return runningCheck(worker->isRunning()); });
    }
}

Status RoleComponents::startWorkers()
{
    const QList<std::pair<QString, std::function<Status()>>> starts {
        {QStringLiteral("alerter"), [this] { return m_alerter ? m_alerter->start() : Status {}; }},
        {QStringLiteral("forwarder"), [this] { return m_forwarder ? m_forwarder->start() : Status {}; }},
        {QStringLiteral("remediation"),
            [this] { return m_remediation && m_settings.remediationEnabled ? m_remediation->start() : Status {}; }},
    };
    for (const auto &[role, start] : starts) {
        const Status started = start();
        if (started)
            continue;
        stopWorkers();
        return makeError(
            started.error().code, QStringLiteral("the %1 did not start: %2").arg(role, started.error().message));
    }
    if (m_remediation && !m_settings.remediationEnabled)
        mutt::log::get("remediation")->info("remediation is disabled by REMEDIATION_ENABLED=false; not started");
    return {};
}

void RoleComponents::stopWorkers()
{
    std::vector<std::thread> stopping;
    if (m_alerter)
        stopping.emplace_back([worker = m_alerter.get()] { worker->stop(); });
    if (m_forwarder)
        stopping.emplace_back([worker = m_forwarder.get()] { worker->stop(); });
    if (m_remediation)
        stopping.emplace_back([worker = m_remediation.get()] { worker->stop(); });
    for (std::thread &thread : stopping)
        thread.join();
}

void RoleComponents::reloadRules()
{
    if (m_alerter)
        m_alerter->reloadRules();
}

}  // namespace mutt::runtime
