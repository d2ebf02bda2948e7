#include "runtime/Engine.h"

#include "api/ApiService.h"
#include "config/secrets/SecretSources.h"
#include "config/secrets/SecretStore.h"
#include "config/secrets/VaultSecretSource.h"
#include "core/Log.h"
#include "metrics/MetricsRegistry.h"
#include "runtime/ApiRoutes.h"
#include "runtime/EngineMetrics.h"
#include "runtime/HealthService.h"
#include "runtime/RoleComponents.h"
#include "runtime/StatusSampler.h"
#include "runtime/StoreFactory.h"
#include "sql/SqlStore.h"

#include <QDateTime>
#include <QThreadPool>

#include <shared_mutex>

namespace mutt::runtime {
namespace {

auto logger()
{
    return mutt::log::get("daemon");
}

double sumOf(const metrics::MetricsRegistry &registry, const QString &name, const QString &label,
    const QStringList &values, const metrics::Labels &fixed = {})
{
    double total = 0;
    for (const QString &value : values) {
        metrics::Labels labels = fixed;
        labels.append({label, value});
        total += registry.valueOf(name, labels);
    }
    return total;
}

}  // namespace

class Engine::Impl {
public:
    Impl(config::Settings settingsIn, QSet<Role> rolesIn)
        : settings(std::move(settingsIn))
        , roles(std::move(rolesIn))
        , registry(std::make_unique<metrics::MetricsRegistry>())
        , sampler(std::make_unique<StatusSampler>(settings))
    {
        // Store reads of /health, /metrics and /api/ run here, off the I/O threads.
        pool.setMaxThreadCount(4);
        EngineMetrics::registerGauges(*registry, settings, *sampler);
    }

    Status startLocked();
    Status loadVault();
    void publishSecrets();
    void reloadSecrets();
    Status openStores();
    Status checkKeys() const;
    Status startHttp();
    void quiesce();
    void release();
    void stop();
    Result<EngineStatus> status();
    RoleHealth roleHealth(Role role, qint64 nowMs);
    void fillTotals(EngineStatus &status) const;

    config::Settings settings;
    QSet<Role> roles;
    std::unique_ptr<metrics::MetricsRegistry> registry;
    std::unique_ptr<StatusSampler> sampler;
    QThreadPool pool;

    std::shared_ptr<config::secrets::SecretStore> secrets;
    std::unique_ptr<config::secrets::VaultSecretSource> vault;

    std::optional<config::DataDirectory> dataDir;
    QueueBackend queueBackend;
    queue::QueueStore *queueStore = nullptr;
    queue::Coordination *coordination = nullptr;
    std::unique_ptr<sql::SqlStore> sqlStore;

    std::unique_ptr<HealthService> health;
    std::unique_ptr<RoleComponents> components;
    std::unique_ptr<ApiRoutes> api;
    std::unique_ptr<api::ApiService> webApi;  // MUTT v2.5 web UI REST API
    std::unique_ptr<RoleHttp> http;

    mutable std::shared_mutex stateMutex;  // exclusive while starting or stopping
    bool running = false;
};

// Vault values win over the environment and files for the names the
// secret holds; the others keep their environment or file value.
Status Engine::Impl::loadVault()
{
    secrets = std::make_shared<config::secrets::SecretStore>();
    publishSecrets();
    if (settings.vaultAddr.isEmpty())
        return {};

    config::secrets::VaultOptions options;
    options.address = settings.vaultAddr;
    options.roleId = settings.vaultRoleId;
    options.secretIdFile = settings.vaultSecretIdFile;
    options.mount = settings.vaultSecretsMount;
    options.path = settings.vaultSecretsPath;
    options.caCertFile = settings.vaultCaCert;
    options.timeoutMs = settings.vaultClientTimeout * 1000;
    const config::secrets::VaultTiming timing {
        settings.vaultTokenRenewThreshold, settings.vaultRenewCheckInterval, settings.vaultSecretsRefreshInterval};
    vault = std::make_unique<config::secrets::VaultSecretSource>(options, timing, secrets);

    const Result<config::secrets::SecretStore::Values> values = vault->loadInitial();
    if (!values)
        return makeError(
            values.error().code, QStringLiteral("cannot read the secrets from Vault: %1").arg(values.error().message));
    config::secrets::applyTo(values.value(), settings);
    publishSecrets();
    return {};
}

// Runs before the stores open (so the Redis and PostgreSQL stores find
// settings.secrets) and again after the data directory generated keys.
void Engine::Impl::publishSecrets()
{
    secrets->merge(config::secrets::valuesOf(settings));
    settings.secrets = secrets;
}

// SIGHUP: files named by NAME_FILE are read again and Vault is asked now.
void Engine::Impl::reloadSecrets()
{
    if (!secrets)
        return;
    const config::secrets::FileReread files = config::secrets::rereadFiles(settings.secretFiles);
    for (const QString &error : files.errors)
        logger()->error("secret file not reloaded; reason={}", error);
    const QStringList changed = secrets->merge(files.values);
    if (!changed.isEmpty())
        logger()->info("secrets reloaded from files names={}", changed.join(u','));
    if (vault)
        vault->refreshNow();
}

Status Engine::Impl::openStores()
{
    if (settings.embedded) {
        Result<config::DataDirectory> prepared = config::DataDirectory::prepare(settings);
        if (!prepared)
            return prepared.error();
        dataDir = prepared.value();
    }
    const config::DataDirectory *directory = dataDir ? &*dataDir : nullptr;

    Result<QueueBackend> opened = openQueueBackend(settings, directory);
    if (!opened)
        return opened.error();
    queueBackend = std::move(opened.value());
    queueStore = queueBackend.store;
    coordination = queueBackend.coordination;

    if (!usesSqlStore(roles)) {
        QStringList names;
        for (Role role : orderedRoles(roles))
            names.append(roleName(role));
        logger()->info("SQL store not opened: none of the roles {} uses it", names.join(u','));
        return {};
    }
    QString sqlLocation;
    Result<std::unique_ptr<sql::SqlStore>> sql = openSqlBackend(settings, directory, &sqlLocation);
    if (!sql)
        return sql.error();
    sqlStore = std::move(sql.value());
    if (Status migrated = sqlStore->migrate(); !migrated)
        return withContext(migrated.error(), QStringLiteral("cannot migrate the SQL store %1: ").arg(sqlLocation));
    return {};
}

Status Engine::Impl::checkKeys() const
{
    if (roles.contains(Role::Ingestor) && settings.ingestApiKey.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("the ingestor needs INGEST_API_KEY (or "
                           "INGEST_API_KEY_FILE); set it and start again"));
    if (roles.contains(Role::Api) && settings.webuiApiKey.isEmpty())
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("the api role needs WEBUI_API_KEY (or "
                           "WEBUI_API_KEY_FILE); set it and start again"));
    return {};
}

