#pragma once

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace mutt::config {

namespace secrets {
class SecretStore;
}

// Every setting of the daemon. Names follow the MUTT v2.5 environment
// variables (shown beside each field); the loader applies
// flag > environment > config file > default.
struct Settings {
    // --- process ---
    QString podName;  // POD_NAME; default <role>-<hostname>-<pid>-<random>
    QString dataDir;  // MUTT_DATA_DIR / --data-dir (embedded stores, generated keys)
    bool embedded = true;  // --embedded or MUTT_BACKEND=embedded
    QString logLevel = QStringLiteral("info");  // LOG_LEVEL
    bool logJson = false;  // LOG_JSON_ENABLED
    QString logFile;  // MUTT_LOG_FILE
    QHostAddress bindAddress = QHostAddress::LocalHost;  // MUTT_BIND_ADDRESS
    bool singlePort = false;  // --single-port: every role on the api port
    int httpIoThreads = 2;  // MUTT_HTTP_IO_THREADS
    QString tlsCertFile;  // TLS_CERT_FILE
    QString tlsKeyFile;  // TLS_KEY_FILE
    bool dynamicConfigEnabled = true;  // DYNAMIC_CONFIG_ENABLED (always on in embedded mode)
    QString embeddedSync = QStringLiteral("full");  // MUTT_EMBEDDED_SYNC: full | normal

    // --- secrets ---
    QString ingestApiKey;  // INGEST_API_KEY (or _FILE)
    QString ingestApiKeyNext;  // INGEST_API_KEY_NEXT (rotation)
    QString webuiApiKey;  // WEBUI_API_KEY
    QString webuiApiKeyNext;  // WEBUI_API_KEY_NEXT (rotation)
    QString moogApiKey;  // MOOG_API_KEY
    QString redisPassCurrent;  // REDIS_PASS_CURRENT (tried first on every Redis connect)
    QString redisPassNext;  // REDIS_PASS_NEXT (tried when the current one is refused)
    QString redisPass;  // REDIS_PASS: single-password name, used when REDIS_PASS_CURRENT is unset
    QString dbPassCurrent;  // DB_PASS_CURRENT or DB_PASS
    QString dbPassNext;  // DB_PASS_NEXT
    // Secret name -> the file it was read from (NAME_FILE); SIGHUP reads them again.
    QHash<QString, QString> secretFiles;
    // The live secrets, shared by every copy of these Settings once the
    // engine has started (null before). Read secrets from here on each use:
    // Vault rotation and SIGHUP update it. Redis and PostgreSQL stores call
    // also work before start.
    std::shared_ptr<secrets::SecretStore> secrets;

    // --- Vault (secrets source; off while VAULT_ADDR is empty) ---
    QString vaultAddr;  // VAULT_ADDR
    QString vaultRoleId;  // VAULT_ROLE_ID (or VAULT_ROLE_ID_FILE)
    QString vaultSecretIdFile = QStringLiteral("/etc/mutt/secrets/vault_secret_id");  // VAULT_SECRET_ID_FILE
    QString vaultSecretsMount = QStringLiteral("secret");  // VAULT_SECRETS_MOUNT (KV v2 mount)
    QString vaultSecretsPath = QStringLiteral("secret/mutt");  // VAULT_SECRETS_PATH; a leading "<mount>/" is dropped
    int vaultTokenRenewThreshold = 3600;  // VAULT_TOKEN_RENEW_THRESHOLD seconds
    int vaultRenewCheckInterval = 300;  // VAULT_RENEW_CHECK_INTERVAL seconds
    int vaultSecretsRefreshInterval = 60;  // VAULT_SECRETS_REFRESH_INTERVAL seconds (re-read of the KV secret)
    QString vaultCaCert;  // VAULT_CACERT (PEM CA bundle for https VAULT_ADDR)
    int vaultClientTimeout = 10;  // VAULT_CLIENT_TIMEOUT seconds per request

    // --- queue names ---
    QString ingestQueue = QStringLiteral("mutt:ingest_queue");  // INGEST_QUEUE_NAME
    QString alertQueue = QStringLiteral("mutt:alert_queue");  // ALERT_QUEUE_NAME
    QString alerterProcessingPrefix = QStringLiteral("mutt:processing:alerter");  // ALERTER_PROCESSING_LIST_PREFIX
    QString alerterHeartbeatPrefix = QStringLiteral("mutt:heartbeat:alerter");  // ALERTER_HEARTBEAT_PREFIX
    QString alerterDlq = QStringLiteral("mutt:dlq:alerter");  // ALERTER_DLQ_NAME
    QString moogProcessingPrefix = QStringLiteral("mutt:processing:moog");  // MOOG_PROCESSING_LIST_PREFIX
    QString moogHeartbeatPrefix = QStringLiteral("mutt:heartbeat:moog");  // MOOG_HEARTBEAT_PREFIX
    QString moogDlq = QStringLiteral("mutt:dlq:moog");  // MOOG_DLQ_NAME
    QString deadLetterQueue = QStringLiteral("mutt:dlq:dead");  // DEAD_LETTER_QUEUE
    QString moogRetrySet = QStringLiteral("mutt:retry:moog");  // MOOG_RETRY_SET
    QString moogRateLimitKey = QStringLiteral("mutt:rate_limit:moog");  // MOOG_RATE_LIMIT_KEY
    QString unhandledPrefix = QStringLiteral("mutt:unhandled");  // UNHANDLED_PREFIX
    QString metricsPrefix = QStringLiteral("mutt:metrics");  // METRICS_PREFIX

    // --- ingestor ---
    quint16 ingestPort = 8080;  // SERVER_PORT_INGESTOR
    qint64 maxIngestQueueSize = 1'000'000;  // MAX_INGEST_QUEUE_SIZE (dynamic max_ingest_queue_size)
    qint64 maxBodyBytes = 10 * 1024 * 1024;  // MAX_BODY_BYTES
    QStringList requiredFields {
        QStringLiteral("hostname"), QStringLiteral("message"), QStringLiteral("timestamp")};  // REQUIRED_FIELDS
    bool rateLimitEnabled = false;  // RATE_LIMIT_ENABLED (off by default, unlike v2.5)
    qint64 ingestMaxRate = 1000;  // INGEST_MAX_RATE events per window
    qint64 ingestRateWindow = 60;  // INGEST_RATE_WINDOW seconds
    qint64 rejectedListMax = 1000;  // MUTT_REJECTED_LIST_MAX (mutt:rejected:ingest cap)

    // --- alerter ---
    quint16 alerterHealthPort = 8081;  // HEALTH_PORT_ALERTER or ALERTER_HEALTH_PORT
    quint16 alerterMetricsPort = 9091;  // METRICS_PORT_ALERTER or ALERTER_METRICS_PORT
    int alerterWorkers = 1;  // ALERTER_WORKERS (threads in this process)
    int alerterBatchSize = 100;  // ALERTER_BATCH_SIZE events per claim (up to 8x on a backlog, see ClaimSizer)
    int alerterHeartbeatInterval = 10;  // ALERTER_HEARTBEAT_INTERVAL seconds
    int alerterJanitorTimeout = 30;  // ALERTER_JANITOR_TIMEOUT seconds (heartbeat TTL)
    int alerterMaxRetries = 3;  // ALERTER_MAX_RETRIES
    int brpoplpushTimeout = 5;  // BRPOPLPUSH_TIMEOUT seconds
    int cacheReloadInterval = 300;  // CACHE_RELOAD_INTERVAL seconds (dynamic cache_reload_interval)
    qint64 unhandledThreshold = 100;  // UNHANDLED_THRESHOLD (dynamic unhandled_threshold)
    qint64 unhandledExpirySeconds = 86400;  // UNHANDLED_EXPIRY_SECONDS (dynamic unhandled_expiry_seconds)
    QString unhandledDefaultTeam = QStringLiteral("NETO");  // UNHANDLED_DEFAULT_TEAM
    qint64 alerterQueueWarnThreshold = 1000;  // dynamic alerter_queue_warn_threshold
    qint64 alerterQueueShedThreshold = 2000;  // dynamic alerter_queue_shed_threshold
    QString alerterShedMode = QStringLiteral("defer");  // dynamic alerter_shed_mode: defer | dlq
    int alerterDeferSleepMs = 250;  // dynamic alerter_defer_sleep_ms
    int janitorInterval = 60;  // JANITOR_INTERVAL seconds

    // --- forwarder ---
    quint16 moogHealthPort = 8082;  // HEALTH_PORT_MOOG or MOOG_FORWARDER_HEALTH_PORT
    quint16 moogMetricsPort = 9092;  // METRICS_PORT_MOOG or MOOG_FORWARDER_METRICS_PORT
    // MOOG_WEBHOOK_URL; empty: nothing is sent, alerts wait in the alert queue.
    QString moogWebhookUrl;
    int moogWebhookTimeout = 10;  // MOOG_WEBHOOK_TIMEOUT seconds
    qint64 moogRateLimit = 50;  // MOOG_RATE_LIMIT per period (dynamic moog_rate_limit)
    qint64 moogRatePeriod = 1;  // MOOG_RATE_PERIOD seconds (dynamic moog_rate_period)
    int moogMaxRetries = 5;  // MOOG_MAX_RETRIES
    double moogRetryBaseDelay = 1.0;  // MOOG_RETRY_BASE_DELAY seconds
    double moogRetryMaxDelay = 60.0;  // MOOG_RETRY_MAX_DELAY seconds
    int moogMaxInFlight = 16;  // MOOG_MAX_IN_FLIGHT
    int moogHeartbeatInterval = 10;  // MOOG_HEARTBEAT_INTERVAL
    int moogJanitorTimeout = 30;  // MOOG_JANITOR_TIMEOUT
    QString moogCaFile;  // MOOG_CA_CERT_PATH
    bool circuitBreakerEnabled = true;  // CIRCUIT_BREAKER_ENABLED
    int circuitBreakerThreshold = 10;  // CIRCUIT_BREAKER_THRESHOLD (dynamic circuit_breaker_threshold)
    int circuitBreakerTimeout = 300;  // CIRCUIT_BREAKER_TIMEOUT seconds (dynamic circuit_breaker_timeout)

    // --- remediation ---
    quint16 remediationHealthPort = 8087;  // HEALTH_PORT_REMEDIATION
    quint16 remediationMetricsPort = 8086;  // METRICS_PORT_REMEDIATION
    bool remediationEnabled = true;  // REMEDIATION_ENABLED
    int remediationInterval = 300;  // REMEDIATION_INTERVAL seconds (dynamic remediation_interval)
    int remediationBatchSize = 10;  // REMEDIATION_BATCH_SIZE (dynamic remediation_batch_size)
    int maxPoisonRetries = 3;  // MAX_POISON_RETRIES replays before mutt:dlq:dead
    bool moogHealthCheckEnabled = true;  // MOOG_HEALTH_CHECK_ENABLED
    int moogHealthTimeout = 5;  // MOOG_HEALTH_TIMEOUT seconds

    // --- api ---
    quint16 webuiPort = 8090;  // SERVER_PORT_WEBUI

    // --- production backends (used when embedded == false) ---
    QString redisHost = QStringLiteral("localhost");  // REDIS_HOST
    quint16 redisPort = 6379;  // REDIS_PORT
    int redisDb = 0;  // REDIS_DB
    bool redisTlsEnabled = true;  // REDIS_TLS_ENABLED (v2.5 default: TLS on)
    QString redisCaCertPath;  // REDIS_CA_CERT_PATH; empty: system CAs
    int redisMaxConnections = 20;  // REDIS_MAX_CONNECTIONS per process
    QString redisSentinelHosts;  // REDIS_SENTINEL_HOSTS "h1:p1,h2:p2"; set: find the master via Sentinel
    QString redisSentinelMaster = QStringLiteral("mymaster");  // REDIS_SENTINEL_MASTER
    // REDIS_MIN_REPLICAS_ACK: replicas that must acknowledge (WAIT) a write
    // before it is confirmed; -1 is "auto": 1 with Sentinel, else 0 (off).
    int redisMinReplicasAck = -1;
    double redisReplicaAckTimeout = 1.0;  // REDIS_REPLICA_ACK_TIMEOUT seconds for that WAIT
    QString dbHost = QStringLiteral("localhost");  // DB_HOST
    quint16 dbPort = 5432;  // DB_PORT
    QString dbName = QStringLiteral("mutt_db");  // DB_NAME
    QString dbUser = QStringLiteral("mutt_user");  // DB_USER (Vault DB_USER overrides it)
    bool dbTlsEnabled = true;  // DB_TLS_ENABLED: sslmode=require (verify-ca with a CA file)
    QString dbTlsCaCertPath;  // DB_TLS_CA_CERT_PATH
    int dbPoolMinConn = 2;  // DB_POOL_MIN_CONN
    int dbPoolMaxConn = 10;  // DB_POOL_MAX_CONN: open connections at most (one per thread)
    int partitionPrecreateMonths = 3;  // RETENTION_PRECREATE_MONTHS: audit partitions ahead of this month
};

// Redis passwords to try, current first (from settings.secrets when the
// engine runs, else from the loaded values).
QStringList redisPasswords(const Settings &settings);
// The same as a callable for a store to keep and call on every (re)connect,
// so a password rotated in Vault or a file is tried without a restart.
using PasswordSource = std::function<QStringList()>;
PasswordSource redisPasswordSource(const Settings &settings);
PasswordSource dbPasswordSource(const Settings &settings);
// PostgreSQL passwords to try, current first.
QStringList dbPasswords(const Settings &settings);
// DB_USER from Vault when given there, else settings.dbUser.
QString dbUser(const Settings &settings);

}  // namespace mutt::config
