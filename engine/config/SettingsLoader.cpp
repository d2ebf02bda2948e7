#include "config/SettingsLoader.h"

#include "config/EnvFile.h"
#include "config/SettingCatalog.h"
#include "config/SettingNames.h"
#include "core/Log.h"
#include "queue/QueueNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSet>
#include <QSslCertificate>
#include <QUrl>

namespace mutt::config {
namespace {

const QString fileSuffix = QStringLiteral("_FILE");

QString randomHex(int digits)
{
    QString out;
    while (out.size() < digits)
        out += QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    return out.left(digits);
}

// Describes what is wrong with an http(s) URL setting and how to write it,
// or returns an empty string when it is usable. `example` is a valid value.
QString urlProblem(const QString &text, const QString &example)
{
    const QString fix = QStringLiteral("; give an http:// or https:// URL such as %1").arg(example);
    // Without "://", QUrl reads "127.0.0.1:8080/events" as a relative path
    // and "moog:8080/events" as the scheme "moog", so the scheme is checked
    // first, in words.
    if (!text.contains(QStringLiteral("://"))) {
        const QString trimmed = text.trimmed();
        if (trimmed.isEmpty() || trimmed.contains(u' '))
            return QStringLiteral("it must start with http:// or https://") + fix;
        return QStringLiteral("it must start with http:// or https://, so write http://%1, or https://%1 when the "
                              "server uses TLS")
            .arg(trimmed);
    }

    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        // QUrl's message for any error ends with the port it read, so only
        // a message that starts with it is about the port.
        const QString reason = url.errorString();
        if (reason.startsWith(QStringLiteral("Invalid port"), Qt::CaseInsensitive))
            return QStringLiteral("the port must be a number from 1 to 65535") + fix;
        // QUrl appends "; source was ..." and the parsed parts, which repeat
        // the value; the part before is the reason.
        const QString cause = reason.section(u';', 0, 0).trimmed();
        return QStringLiteral("it is not a valid URL: ") + cause
            + QStringLiteral(". Write a space as %20 and other reserved characters as %XX escapes") + fix;
    }
    if (url.scheme() != u"http" && url.scheme() != u"https")
        return QStringLiteral("it must start with http:// or https://, not %1://").arg(url.scheme()) + fix;
    if (url.host().isEmpty())
        return QStringLiteral("the host is missing") + fix;
    return {};
}

}  // namespace

QString settingSourceName(SettingSource source)
{
    switch (source) {
    case SettingSource::Default: return QStringLiteral("default");
    case SettingSource::File: return QStringLiteral("file");
    case SettingSource::Env: return QStringLiteral("env");
    case SettingSource::Flag: return QStringLiteral("flag");
    }
    return QStringLiteral("default");
}

QHash<QString, QString> SettingsInput::processEnvironment()
{
    QHash<QString, QString> out;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys())
        out.insert(name, environment.value(name));
    return out;
}

SettingsLoader::SettingsLoader(SettingsInput input) : m_input(std::move(input)) { }