Status Engine::Impl::startHttp()
{
    http = std::make_unique<RoleHttp>(settings, roles);
    http->build(*health, *registry, *sampler, &pool);

    if (http::HttpServer *server = http->ingestServer())
        components->registerIngestRoutes(*server);
    if (http::HttpServer *server = http->apiServer()) {
        api = std::make_unique<ApiRoutes>(
            api::ApiAuth::forSettings(settings), [this] { return status(); }, &pool);
        api->registerOn(*server);
        webApi = std::make_unique<api::ApiService>(api::ApiDeps {settings, *sqlStore, *queueStore, *coordination,
            *registry, &pool, [this] { return health->response({Role::Api}, QDateTime::currentMSecsSinceEpoch()); }});
        webApi->registerOn(*server);
    }
    return http->listen();
}

Status Engine::Impl::startLocked()
{
    if (Status loaded = loadVault(); !loaded)
        return loaded;
    if (Status opened = openStores(); !opened)
        return opened;
    if (Status keys = checkKeys(); !keys)
        return keys;
    publishSecrets();

    sampler->attach(queueStore, coordination);
    health = std::make_unique<HealthService>(settings, queueStore, sqlStore.get(), coordination);
    components = std::make_unique<RoleComponents>(
        settings, roles, RoleComponents::Stores {*queueStore, *coordination, sqlStore.get(), *registry});
    components->addHealthChecks(*health);

    if (Status workers = components->startWorkers(); !workers)
        return workers;
    if (Status listening = startHttp(); !listening)
        return listening;
    if (vault)
        vault->start();
    return {};
}

// First half of a stop, without the state lock: the servers stop accepting,
// and requests in progress (which may call status()) finish.
void Engine::Impl::quiesce()
{
    if (http)
        http->close();
    pool.waitForDone();
}

// Second half, under the exclusive state lock: stop the workers (they
// return unfinished items to their queues), then close the stores.
void Engine::Impl::release()
{
    if (vault)
        vault->stop();
    vault.reset();
    if (components)
        components->stopWorkers();
    components.reset();
    api.reset();
    webApi.reset();
    http.reset();
    health.reset();
    sampler->detach();

    sqlStore.reset();
    queueStore = nullptr;
    coordination = nullptr;
    queueBackend = {};
}

void Engine::Impl::stop()
{
    {
        std::shared_lock lock(stateMutex);
        if (!running)
            return;
    }
    logger()->info("engine stopping pod={}", settings.podName);
    quiesce();

    std::unique_lock lock(stateMutex);
    running = false;
    release();
    logger()->info("engine stopped pod={}", settings.podName);
}

RoleHealth Engine::Impl::roleHealth(Role role, qint64 nowMs)
{
    const HealthReport report = health->check({role}, nowMs);
    // The console's roles table shows the detail, so a note (a rejected
    // Moogsoft key) reaches it even while the role is healthy.
    return RoleHealth {roleName(role), settings.podName, report.healthy,
        (report.errors + report.notes).join(QStringLiteral("; ")), http ? http->urlFor(role) : QString()};
}

