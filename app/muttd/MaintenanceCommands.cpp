#include "CommandSupport.h"
#include "Commands.h"
#include "StoreAccess.h"

#include "sql/SqlStore.h"

#include <QLibraryInfo>

namespace mutt::muttd {

int checkConfigCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("check-config"),
        QStringLiteral("Show every setting with its value and where it came from (default, file, "
                       "env or flag), then check them all. Secrets show only whether they are "
                       "set. Exits 1 when a setting is invalid."));
    if (const std::optional<int> done = command.parse(arguments))
        return *done;

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
    if (!settings || !command.invalidAssignments().isEmpty()) {
        for (const QString &invalid : command.invalidAssignments())
            printError(QStringLiteral("--set \"%1\" is not NAME=VALUE").arg(invalid));
        if (!settings)
            printError(settings.error().message);
        return ExitFailure;
    }
    if (settings.value().embedded) {
        const QList<QPair<QString, QString>> keys {{QStringLiteral("INGEST_API_KEY"), settings.value().ingestApiKey},
            {QStringLiteral("WEBUI_API_KEY"), settings.value().webuiApiKey}};
        for (const auto &[name, value] : keys) {
            if (value.isEmpty())
                printOut(QStringLiteral("note: %1 is not set; muttd run generates one in %2 and reuses it")
                             .arg(name, settings.value().dataDir));
        }
    }
    printOut(QStringLiteral("configuration is valid"));
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
        printError(QStringLiteral("muttd migrate: ") + stores.error().logText());
        return exitCodeFor(stores.error());
    }
    const Result<int> version = stores.value().sql().schemaVersion();
    if (!version) {
        printError(QStringLiteral("muttd migrate: ") + version.error().logText());
        return ExitFailure;
    }
    printOut(QStringLiteral("schema version %1 in %2").arg(version.value()).arg(stores.value().location()));
    return ExitOk;
}

int versionCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("version"), QStringLiteral("Print the version."));
    if (const std::optional<int> done = command.parse(arguments))
        return *done;
    printOut(QStringLiteral("muttd %1 (MUTT v2.5 compatible; Qt %2)")
                 .arg(QStringLiteral(MUTT_VERSION), QLibraryInfo::version().toString()));
    return ExitOk;
}

}  // namespace mutt::muttd