QString SettingsLoader::defaultPodName(const QString &roleLabel)
{
    return QStringLiteral("%1-%2-%3-%4")
        .arg(roleLabel, QHostInfo::localHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(randomHex(6));
}

QString SettingsLoader::defaultDataDir(const QHash<QString, QString> &environment)
{
    const QString xdg = environment.value(QStringLiteral("XDG_DATA_HOME"));
    if (!xdg.isEmpty())
        return QDir(xdg).filePath(QStringLiteral("mutt"));
    const QString home = environment.value(QStringLiteral("HOME"), QDir::homePath());
    return QDir(home).filePath(QStringLiteral(".local/share/mutt"));
}

Result<Settings> SettingsLoader::load()
{
    m_errors.clear();
    m_warnings.clear();
    m_origins.clear();
    readConfigFile();

    Settings settings;
    settings.podName = defaultPodName(m_input.roleLabel);
    settings.dataDir = defaultDataDir(m_input.environment);

    for (const SettingSpec &spec : SettingCatalog::specs()) {
        const bool isSecret = spec.kind == SettingSpec::Kind::Secret;
        const std::optional<Candidate> candidate = find(spec.names, isSecret);
        if (!candidate)
            continue;

        m_origins.insert(spec.name(), *candidate);
        if (isSecret && !candidate->filePath.isEmpty())
            settings.secretFiles.insert(spec.name(), candidate->filePath);
        const QString expected = spec.assign(settings, candidate->value);
        if (expected.isEmpty())
            continue;
        m_errors.append(QStringLiteral("%1=\"%2\" (%3): expected %4")
                            .arg(candidate->name, candidate->value, origin(spec.name()), expected));
    }

    checkEmptyHost(QStringLiteral("REDIS_HOST"), QStringLiteral("redis.example.com or 127.0.0.1"));
    checkEmptyHost(QStringLiteral("DB_HOST"), QStringLiteral("postgres.example.com or 127.0.0.1"));
    validateTogether(settings);
    if (!m_errors.isEmpty()) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("%1 configuration error(s):\n  - %2")
                .arg(m_errors.size())
                .arg(m_errors.join(QStringLiteral("\n  - "))));
    }

    registerSecrets(settings);
    return settings;
}

void SettingsLoader::readConfigFile()
{
    m_fileValues.clear();
    m_fileLines.clear();
    m_configFile = m_input.configFile;
    if (m_configFile.isEmpty())
        m_configFile = m_input.flags.value(
            QStringLiteral("MUTT_CONFIG_FILE"), m_input.environment.value(QStringLiteral("MUTT_CONFIG_FILE")));
    if (m_configFile.isEmpty())
        return;

    const Result<EnvFileContent> content = EnvFile::read(m_configFile);
    if (!content) {
        m_errors.append(content.error().message);
        return;
    }

    for (const QString &error : content.value().errors)
        m_errors.append(QStringLiteral("config file %1 %2").arg(m_configFile, error));

    for (const EnvEntry &entry : content.value().entries) {
        m_fileValues.insert(entry.name, entry.value);
        m_fileLines.insert(entry.name, entry.line);
        if (SettingCatalog::knownUnused().contains(entry.name)) {
            m_warnings.append(QStringLiteral("config file %1 line %2: %3 is a MUTT v2.5 setting this version "
                                             "does not read; it is ignored")
                                  .arg(m_configFile)
                                  .arg(entry.line)
                                  .arg(entry.name));
        } else if (!isKnownSettingName(entry.name)) {
            const QString nearest = nearestSettingName(entry.name);
            const QString fix = nearest.isEmpty() ? QStringLiteral("check the spelling")
                                                  : QStringLiteral("did you mean %1?").arg(nearest);
            m_warnings.append(QStringLiteral("config file %1 line %2: unknown setting %3 is ignored; %4")
                                  .arg(m_configFile)
                                  .arg(entry.line)
                                  .arg(entry.name, fix));
        }
    }
}

std::optional<SettingsLoader::Candidate> SettingsLoader::find(const QStringList &names, bool secret)
{
    if (auto flag = findIn(m_input.flags, SettingSource::Flag, names, secret))
        return flag;
    if (auto env = findIn(m_input.environment, SettingSource::Env, names, secret))
        return env;
    return findIn(m_fileValues, SettingSource::File, names, secret);
}

// An empty value counts as not set (v2.5 read "" as unset), except for
// REQUIRED_FIELDS where empty turns the check off.
std::optional<SettingsLoader::Candidate> SettingsLoader::findIn(
    const QHash<QString, QString> &layer, SettingSource source, const QStringList &names, bool secret)
{
    const bool emptyAllowed = names.constFirst() == u"REQUIRED_FIELDS";
    for (const QString &name : names) {
        const auto it = layer.constFind(name);
        if (it != layer.constEnd() && (emptyAllowed || !it.value().trimmed().isEmpty()))
            return Candidate {it.value(), source, name, {}};
    }
    if (!secret)
        return std::nullopt;

    for (const QString &name : names) {
        const QString fileVariable = name + fileSuffix;
        const QString path = layer.value(fileVariable).trimmed();
        if (path.isEmpty())
            continue;
        const std::optional<QString> content = readSecretFile(fileVariable, path);
        if (!content)
            return std::nullopt;
        return Candidate {*content, source, fileVariable, path};
    }
    return std::nullopt;
}

