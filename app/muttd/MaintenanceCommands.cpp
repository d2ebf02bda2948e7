#include "Allocator.h"
#include "CommandSupport.h"
#include "Commands.h"
#include "StoreAccess.h"

#include "MuttBuildInfo.h"

#include "config/DataDirectory.h"
#include "queue/EmbeddedLockFile.h"
#include "runtime/Role.h"
#include "runtime/RoleConfigCheck.h"
#include "sql/SqlStore.h"

#include <QDir>
#include <QLibraryInfo>

namespace mutt::muttd {
namespace {

// One line of `muttd migrate`: "queue store DIR/queue.db: upgraded from
// version 1 to 2 in 0.4 s", "... created at version 2 in 0.02 s" or
// "... already at version 2".
QString describeSchemaChange(const QString &store, const QString &location, const StoreAccess::SchemaChange &change)
{
    const QString prefix = QStringLiteral("%1 %2: ").arg(store, location);
    if (change.fromVersion == change.toVersion)
        return prefix + QStringLiteral("already at version %1").arg(change.toVersion);

    // Two decimals below 0.1 s, so a quick migration does not read as 0.0 s.
    const double seconds = double(change.elapsedMs) / 1000.0;
    const QString duration = QString::number(seconds, 'f', change.elapsedMs < 100 ? 2 : 1);
    if (change.fromVersion == 0)
        return prefix + QStringLiteral("created at version %1 in %2 s").arg(change.toVersion).arg(duration);
    return prefix
        + QStringLiteral("upgraded from version %1 to %2 in %3 s")
              .arg(change.fromVersion)
              .arg(change.toVersion)
              .arg(duration);
}

// Returns the error for a data directory whose stores another process
// has open (it keeps their lock file), naming that process and how to stop it. Returns nullopt when no
// process has them open, and the store's own error then applies.
std::optional<QString> dataDirectoryInUse(const config::Settings &settings)
{
    if (!settings.embedded)
        return std::nullopt;
    const QString directory = QDir::cleanPath(QDir(settings.dataDir).absolutePath());
    const QString queueStore = QDir(directory).filePath(config::DataDirectory::queueStoreFileName());
    const std::optional<QString> pid = queue::EmbeddedLockFile::holder(queueStore);
    if (!pid)
        return std::nullopt;

    const QString holder = pid->isEmpty() ? QStringLiteral("another muttd or mutt-console")
                                          : QStringLiteral("another muttd or mutt-console (pid %1)").arg(*pid);
    const QString stop = pid->isEmpty()
        ? QStringLiteral("Stop it first (systemctl stop mutt for the systemd unit)")
        : QStringLiteral("Stop it first (systemctl stop mutt for the systemd unit, or kill %1)").arg(*pid);
    return QStringLiteral("muttd migrate: %1 uses the data directory %2 (lock file %3.lock), and migrate must not "
                          "change the stores while it runs. %4, then run muttd migrate again.")
        .arg(holder, directory, queueStore, stop);
}

}  // namespace

int checkConfigCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("check-config"),
        QStringLiteral("Show every setting with its value and where it came from (default, file, "
                       "env or flag), then check them all, and check what muttd run needs for the "
                       "roles of --role. Secrets show only whether they are set. Exits 1 when a "
                       "setting is invalid or run would refuse to start, 2 for a bad command line."));
    const QCommandLineOption role(QStringLiteral("role"),
        QStringLiteral("Roles to check, as for muttd run: all, or a comma list of ingestor, alerter, "
                       "forwarder, remediation, api. Default: all."),
        QStringLiteral("ROLES"), QStringLiteral("all"));
    command.parser().addOption(role);
    if (const std::optional<int> done = command.parse(arguments))
        return *done;
    if (const std::optional<int> bad = command.checkAssignments())
        return *bad;
    const Result<QSet<runtime::Role>> roles = runtime::parseRoles(command.parser().value(role));
    if (!roles) {
        printError(QStringLiteral("muttd check-config: ") + roles.error().message);
        return ExitUsage;
    }

    config::SettingsInput input;
    input.configFile = command.configFile();
    input.environment = config::SettingsInput::processEnvironment();
    input.flags = command.flags();
    config::SettingsLoader loader(input);
    const Result<config::Settings> settings = loader.load();

    if (!loader.configFile().isEmpty())
        printOut(QStringLiteral("config file: ") + loader.configFile());
    if (settings)
        printOut(loader.describe(settings.value()));
    for (const QString &warning : loader.warnings())
        printOut(QStringLiteral("warning: ") + warning);
    if (!settings) {
        printError(settings.error().message);
        return ExitFailure;
    }

    runtime::RoleConfigInput review;
    review.settings = settings.value();
    review.roles = roles.value();
    review.redisTlsExplicit = loader.source(QStringLiteral("REDIS_TLS_ENABLED")) != config::SettingSource::Default;
    const runtime::RoleConfigFindings findings = runtime::checkRoleConfig(review);

    if (settings.value().embedded) {
        const QList<QPair<QString, QString>> keys {{QStringLiteral("INGEST_API_KEY"), settings.value().ingestApiKey},
            {QStringLiteral("WEBUI_API_KEY"), settings.value().webuiApiKey}};
        for (const auto &[name, value] : keys) {
            if (value.isEmpty())
                printOut(QStringLiteral("note: %1 is not set; muttd run generates one in %2 and reuses it")
                             .arg(name, settings.value().dataDir));
        }
    }
    for (const QString &note : findings.notes)
        printOut(QStringLiteral("note: ") + note);
    for (const QString &warning : findings.warnings)
        printOut(QStringLiteral("warning: ") + warning);

    QStringList roleNames;
    for (runtime::Role each : runtime::orderedRoles(roles.value()))
        roleNames.append(runtime::roleName(each));
    if (!findings.errors.isEmpty()) {
        printError(QStringLiteral("%1 configuration error(s) for the roles %2:\n  - %3")
                       .arg(findings.errors.size())
                       .arg(roleNames.join(u','), findings.errors.join(QStringLiteral("\n  - "))));
        return ExitFailure;
    }
    const qsizetype warningCount = loader.warnings().size() + findings.warnings.size();
    if (warningCount == 0)
        printOut(QStringLiteral("configuration is valid for the roles %1").arg(roleNames.join(u',')));
    else
        printOut(QStringLiteral("configuration is valid for the roles %1, with %2 warning(s) above")
                     .arg(roleNames.join(u','))
                     .arg(warningCount));
    return ExitOk;
}

int migrateCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("migrate"),
        QStringLiteral("Create or upgrade the SQL schema (rules, audit tables) and the embedded "
                       "queue store in the data directory. Safe to run again."));
    if (const std::optional<int> done = command.parse(arguments))
        return *done;
    const std::optional<LoadedSettings> loaded = loadSettings(command, {}, QStringLiteral("migrate"));
    if (!loaded)
        return ExitUsage;
    initQuietLogging(*loaded);

    Result<StoreAccess> stores = StoreAccess::open(loaded->settings);
    if (!stores) {
        if (const std::optional<QString> inUse = dataDirectoryInUse(loaded->settings)) {
            printError(*inUse);
            return ExitFailure;
        }
        printError(QStringLiteral("muttd migrate: ") + stores.error().logText());
        return exitCodeFor(stores.error());
    }
    printOut(describeSchemaChange(QStringLiteral("SQL store"), stores.value().location(), stores.value().sqlSchema()));
    if (const auto &queueSchema = stores.value().queueSchema())
        printOut(describeSchemaChange(QStringLiteral("queue store"), stores.value().queueStorePath(), *queueSchema));
    return ExitOk;
}

int versionCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("version"), QStringLiteral("Print the version."));
    if (const std::optional<int> done = command.parse(arguments))
        return *done;
    if (const std::optional<int> bad = command.checkAssignments())
        return *bad;
    printOut(QStringLiteral("muttd %1 (commit %2; MUTT v2.5 compatible; Qt %3; %4)")
                 .arg(QStringLiteral(MUTT_VERSION), QStringLiteral(MUTT_GIT_COMMIT), QLibraryInfo::version().toString(),
                     allocatorDescription()));
    return ExitOk;
}

}  // namespace mutt::muttd
