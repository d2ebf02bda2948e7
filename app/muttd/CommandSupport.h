#pragma once

#include "config/Settings.h"
#include "config/SettingsLoader.h"
#include "core/Result.h"

#include <QCommandLineParser>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace mutt::muttd {

// Process exit codes of every subcommand.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,  // the work itself failed (store, port, file)
    ExitUsage = 2,  // bad command line or configuration
};

void printOut(const QString &text);
void printError(const QString &text);

// A subcommand's parser with the options every subcommand shares:
// --config, --data-dir, --set, --log-level, --help.
class CommandParser final {
public:
    CommandParser(QString command, QString description);

    QCommandLineParser &parser() { return m_parser; }

    // Parses; on a usage error prints it and returns ExitUsage; on --help
    // prints the help and returns ExitOk; otherwise nullopt (go on).
    std::optional<int> parse(const QStringList &arguments);

    [[nodiscard]] QString helpText() const;
    // Variable name -> value for the loader, from the shared options.
    [[nodiscard]] QHash<QString, QString> flags() const;
    // --set values without NAME=.
    [[nodiscard]] QStringList invalidAssignments() const;
    // Prints an error for each --set that is not NAME=VALUE or names no
    // setting, and returns ExitUsage if there was one; else nullopt.
    [[nodiscard]] std::optional<int> checkAssignments() const;
    [[nodiscard]] QString configFile() const;

private:
    QString m_command;
    QCommandLineParser m_parser;
    QCommandLineOption m_config;
    QCommandLineOption m_dataDir;
    QCommandLineOption m_set;
    QCommandLineOption m_logLevel;
    QCommandLineOption m_help;
};

// Settings from defaults, the config file, the environment and `flags`.
// On failure prints every problem and returns nullopt (exit with ExitUsage).
struct LoadedSettings {
    config::Settings settings;
    std::shared_ptr<config::SettingsLoader> loader;
};
std::optional<LoadedSettings> loadSettings(
    const CommandParser &command, const QHash<QString, QString> &extraFlags, const QString &roleLabel);

// mutt::log::init from the settings plus the Qt message handler.
void initLogging(const config::Settings &settings);
// For one-shot commands: as initLogging, but at "warn" unless LOG_LEVEL or
// --log-level was given, so the command's own output stays readable.
void initQuietLogging(const LoadedSettings &loaded);

int exitCodeFor(const Error &error);

}  // namespace mutt::muttd
