#include "CommandSupport.h"
#include "Commands.h"
#include "Daemon.h"

#include "runtime/Role.h"

namespace mutt::muttd {

int runCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("run"),
        QStringLiteral("Run pipeline roles in this process until SIGTERM or SIGINT (SIGHUP reloads "
                       "rules and reopens the log).\nPrints the listening URLs and, when the "
                       "ingest API key was generated, the key and the file that keeps it."));
    const QCommandLineOption role(QStringLiteral("role"),
        QStringLiteral("Roles to run: all, or a comma list of ingestor, alerter, forwarder, remediation, api. "
                       "Default: all."),
        QStringLiteral("ROLES"), QStringLiteral("all"));
    const QCommandLineOption embedded(QStringLiteral("embedded"),
        QStringLiteral("Use the embedded stores in the data directory (the default; same as MUTT_BACKEND=embedded)."));
    const QCommandLineOption singlePort(QStringLiteral("single-port"),
        QStringLiteral("Serve every role on the api port (SERVER_PORT_WEBUI, a TCP port number, default 8090) "
                       "instead of one port per role."));
    const QCommandLineOption bind(QStringLiteral("bind"),
        QStringLiteral("IP address to listen on (MUTT_BIND_ADDRESS; default 127.0.0.1). Any other than loopback "
                       "requires INGEST_API_KEY."),
        QStringLiteral("ADDR"));
    const QCommandLineOption podName(QStringLiteral("pod-name"),
        QStringLiteral("Worker identity (POD_NAME): names this process's processing lists and heartbeats, so it "
                       "must be unique per process and contain no ':'. Default: <roles>-<hostname>-<pid>-<random>."),
        QStringLiteral("NAME"));
    command.parser().addOptions({role, embedded, singlePort, bind, podName});
    if (const std::optional<int> done = command.parse(arguments))
        return *done;
    if (!command.parser().positionalArguments().isEmpty()) {
        printError(QStringLiteral("muttd run: unexpected argument \"%1\"; see muttd run --help")
                       .arg(command.parser().positionalArguments().constFirst()));
        return ExitUsage;
    }

    const Result<QSet<runtime::Role>> roles = runtime::parseRoles(command.parser().value(role));
    if (!roles) {
        printError(QStringLiteral("muttd run: ") + roles.error().message);
        return ExitUsage;
    }

    QHash<QString, QString> flags;
    if (command.parser().isSet(embedded))
        flags.insert(QStringLiteral("MUTT_BACKEND"), QStringLiteral("embedded"));
    if (command.parser().isSet(singlePort))
        flags.insert(QStringLiteral("MUTT_SINGLE_PORT"), QStringLiteral("true"));
    if (command.parser().isSet(podName))
        flags.insert(QStringLiteral("POD_NAME"), command.parser().value(podName));
    if (command.parser().isSet(bind))
        flags.insert(QStringLiteral("MUTT_BIND_ADDRESS"), command.parser().value(bind));

    // The default POD_NAME starts with the role set, e.g. alerter+forwarder-host-4242-1a2b3c.
    QStringList roleNames;
    for (runtime::Role each : runtime::orderedRoles(roles.value()))
        roleNames.append(runtime::roleName(each));
    const QString roleLabel
        = roles.value().size() == runtime::allRoles().size() ? QStringLiteral("all") : roleNames.join(u'+');
    const std::optional<LoadedSettings> loaded = loadSettings(command, flags, roleLabel);
    if (!loaded)
        return ExitUsage;

    initLogging(loaded->settings);
    Daemon daemon(loaded->settings, roles.value());
    return daemon.exec();
}

}  // namespace mutt::muttd
