#include "sql/PostgresSqlStore.h"

#include "core/Log.h"
#include "sql/PostgresDialect.h"
#include "sql/PostgresSchema.h"
#include "sql/SqlExec.h"
#include "sql/SqlTransaction.h"

#include <QSqlDatabase>
#include <QTimeZone>

namespace mutt::sql {
namespace {

constexpr int kMaxMonthsAhead = 120;

QDate currentMonthUtc()
{
    const QDate today = QDateTime::currentDateTimeUtc().date();
    return {today.year(), today.month(), 1};
}

QDateTime startOfDayUtc(QDate day)
{
    return QDateTime(day, QTime(0, 0), QTimeZone::utc());
}

Status validateConfig(const PostgresConfig &config)
{
    if (config.host.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("DB_HOST is empty; set the PostgreSQL host name"));
    if (config.database.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("DB_NAME is empty; set the database name"));
    if (config.user.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("DB_USER is empty; set the database user"));
    if (config.poolMinConnections < 1 || config.poolMaxConnections < config.poolMinConnections)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("DB_POOL_MIN_CONN=%1 and DB_POOL_MAX_CONN=%2: need 1 <= DB_POOL_MIN_CONN <= "
                           "DB_POOL_MAX_CONN")
                .arg(config.poolMinConnections)
                .arg(config.poolMaxConnections));
    if (config.partitionMonthsAhead < 0 || config.partitionMonthsAhead > kMaxMonthsAhead)
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("RETENTION_PRECREATE_MONTHS=%1: expected 0 to %2")
                .arg(config.partitionMonthsAhead)
                .arg(kMaxMonthsAhead));
    return {};
}

}  // namespace

PostgresSqlStore::PostgresSqlStore(const PostgresConfig &config)
    : QtSqlStore(std::make_unique<PostgresDialect>(config))
    , m_config(config)
{
    connections().setMaxConnections(config.poolMaxConnections);
}

Result<std::unique_ptr<PostgresSqlStore>> PostgresSqlStore::open(const PostgresConfig &config)
{
    const auto logger = log::get("sql");
    if (auto valid = validateConfig(config); !valid)
        return valid.error();

    std::unique_ptr<PostgresSqlStore> store(new PostgresSqlStore(config));
    if (auto connected = store->connections().database(); !connected) {
        logger->error("sql store open failed backend=postgresql location={} user={} reason=\"{}\"", config.location(),
            config.user, connected.error().logText());
        return connected.error();
    }

    logger->info("sql store opened backend=postgresql location={} user={} tls={} pool_max={}", config.location(),
        config.user, config.tlsEnabled ? (config.tlsCaCertPath.isEmpty() ? "require" : "verify-ca") : "off",
        config.poolMaxConnections);
    return store;
}

Status PostgresSqlStore::migrate()
{
    const auto logger = log::get("sql");
    auto db = connections().database();
    if (!db)
        return db.error();

    // A session lock (not a transaction one): each step commits on its own,
    // and the lock must cover all of them and the partitions.
    const QString key = QString::number(PostgresDialect::kMigrateLockKey);
    auto locked = runSql(db.value(), dialect(), QStringLiteral("SELECT pg_advisory_lock(%1)").arg(key));
    if (!locked)
        return locked.error();
    locked.value().finish();
    logger->debug("sql migration lock taken backend=postgresql location={}", m_config.location());

    Status migrated = QtSqlStore::migrate();
    if (migrated)
        migrated = ensurePartitionsOn(db.value());

    auto unlocked = runSql(db.value(), dialect(), QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(key));
    if (!unlocked)
        logger->warn("sql migration unlock failed backend=postgresql reason=\"{}\"; the lock ends with the session",
            unlocked.error().logText());
    return migrated;
}

Status PostgresSqlStore::writeEventAudit(const QList<EventAuditRow> &rows)
{
    bool due = false;
    {
        std::lock_guard lock(m_partitionMutex);
        due = m_partitionsEnsuredIn != currentMonthUtc();
    }
    if (due) {
        // A failure here is not the write's failure: the DEFAULT partition
        // takes the rows, and the next write tries again.
        if (auto ensured = ensurePartitions(); !ensured)
            log::get("sql")->warn("event audit partitions not created backend=postgresql reason=\"{}\"; rows go to "
                                  "the default partition, retrying on the next write",
                ensured.error().logText());
    }
    return QtSqlStore::writeEventAudit(rows);
}

Status PostgresSqlStore::ensurePartitions()
{
    auto db = connections().database();
    if (!db)
        return db.error();
    return ensurePartitionsOn(db.value());
}

Status PostgresSqlStore::ensureMonthPartition(QDate anyDay)
{
    auto db = connections().database();
    if (!db)
        return db.error();
    return createPartition(db.value(), anyDay);
}

Status PostgresSqlStore::ensurePartitionsOn(QSqlDatabase &db)
{
    const QDate month = currentMonthUtc();
    for (int i = 0; i <= m_config.partitionMonthsAhead; ++i) {
        if (auto created = createPartition(db, month.addMonths(i)); !created)
            return created;
    }

    std::lock_guard lock(m_partitionMutex);
    m_partitionsEnsuredIn = month;
    return {};
}

// Creates one month partition unless it exists, moving that month's rows
// out of the DEFAULT partition first (PostgreSQL rejects a new partition
// while the default one contains rows of its range). Runs under the write
// lock, so no audit row is written meanwhile.
Status PostgresSqlStore::createPartition(QSqlDatabase &db, QDate month)
{
    const MonthPartition partition = MonthPartition::of(month);
    {
        auto exists = runSql(db, dialect(), QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), {partition.name});
        if (!exists)
            return exists.error();
        if (exists.value().next() && exists.value().value(0).toBool())
            return {};
    }

    SqlTransaction transaction(db, dialect());
    if (auto begun = transaction.beginWrite(); !begun)
        return begun;

    const QVariant from = dialect().timestampParam(startOfDayUtc(partition.from));
    const QVariant to = dialect().timestampParam(startOfDayUtc(partition.to));
    const QList<std::pair<QString, QVariantList>> steps {
        {QStringLiteral("CREATE TEMP TABLE mutt_moved_audit (LIKE event_audit_log) ON COMMIT DROP"), {}},
        {QStringLiteral("WITH moved AS (DELETE FROM event_audit_log_default WHERE event_timestamp >= ? AND "
                        "event_timestamp < ? RETURNING *) INSERT INTO mutt_moved_audit SELECT * FROM moved"),
            {from, to}},
        {QStringLiteral("CREATE TABLE IF NOT EXISTS %1 PARTITION OF event_audit_log FOR VALUES FROM ('%2') TO ('%3')")
                .arg(partition.name, partition.from.toString(Qt::ISODate), partition.to.toString(Qt::ISODate)),
            {}},
        {QStringLiteral("INSERT INTO event_audit_log SELECT * FROM mutt_moved_audit"), {}},
    };
    qint64 moved = 0;
    for (const auto &[sql, params] : steps) {
        auto ran = runSql(db, dialect(), sql, params);
        if (!ran)
            return ran.error();
        if (sql.startsWith(QStringLiteral("INSERT")))
            moved = ran.value().numRowsAffected();
        ran.value().finish();
    }
    if (auto committed = transaction.commit(); !committed)
        return committed;

    log::get("sql")->info("event audit partition created backend=postgresql partition={} from={} to={} "
                          "moved_from_default={}",
        partition.name, partition.from.toString(Qt::ISODate), partition.to.toString(Qt::ISODate), moved);
    return {};
}

}  // namespace mutt::sql