// findIn() reads an empty value as not set, as MUTT v2.5 did. For a host,
// that would send a broken template's `REDIS_HOST=` to the default localhost
// without a word, so the value of the layer that wins must not be empty.
void SettingsLoader::checkEmptyHost(const QString &name, const QString &example)
{
    const QList<std::pair<const QHash<QString, QString> *, SettingSource>> layers {
        {&m_input.flags, SettingSource::Flag}, {&m_input.environment, SettingSource::Env},
        {&m_fileValues, SettingSource::File}};
    for (const auto &[layer, source] : layers) {
        const auto it = layer->constFind(name);
        if (it == layer->constEnd())
            continue;
        if (!it.value().trimmed().isEmpty())
            return;
        QString where = settingSourceName(source);
        if (source == SettingSource::File)
            where += QStringLiteral(" %1 line %2").arg(m_configFile).arg(m_fileLines.value(name));
        m_errors.append(QStringLiteral("%1 is set but empty (%2); give a host name or address such as %3, or "
                                       "remove the setting to use the default localhost")
                            .arg(name, where, example));
        return;
    }
}

std::optional<QString> SettingsLoader::readSecretFile(const QString &variable, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_errors.append(QStringLiteral("%1=\"%2\": cannot read the secret file: %3; check the path and that this "
                                       "user may read it")
                            .arg(variable, path, file.errorString()));
        return std::nullopt;
    }
    const QString content = QString::fromUtf8(file.readAll()).trimmed();
    if (content.isEmpty()) {
        m_errors.append(
            QStringLiteral("%1=\"%2\": the secret file is empty; write the secret into it").arg(variable, path));
        return std::nullopt;
    }
    return content;
}

