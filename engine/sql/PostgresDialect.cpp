#include "sql/PostgresDialect.h"

#include "core/Log.h"
#include "sql/EventAuditTable.h"
#include "sql/PostgresSchema.h"
#include "sql/SqlExec.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QTimeZone>

namespace mutt::sql {
namespace {

// SQLSTATE classes and codes (PostgreSQL "Errors and Messages" appendix).
constexpr QLatin1StringView kIntegrityClass("23");
constexpr QLatin1StringView kDataClass("22");
constexpr QLatin1StringView kStringTooLong("22001");
constexpr QLatin1StringView kNumericOutOfRange("22003");
constexpr QLatin1StringView kInvalidDatetimeFormat("22007");
constexpr QLatin1StringView kDatetimeFieldOverflow("22008");
constexpr QLatin1StringView kInvalidByteSequence("22021");
constexpr QLatin1StringView kInvalidTextRepresentation("22P02");
constexpr QLatin1StringView kUntranslatableCharacter("22P05");
constexpr QLatin1StringView kLockNotAvailable("55P03");
constexpr QLatin1StringView kQueryCanceled("57014");
constexpr QLatin1StringView kSerializationFailure("40001");
constexpr QLatin1StringView kDeadlockDetected("40P01");

}  // namespace

PostgresDialect::PostgresDialect(PostgresConfig config) : m_config(std::move(config)) { }

QString PostgresDialect::name() const
{
    return QStringLiteral("postgresql");
}

QString PostgresDialect::driverName() const
{
    return QStringLiteral("QPSQL");
}

QString PostgresDialect::connectOptions() const
{
    QStringList options {QStringLiteral("connect_timeout=%1").arg(m_config.connectTimeoutSeconds),
        QStringLiteral("application_name=%1").arg(m_config.applicationName)};
    if (!m_config.tlsEnabled)
        return options.join(QLatin1Char(';'));

    if (m_config.tlsCaCertPath.isEmpty()) {
        options.append(QStringLiteral("sslmode=require"));
    } else {
        options.append(QStringLiteral("sslmode=verify-ca"));
        options.append(QStringLiteral("sslrootcert=%1").arg(m_config.tlsCaCertPath));
    }
    return options.join(QLatin1Char(';'));
}

Status PostgresDialect::openConnection(QSqlDatabase &db) const
{
    db.setHostName(m_config.host);
    db.setPort(m_config.port);
    db.setDatabaseName(m_config.database);
    db.setUserName(m_config.user);
    db.setConnectOptions(connectOptions());

    // An empty candidate list still tries once: trust or certificate
    // authentication needs no password.
    QStringList candidates = m_config.passwords ? m_config.passwords() : QStringList {};
    candidates.removeAll(QString());
    if (candidates.isEmpty())
        candidates.append(QString());

    QString lastError;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        db.setPassword(candidates.at(i));
        if (db.open()) {
            db.setPassword(QString());
            if (i > 0)
                log::get("sql")->info("postgresql connected with the next password location={} user={} "
                                      "password_index={}",
                    m_config.location(), m_config.user, i);
            return applySessionSettings(db);
        }
        lastError = db.lastError().text().trimmed();
        db.close();
    }
    db.setPassword(QString());
    return connectError(m_config, candidates.size(), lastError);
}

Error PostgresDialect::connectError(const PostgresConfig &config, qsizetype passwordsTried, const QString &lastError)
{
    // libpq's texts when nothing listens on the port, when the server is
    // stopping or starting, and when no response came within connect_timeout.
    // Passwords play no part in these.
    static const QLatin1StringView notAccepting[] {QLatin1StringView("Connection refused"),
        QLatin1StringView("the database system is shutting down"),
        QLatin1StringView("the database system is starting up"),
        QLatin1StringView("the database system is in recovery mode"), QLatin1StringView("timeout expired")};
    for (const QLatin1StringView text : notAccepting) {
        if (lastError.contains(text)) {
            return makeError(ErrorCode::Unavailable,
                QStringLiteral("PostgreSQL %1 is not accepting connections (%2); muttd keeps reconnecting. If the "
                               "server is running, check DB_HOST and DB_PORT")
                    .arg(config.location(), text),
                lastError);
        }
    }

    QString message = QStringLiteral("cannot connect to PostgreSQL %1 as user %2 (tried %3 password(s))")
                          .arg(config.location(), config.user)
                          .arg(passwordsTried);
    if (lastError.contains(QLatin1StringView("certificate verify failed")))
        message += QStringLiteral(": its TLS certificate is not signed by the CA in DB_TLS_CA_CERT_PATH (%1); set "
                                  "DB_TLS_CA_CERT_PATH to the CA that signed the server's certificate")
                       .arg(config.tlsCaCertPath);
    else if (lastError.contains(QLatin1StringView("does not support SSL")))
        message += QStringLiteral(": the server does not accept TLS; turn on ssl in postgresql.conf or set "
                                  "DB_TLS_ENABLED=false");
    else
        message += QStringLiteral("; check DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS_CURRENT/DB_PASS_NEXT and "
                                  "DB_TLS_ENABLED");
    return makeError(ErrorCode::Unavailable, message, lastError);
}

