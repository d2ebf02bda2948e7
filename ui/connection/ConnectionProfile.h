#pragma once

#include <QColor>
#include <QString>
#include <QUrl>

#include <optional>

namespace mutt::ui {

// A connection target of the console: the engine in this process, or a muttd
// api role. The remote API key is not part of the profile because it lives in
// the OS keychain.
struct ConnectionProfile {
    enum class Kind { Embedded, Remote };

    QString name;
    Kind kind = Kind::Embedded;
    QString dataDir;  // Embedded: MUTT_DATA_DIR; empty: the default data folder
    QUrl url;  // Remote: the api role, e.g. https://mutt.example.com:8090
    QString caFile;  // Remote: PEM CA that signed the daemon's certificate; empty: system CAs
    QString environment;  // label shown in the window, e.g. "lab", "staging", "production"
    QColor colour;  // colour of the environment label; production is always red

    [[nodiscard]] bool isRemote() const { return kind == Kind::Remote; }
    // Production profiles open read-only until the operator unlocks changes.
    [[nodiscard]] bool isProduction() const;
    [[nodiscard]] QColor effectiveColour() const;
    // The problem that keeps this profile from being saved or used, as a
    // sentence naming the field; nullopt when it is complete.
    [[nodiscard]] std::optional<QString> validate() const;

    static ConnectionProfile defaultEmbedded();
};

}  // namespace mutt::ui