void SettingsLoader::validateTogether(const Settings &settings)
{
    if (settings.tlsCertFile.isEmpty() != settings.tlsKeyFile.isEmpty())
        m_errors.append(QStringLiteral("TLS_CERT_FILE and TLS_KEY_FILE: set both to serve HTTPS, or neither"));
    for (const QString &path : {settings.tlsCertFile, settings.tlsKeyFile}) {
        if (!path.isEmpty() && !QFile::exists(path))
            m_errors.append(
                QStringLiteral("TLS file \"%1\" does not exist; check TLS_CERT_FILE/TLS_KEY_FILE").arg(path));
    }

    if (settings.alerterJanitorTimeout <= settings.alerterHeartbeatInterval)
        m_errors.append(QStringLiteral("ALERTER_JANITOR_TIMEOUT=%1 must be greater than ALERTER_HEARTBEAT_INTERVAL=%2, "
                                       "or live workers lose their heartbeat between two writes")
                            .arg(settings.alerterJanitorTimeout)
                            .arg(settings.alerterHeartbeatInterval));
    if (settings.moogJanitorTimeout <= settings.moogHeartbeatInterval)
        m_errors.append(QStringLiteral("MOOG_JANITOR_TIMEOUT=%1 must be greater than MOOG_HEARTBEAT_INTERVAL=%2")
                            .arg(settings.moogJanitorTimeout)
                            .arg(settings.moogHeartbeatInterval));
    if (settings.moogRetryMaxDelay < settings.moogRetryBaseDelay)
        m_errors.append(QStringLiteral("MOOG_RETRY_MAX_DELAY=%1 must be at least MOOG_RETRY_BASE_DELAY=%2")
                            .arg(settings.moogRetryMaxDelay)
                            .arg(settings.moogRetryBaseDelay));

    // An empty MOOG_WEBHOOK_URL is allowed: the forwarder then sends nothing.
    if (!settings.moogWebhookUrl.isEmpty()) {
        const QString problem
            = urlProblem(settings.moogWebhookUrl, QStringLiteral("https://moog.example.com/events/webhook"));
        if (!problem.isEmpty())
            m_errors.append(QStringLiteral("MOOG_WEBHOOK_URL=\"%1\" (%2): %3")
                                .arg(settings.moogWebhookUrl, origin(QStringLiteral("MOOG_WEBHOOK_URL")), problem));
    }

    if (settings.dbPoolMaxConn < settings.dbPoolMinConn)
        m_errors.append(QStringLiteral("DB_POOL_MAX_CONN=%1 must be at least DB_POOL_MIN_CONN=%2")
                            .arg(settings.dbPoolMaxConn)
                            .arg(settings.dbPoolMinConn));
    checkCaFile(QStringLiteral("DB_TLS_CA_CERT_PATH"), settings.dbTlsCaCertPath,
        QStringLiteral("give the CA certificate file of the PostgreSQL server"));
    checkCaFile(QStringLiteral("REDIS_CA_CERT_PATH"), settings.redisCaCertPath,
        QStringLiteral("give the CA certificate file of the Redis server, or leave it empty to use the system CAs"));
    checkCaFile(QStringLiteral("MOOG_CA_CERT_PATH"), settings.moogCaFile,
        QStringLiteral("give the CA certificate file that signed the certificate of MOOG_WEBHOOK_URL, or leave it "
                       "empty to use the system CAs"));

    validateVault(settings);

    // The janitor splits processing-list keys at ':' to find the pod, and
    // alerter lanes append '#N' to it.
    if (settings.podName.contains(u':') || settings.podName.contains(u' ') || settings.podName.contains(u'#'))
        m_errors.append(QStringLiteral("POD_NAME=\"%1\": a worker identity may not contain ':', '#' or spaces; use "
                                       "letters, digits, '-', '_' or '.'")
                            .arg(settings.podName));

    // Each janitor moves every list under its prefix whose worker has no
    // heartbeat under its own heartbeat prefix. So a prefix that contains the
    // other's lists would move the items of live workers of the other role.
    const QString alerterLists = settings.alerterProcessingPrefix + u':';
    const QString moogLists = settings.moogProcessingPrefix + u':';
    if (alerterLists.startsWith(moogLists) || moogLists.startsWith(alerterLists))
        m_errors.append(QStringLiteral("ALERTER_PROCESSING_LIST_PREFIX=\"%1\" and MOOG_PROCESSING_LIST_PREFIX=\"%2\" "
                                       "overlap, so the janitor of one role would take the lists of live workers "
                                       "of the other; give each role its own prefix, such as the defaults %3 and %4")
                            .arg(settings.alerterProcessingPrefix, settings.moogProcessingPrefix,
                                queue::keys::alerterProcessingPrefix, queue::keys::moogProcessingPrefix));

    if (!settings.bindAddress.isLoopback() && settings.ingestApiKey.isEmpty() && settings.vaultAddr.isEmpty())
        m_errors.append(QStringLiteral("MUTT_BIND_ADDRESS=%1 accepts connections from other hosts, but INGEST_API_KEY "
                                       "is not set: set INGEST_API_KEY (or INGEST_API_KEY_FILE), or bind to 127.0.0.1")
                            .arg(settings.bindAddress.toString()));
}