Status PostgresDialect::applySessionSettings(QSqlDatabase &db) const
{
    // UTC so that month partition bounds and timestamps read back do not
    // depend on the server's time zone. Warnings only, because libpq prints
    // notices (IF NOT EXISTS skips) to stderr.
    const QStringList statements {QStringLiteral("SET TIME ZONE 'UTC'"),
        QStringLiteral("SET client_min_messages = warning"),
        QStringLiteral("SET lock_timeout = %1").arg(kLockTimeout.count())};
    for (const QString &statement : statements) {
        auto applied = runSql(db, *this, statement);
        if (!applied)
            return applied.error();
    }
    return {};
}

QString PostgresDialect::beginWriteSql() const
{
    // Two statements in one simple-query round trip (runSql sends
    // statements without parameters unprepared).
    return QStringLiteral("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(%1)").arg(kWriteLockKey);
}

QString PostgresDialect::beginReadSql() const
{
    return QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

QList<SqlMigration> PostgresDialect::migrations() const
{
    return postgresMigrations();
}

QString PostgresDialect::migrationsTableSql() const
{
    return QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY,"
                          " name VARCHAR(100) NOT NULL,"
                          " applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())");
}

QVariant PostgresDialect::timestampParam(const QDateTime &utc) const
{
    return utc.toUTC();
}

QDateTime PostgresDialect::timestampValue(const QVariant &value) const
{
    if (value.isNull())
        return {};
    QDateTime parsed = value.metaType() == QMetaType::fromType<QDateTime>()
        ? value.toDateTime()
        : QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : parsed;
}

QString PostgresDialect::jsonPlaceholder() const
{
    return QStringLiteral("CAST(? AS JSONB)");
}

QString PostgresDialect::eventAuditConflictClause() const
{
    // The idempotency key is UNIQUE (correlation_id, event_timestamp),
    // because a unique index on a partitioned table must contain the
    // partition key. A retried event keeps its timestamp (it comes from the
    // queued event itself), so the pair identifies the retry. Rows without a correlation id (NULL) never conflict.
    return QStringLiteral("ON CONFLICT (correlation_id, event_timestamp) DO NOTHING");
}

Result<qint64> PostgresDialect::insertEventAudit(QSqlDatabase &db, const QList<EventAuditRow> &rows) const
{
    // One round trip per statement, so as many rows as fit well.
    return EventAuditTable::insertInChunks(db, *this, rows, 100);
}

Status PostgresDialect::syncRuleIdSequence(QSqlDatabase &db) const
{
    // Next id = largest id + 1, or 1 for an empty table.
    auto synced = runSql(db, *this,
        QStringLiteral("SELECT setval(pg_get_serial_sequence('alert_rules', 'id'), "
                       "COALESCE((SELECT MAX(id) FROM alert_rules), 1), "
                       "(SELECT COUNT(*) > 0 FROM alert_rules))"));
    if (!synced)
        return synced.error();
    return {};
}

ErrorCode PostgresDialect::classify(const QSqlError &error) const
{
    const QString state = error.nativeErrorCode();
    // Class 22 (data exception): the value does not fit its column, e.g. a
    // string too long (22001), text that is not a number (22P02) or bytes
    // that are not UTF-8 (22021). Sending it again cannot succeed.
    if (state.startsWith(kDataClass))
        return ErrorCode::InvalidInput;
    if (state.startsWith(kIntegrityClass))
        return ErrorCode::Conflict;
    if (state == kLockNotAvailable || state == kQueryCanceled || state == kSerializationFailure
        || state == kDeadlockDetected)
        return ErrorCode::Timeout;
    return ErrorCode::Unavailable;
}

QString PostgresDialect::describe(const QSqlError &error, ErrorCode code) const
{
    if (code != ErrorCode::InvalidInput)
        return storeErrorSentence(QStringLiteral("PostgreSQL"), code);

    const QString state = error.nativeErrorCode();
    if (state == kStringTooLong)
        return QStringLiteral("a text value is longer than its column allows; shorten it");
    if (state == kInvalidTextRepresentation)
        return QStringLiteral("a value is not in the form its column expects (for example text where a number "
                              "belongs); send a value of the column's type");
    if (state == kInvalidByteSequence || state == kUntranslatableCharacter)
        return QStringLiteral("a text value is not valid UTF-8 or holds a NUL character; send valid Unicode text");
    if (state == kNumericOutOfRange)
        return QStringLiteral("a number is out of range for its column; send a smaller number");
    if (state == kDatetimeFieldOverflow || state == kInvalidDatetimeFormat)
        return QStringLiteral("a date or time value is invalid or out of range; send an RFC 3339 timestamp "
                              "between the years 1 and 9999");
    return QStringLiteral("a value is not valid for its column; check the values sent");
}

}  // namespace mutt::sql
