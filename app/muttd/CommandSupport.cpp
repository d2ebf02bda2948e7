#include "CommandSupport.h"

#include "config/SettingNames.h"
#include "core/Log.h"
#include "runtime/Engine.h"

#include <QTextStream>

#include <cstdio>

namespace mutt::muttd {

void printOut(const QString &text)
{
    QTextStream out(stdout);
    out << text << (text.endsWith(u'\n') ? "" : "\n");
}

void printError(const QString &text)
{
    QTextStream err(stderr);
    err << text << (text.endsWith(u'\n') ? "" : "\n");
}

CommandParser::CommandParser(QString command, QString description)
    : m_command(std::move(command))
    , m_config(QStringList {QStringLiteral("c"), QStringLiteral("config")},
          QStringLiteral("Read KEY=VALUE settings from FILE (path; e.g. /etc/mutt/mutt.env). The environment "
                         "and flags override it. Default: $MUTT_CONFIG_FILE, else none."),
          QStringLiteral("FILE"))
    , m_dataDir(QStringLiteral("data-dir"),
          QStringLiteral("Folder (path) of the embedded stores and generated API keys; created with mode "
                         "0700. Default: $MUTT_DATA_DIR, else $XDG_DATA_HOME/mutt or ~/.local/share/mutt."),
          QStringLiteral("DIR"))
    , m_set(QStringLiteral("set"),
          QStringLiteral("Override one setting by its variable name, e.g. --set SERVER_PORT_INGESTOR=18080 "
                         "(units as in the variable: ports are numbers, *_INTERVAL/*_TIMEOUT are seconds). "
                         "Repeatable; wins over the environment."),
          QStringLiteral("NAME=VALUE"))
    , m_logLevel(QStringLiteral("log-level"), QStringLiteral("Log level: %1 (LOG_LEVEL).").arg(log::levelNames()),
          QStringLiteral("LEVEL"))
    , m_help(QStringList {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."))
{
    m_parser.setApplicationDescription(description);
    m_parser.addOptions({m_config, m_dataDir, m_set, m_logLevel, m_help});
}

std::optional<int> CommandParser::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments)) {
        printError(QStringLiteral("muttd %1: %2\nRun \"muttd %1 --help\" for the options.")
                       .arg(m_command, m_parser.errorText()));
        return ExitUsage;
    }
    if (m_parser.isSet(m_help)) {
        printOut(helpText());
        return ExitOk;
    }
    return std::nullopt;
}

QString CommandParser::helpText() const
{
    // QCommandLineParser names the program after argv[0]; show the subcommand.
    QString text = m_parser.helpText();
    const qsizetype usage = text.indexOf(QStringLiteral("Usage: "));
    if (usage >= 0) {
        const qsizetype end = text.indexOf(u' ', usage + 7);
        text.replace(usage + 7, end - usage - 7, QStringLiteral("muttd ") + m_command);
    }
    return text;
}

QHash<QString, QString> CommandParser::flags() const
{
    QHash<QString, QString> flags;
    for (const QString &assignment : m_parser.values(m_set)) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals > 0)
            flags.insert(assignment.left(equals).trimmed(), assignment.mid(equals + 1));
    }
    if (m_parser.isSet(m_dataDir))
        flags.insert(QStringLiteral("MUTT_DATA_DIR"), m_parser.value(m_dataDir));
    if (m_parser.isSet(m_logLevel))
        flags.insert(QStringLiteral("LOG_LEVEL"), m_parser.value(m_logLevel));
    return flags;
}

QStringList CommandParser::invalidAssignments() const
{
    QStringList invalid;
    for (const QString &assignment : m_parser.values(m_set)) {
        if (assignment.indexOf(u'=') <= 0)
            invalid.append(assignment);
    }
    return invalid;
}

std::optional<int> CommandParser::checkAssignments() const
{
    const QStringList invalid = invalidAssignments();
    for (const QString &assignment : invalid) {
        printError(QStringLiteral("muttd %1: --set \"%2\" is not NAME=VALUE; write it as --set NAME=VALUE, "
                                  "for example --set SERVER_PORT_INGESTOR=18080")
                       .arg(m_command, assignment));
    }

    QHash<QString, QString> assigned;
    for (const QString &assignment : m_parser.values(m_set)) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals > 0)
            assigned.insert(assignment.left(equals).trimmed(), assignment.mid(equals + 1));
    }
    const QStringList unknown = config::unknownFlagErrors(assigned);
    for (const QString &error : unknown)
        printError(QStringLiteral("muttd %1: %2").arg(m_command, error));

    if (invalid.isEmpty() && unknown.isEmpty())
        return std::nullopt;
    return ExitUsage;
}

QString CommandParser::configFile() const
{
    return m_parser.value(m_config);
}

std::optional<LoadedSettings> loadSettings(
    const CommandParser &command, const QHash<QString, QString> &extraFlags, const QString &roleLabel)
{
    config::SettingsInput input;
    input.configFile = command.configFile();
    input.environment = config::SettingsInput::processEnvironment();
    input.flags = command.flags();
    input.flags.insert(extraFlags);
    input.roleLabel = roleLabel;

    if (command.checkAssignments())
        return std::nullopt;

    auto loader = std::make_shared<config::SettingsLoader>(input);
    Result<config::Settings> settings = loader->load();
    for (const QString &warning : loader->warnings())
        printError(QStringLiteral("muttd: warning: ") + warning);
    if (!settings) {
        printError(QStringLiteral("muttd: ") + settings.error().message);
        return std::nullopt;
    }
    return LoadedSettings {settings.value(), loader};
}

void initLogging(const config::Settings &settings)
{
    mutt::log::init(runtime::Engine::logOptions(settings));
    mutt::log::installQtMessageHandler();
}

void initQuietLogging(const LoadedSettings &loaded)
{
    config::Settings settings = loaded.settings;
    if (loaded.loader->source(QStringLiteral("LOG_LEVEL")) == config::SettingSource::Default)
        settings.logLevel = QStringLiteral("warn");
    initLogging(settings);
}

int exitCodeFor(const Error &error)
{
    return error.code == ErrorCode::InvalidInput ? ExitUsage : ExitFailure;
}

}  // namespace mutt::muttd