void Engine::Impl::fillTotals(EngineStatus &status) const
{
    const QStringList failReasons {QStringLiteral("auth"), QStringLiteral("json"), QStringLiteral("validation"),
        QStringLiteral("queue_full"), QStringLiteral("redis"), QStringLiteral("rate_limit"), QStringLiteral("unknown"),
        QStringLiteral("too_large")};
    const QString requests = QStringLiteral("mutt_ingest_requests_total");
    const metrics::Labels success {{QStringLiteral("status"), QStringLiteral("success")}};
    const metrics::Labels fail {{QStringLiteral("status"), QStringLiteral("fail")}};

    status.ingestRejected = qint64(sumOf(*registry, requests, QStringLiteral("reason"), failReasons, fail));
    status.ingestRequests
        = qint64(sumOf(*registry, requests, QStringLiteral("reason"), {QString()}, success)) + status.ingestRejected;
    status.alertsProcessed = qint64(sumOf(*registry, QStringLiteral("mutt_alerter_events_processed_total"),
        QStringLiteral("status"),
        {QStringLiteral("handled"), QStringLiteral("unhandled"), QStringLiteral("poison"), QStringLiteral("error")}));
}

Result<EngineStatus> Engine::Impl::status()
{
    std::shared_lock lock(stateMutex);
    if (!running)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the engine is not running"));

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const Result<StoreSample> sample = sampler->sample(nowMs);
    if (!sample)
        return sample.error();

    EngineStatus status;
    status.sampledAt = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    status.version = QStringLiteral(MUTT_VERSION);
    status.backend = settings.embedded ? QStringLiteral("embedded") : QStringLiteral("redis+postgresql");
    if (http && roles.contains(Role::Ingestor))
        status.ingestUrl = http->urlFor(Role::Ingestor) + QStringLiteral("/ingest");
    for (Role role : orderedRoles(roles))
        status.roles.append(roleHealth(role, nowMs));
    status.conservation = sample.value().conservation;
    status.queues = sample.value().queues;
    status.circuit = sample.value().circuit;
    status.circuitFailureThreshold = settings.circuitBreakerThreshold;
    status.forwarderListPrefix = settings.moogProcessingPrefix;
    fillTotals(status);
    return status;
}

Engine::Engine(config::Settings settings, QSet<Role> roles)
    : m_impl(std::make_unique<Impl>(std::move(settings), std::move(roles)))
{
}

Engine::~Engine()
{
    stop();
}

Status Engine::start()
{
    std::unique_lock lock(m_impl->stateMutex);
    if (m_impl->running)
        return makeError(ErrorCode::Conflict, QStringLiteral("the engine is already running"));

    logger()->info("engine starting pod={} backend={}", m_impl->settings.podName,
        m_impl->settings.embedded ? QStringLiteral("embedded") : QStringLiteral("redis"));
    const Status started = m_impl->startLocked();
    if (started) {
        m_impl->running = true;
        logger()->info("engine started pod={}", m_impl->settings.podName);
        return started;
    }

    logger()->error("engine start failed pod={}; reason={}", m_impl->settings.podName, started.error().logText());
    lock.unlock();
    m_impl->quiesce();
    lock.lock();
    m_impl->release();
    return started;
}

void Engine::stop()
{
    m_impl->stop();
}

void Engine::reload()
{
    mutt::log::init(logOptions(m_impl->settings));
    std::shared_lock lock(m_impl->stateMutex);
    if (m_impl->components)
        m_impl->components->reloadRules();
    m_impl->reloadSecrets();
    logger()->info("reloaded rules and secrets and reopened the log pod={}", m_impl->settings.podName);
}

Result<EngineStatus> Engine::status()
{
    return m_impl->status();
}

bool Engine::isRunning() const
{
    std::shared_lock lock(m_impl->stateMutex);
    return m_impl->running;
}

const config::Settings &Engine::settings() const
{
    return m_impl->settings;
}

const QSet<Role> &Engine::roles() const
{
    return m_impl->roles;
}

const std::optional<config::DataDirectory> &Engine::dataDirectory() const
{
    return m_impl->dataDir;
}

QList<Listener> Engine::listeners() const
{
    std::shared_lock lock(m_impl->stateMutex);
    return m_impl->http ? m_impl->http->listeners() : QList<Listener> {};
}

QString Engine::ingestUrl() const
{
    std::shared_lock lock(m_impl->stateMutex);
    if (!m_impl->http || !m_impl->roles.contains(Role::Ingestor))
        return {};
    return m_impl->http->urlFor(Role::Ingestor) + QStringLiteral("/ingest");
}

queue::QueueStore *Engine::queueStore() const
{
    return m_impl->queueStore;
}

queue::Coordination *Engine::coordination() const
{
    return m_impl->coordination;
}

sql::SqlStore *Engine::sqlStore() const
{
    return m_impl->sqlStore.get();
}

metrics::MetricsRegistry &Engine::metrics() const
{
    return *m_impl->registry;
}

std::shared_ptr<config::secrets::SecretStore> Engine::secrets() const
{
    std::shared_lock lock(m_impl->stateMutex);
    return m_impl->secrets;
}

log::Options Engine::logOptions(const config::Settings &settings)
{
    log::Options options;
    options.level = settings.logLevel.toStdString();
    options.filePath = settings.logFile.toStdString();
    options.json = settings.logJson;
    options.podName = settings.podName.toStdString();
    return options;
}

}  // namespace mutt::runtime
