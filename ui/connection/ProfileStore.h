#pragma once

#include "connection/ConnectionProfile.h"

#include <QSettings>
#include <QStringList>

#include <memory>
#include <optional>

namespace mutt::ui {

// Connection profiles in QSettings, under "profiles/<name>/…". Never holds an
// API key.
class ProfileStore final {
public:
    // Takes the settings to use; nullptr: the application's QSettings.
    explicit ProfileStore(std::unique_ptr<QSettings> settings = nullptr);
    ~ProfileStore();
    Q_DISABLE_COPY_MOVE(ProfileStore)

    [[nodiscard]] QStringList names() const;
    [[nodiscard]] std::optional<ConnectionProfile> load(const QString &name) const;
    void save(const ConnectionProfile &profile);
    void remove(const QString &name);

    [[nodiscard]] QString lastUsed() const;
    void setLastUsed(const QString &name);

    // The profile to open without asking: the last one used, else the
    // default embedded profile (saved on first start).
    ConnectionProfile startupProfile();

private:
    std::unique_ptr<QSettings> m_settings;
};

}  // namespace mutt::ui