void SettingsLoader::validateVault(const Settings &settings)
{
    if (settings.vaultAddr.isEmpty())
        return;

    const QString problem = urlProblem(settings.vaultAddr, QStringLiteral("https://vault.example.com:8200"));
    if (!problem.isEmpty())
        m_errors.append(QStringLiteral("VAULT_ADDR=\"%1\" (%2): %3")
                            .arg(settings.vaultAddr, origin(QStringLiteral("VAULT_ADDR")), problem));
    if (settings.vaultRoleId.isEmpty())
        m_errors.append(QStringLiteral("VAULT_ROLE_ID is not set but VAULT_ADDR is: set the AppRole role_id, or "
                                       "unset VAULT_ADDR to take secrets from the environment and files only"));
    if (settings.vaultSecretIdFile.isEmpty())
        m_errors.append(QStringLiteral("VAULT_SECRET_ID_FILE is empty but VAULT_ADDR is set: name the file that "
                                       "holds the AppRole secret_id"));
    checkCaFile(QStringLiteral("VAULT_CACERT"), settings.vaultCaCert,
        QStringLiteral("give the PEM file of the CA that signed the Vault certificate"));
}

void SettingsLoader::checkCaFile(const QString &variable, const QString &path, const QString &fix)
{
    if (path.isEmpty())
        return;
    if (!QFile::exists(path)) {
        m_errors.append(QStringLiteral("%1=\"%2\" does not exist; %3").arg(variable, path, fix));
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_errors.append(QStringLiteral("%1=\"%2\" cannot be read (%3); make it readable by the user muttd runs as")
                            .arg(variable, path, file.errorString()));
        return;
    }
    // TLS verification loads the file as PEM; a DER file or a key gives no
    // trusted CA, and every connection then fails verification.
    if (QSslCertificate::fromDevice(&file, QSsl::Pem).isEmpty())
        m_errors.append(
            QStringLiteral("%1=\"%2\" holds no PEM certificate (-----BEGIN CERTIFICATE----- block); %3, "
                           "converted to PEM if it is DER (openssl x509 -inform der -in FILE -out FILE.pem)")
                .arg(variable, path, fix));
}

void SettingsLoader::registerSecrets(const Settings &settings) const
{
    for (const QString &secret : {settings.ingestApiKey, settings.ingestApiKeyNext, settings.webuiApiKey,
             settings.webuiApiKeyNext, settings.moogApiKey, settings.redisPassCurrent, settings.redisPassNext,
             settings.redisPass, settings.dbPassCurrent, settings.dbPassNext, settings.vaultRoleId})
        mutt::log::addSecret(secret);
}

SettingSource SettingsLoader::source(const QString &name) const
{
    const auto it = m_origins.constFind(name);
    return it == m_origins.constEnd() ? SettingSource::Default : it->source;
}

QString SettingsLoader::origin(const QString &name) const
{
    const auto it = m_origins.constFind(name);
    if (it == m_origins.constEnd())
        return settingSourceName(SettingSource::Default);

    QString text = settingSourceName(it->source);
    if (it->name != name)
        text += u' ' + it->name;
    if (it->source == SettingSource::File)
        text += QStringLiteral(" %1 line %2").arg(m_configFile).arg(m_fileLines.value(it->name));
    return text;
}

QString SettingsLoader::describe(const Settings &settings) const
{
    // Each group once, in the order of its first setting; the catalog may
    // list a group's settings apart (the Vault secrets follow [secrets]).
    QStringList groups;
    for (const SettingSpec &spec : SettingCatalog::specs()) {
        if (!groups.contains(spec.group))
            groups.append(spec.group);
    }

    QString out;
    for (const QString &group : groups) {
        out += (out.isEmpty() ? QString() : QStringLiteral("\n")) + QStringLiteral("[%1]\n").arg(group);
        for (const SettingSpec &spec : SettingCatalog::specs()) {
            if (spec.group == group)
                out += describeLine(spec, settings);
        }
    }
    return out;
}

QString SettingsLoader::describeLine(const SettingSpec &spec, const Settings &settings) const
{
    QString value = spec.show(settings);
    if (spec.kind != SettingSpec::Kind::Secret && value.isEmpty())
        value = QStringLiteral("(empty)");
    return QStringLiteral("  %1 %2 %3\n")
        .arg(spec.name().leftJustified(32), value.leftJustified(44), origin(spec.name()));
}

}  // namespace mutt::config
