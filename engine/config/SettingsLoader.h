#pragma once

#include "config/Settings.h"
#include "core/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace mutt::config {

struct SettingSpec;

enum class SettingSource { Default, File, Env, Flag };
QString settingSourceName(SettingSource source);

struct SettingsInput {
    // KEY=VALUE file (e.g. /etc/mutt/mutt.env); empty: MUTT_CONFIG_FILE from
    // the environment, or none.
    QString configFile;
    QHash<QString, QString> environment;  // usually processEnvironment()
    QHash<QString, QString> flags;  // command-line overrides keyed by variable name
    QString roleLabel = QStringLiteral("muttd");  // first part of the default POD_NAME

    static QHash<QString, QString> processEnvironment();
};

// Builds Settings from built-in defaults < config file < environment <
// command-line flags. Every variable accepts its MUTT v2.5 name(s); each
// secret NAME may instead come from the file named by NAME_FILE (content
// trimmed). All problems are collected and reported together.
class SettingsLoader final {
public:
    explicit SettingsLoader(SettingsInput input);

    // On failure the error message lists every problem, one per line, each
    // naming the variable, the value and what is accepted. Secrets of the
    // result are registered with mutt::log::addSecret.
    Result<Settings> load();

    [[nodiscard]] const QStringList &errors() const { return m_errors; }
    // Non-fatal findings, e.g. unknown names in the config file.
    [[nodiscard]] const QStringList &warnings() const { return m_warnings; }
    [[nodiscard]] SettingSource source(const QString &name) const;
    // Where a value came from, e.g. "env ALERTER_HEALTH_PORT" or "default".
    [[nodiscard]] QString origin(const QString &name) const;
    [[nodiscard]] QString configFile() const { return m_configFile; }

    // Every setting, its value and where it came from, one per line, grouped;
    // secrets appear as "set (N chars)" or "not set".
    [[nodiscard]] QString describe(const Settings &settings) const;

    // <role>-<hostname>-<pid>-<6 random hex digits>.
    static QString defaultPodName(const QString &roleLabel);
    // $XDG_DATA_HOME/mutt, else $HOME/.local/share/mutt.
    static QString defaultDataDir(const QHash<QString, QString> &environment);

private:
    struct Candidate {
        QString value;
        SettingSource source = SettingSource::Default;
        QString name;  // the variable (or NAME_FILE) that gave the value
        QString filePath;  // for NAME_FILE: the file read
    };

    void readConfigFile();
    std::optional<Candidate> find(const QStringList &names, bool secret);
    std::optional<Candidate> findIn(
        const QHash<QString, QString> &layer, SettingSource source, const QStringList &names, bool secret);
    std::optional<QString> readSecretFile(const QString &variable, const QString &path);
    // Reports a host setting that is given but empty.
    void checkEmptyHost(const QString &name, const QString &example);
    void validateTogether(const Settings &settings);
    void validateVault(const Settings &settings);
    // Reports a CA file named by `variable` that is missing, unreadable or
    // contains no PEM certificate. `fix` describes what the file should be.
    void checkCaFile(const QString &variable, const QString &path, const QString &fix);
    void registerSecrets(const Settings &settings) const;
    [[nodiscard]] QString describeLine(const SettingSpec &spec, const Settings &settings) const;

    SettingsInput m_input;
    QString m_configFile;
    QHash<QString, QString> m_fileValues;
    QHash<QString, int> m_fileLines;
    QHash<QString, Candidate> m_origins;  // by primary name
    QStringList m_errors;
    QStringList m_warnings;
};

}  // namespace mutt::config
