#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace mutt::config {

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
    int alerterBatchSize = 100;  // ALERTER_BATCH_SIZE events per claim
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
    QString dbHost = QStringLiteral("localhost");  // DB_HOST
    quint16 dbPort = 5432;  // DB_PORT
    QString dbName = QStringLiteral("mutt_db");  // DB_NAME
    QString dbUser = QStringLiteral("mutt_user");  // DB_USER
};

}  // namespace mutt::config
