#include "CommandSupport.h"
#include "Commands.h"

#include "core/NearestText.h"

#include <QCoreApplication>

#include <functional>

namespace {

using mutt::muttd::ExitOk;
using mutt::muttd::ExitUsage;

struct Subcommand {
    const char *name;
    const char *summary;
    std::function<int(const QStringList &)> run;
};

const QList<Subcommand> &subcommands()
{
    static const QList<Subcommand> list {
        {"run", "run pipeline roles until SIGTERM (muttd run --role all)", mutt::muttd::runCommand},
        {"rules", "import or export the alert rules, dev hosts and teams as JSON", mutt::muttd::rulesCommand},
        {"check-config", "show every setting and where it came from, then validate", mutt::muttd::checkConfigCommand},
        {"migrate", "create or upgrade the SQL schema and the embedded stores", mutt::muttd::migrateCommand},
        {"version", "print the version", mutt::muttd::versionCommand},
        {"help", "show this overview, or the options of one command (muttd help run)", nullptr},
    };
    return list;
}

QString overview()
{
    QString text = QStringLiteral(
        "Usage: muttd COMMAND [options]\n\n"
        "MUTT event pipeline daemon: syslog and SNMP-trap events over HTTP, durable queues, alert rules,\n"
        "Moogsoft forwarding with retries, circuit breaker and DLQs. Reads the MUTT v2.5 environment\n"
        "variables; precedence is flag > environment > config file > default.\n\nCommands:\n");
    for (const Subcommand &command : subcommands())
        text += QStringLiteral("  %1 %2\n")
                    .arg(QString::fromLatin1(command.name).leftJustified(14), QString::fromLatin1(command.summary));
    text += QStringLiteral("\nRun \"muttd COMMAND --help\" for the options of a command.\n"
                           "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.");
    return text;
}

// The error for a command name that muttd does not have, with the nearest
// command name when one is close, as for a mistyped --set name.
QString unknownCommand(const QString &prefix, const QString &name)
{
    QStringList names;
    for (const Subcommand &command : subcommands())
        names.append(QString::fromLatin1(command.name));
    const QString nearest = mutt::nearestText(name, names);
    const QString hint = nearest.isEmpty() ? QString() : QStringLiteral("; did you mean %1?").arg(nearest);
    return QStringLiteral("%1: unknown command \"%2\"%3\n\n").arg(prefix, name, hint) + overview();
}

const Subcommand *findSubcommand(const QString &name)
{
    for (const Subcommand &command : subcommands()) {
        if (name == QLatin1StringView(command.name))
            return &command;
    }
    return nullptr;
}

int help(const QStringList &arguments)
{
    if (arguments.size() < 2) {
        mutt::muttd::printOut(overview());
        return ExitOk;
    }
    const Subcommand *command = findSubcommand(arguments.at(1));
    if (!command || !command->run) {
        mutt::muttd::printError(unknownCommand(QStringLiteral("muttd help"), arguments.at(1)));
        return ExitUsage;
    }
    return command->run({arguments.at(1), QStringLiteral("--help")});
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("muttd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MUTT_VERSION));

    const QStringList arguments = QCoreApplication::arguments().mid(1);
    if (arguments.isEmpty()) {
        mutt::muttd::printError(overview());
        return ExitUsage;
    }

    const QString &name = arguments.constFirst();
    if (name == u"help" || name == u"--help" || name == u"-h")
        return help(arguments);
    if (name == u"--version")
        return mutt::muttd::versionCommand({QStringLiteral("version")});

    const Subcommand *command = findSubcommand(name);
    if (!command || !command->run) {
        mutt::muttd::printError(unknownCommand(QStringLiteral("muttd"), name));
        return ExitUsage;
    }
    return command->run(arguments);
}
