#include "connection/BackendFactory.h"

#include "backend/EmbeddedBackend.h"
#include "backend/RemoteBackend.h"
#include "config/SettingsLoader.h"
#include "runtime/Role.h"

#include <QCoreApplication>

namespace mutt::ui {
namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(BackendFactory)
};

Result<Backend *> createEmbedded(const BackendInputs &inputs, QObject *parent)
{
    config::SettingsInput input;
    input.environment = inputs.environment;
    input.roleLabel = QStringLiteral("console");
    input.flags.insert(QStringLiteral("MUTT_BACKEND"), QStringLiteral("embedded"));
    if (!inputs.profile.dataDir.isEmpty())
        input.flags.insert(QStringLiteral("MUTT_DATA_DIR"), inputs.profile.dataDir);

    config::SettingsLoader loader(std::move(input));
    Result<config::Settings> settings = loader.load();
    if (!settings.ok()) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("The embedded engine's settings are not valid. Fix them in the environment or "
                     "the config file and connect again:\n%1")
                .arg(settings.error().message));
    }

    const QList<runtime::Role> all = runtime::allRoles();
    return new EmbeddedBackend(std::move(settings).value(), QSet<runtime::Role>(all.begin(), all.end()), parent);
}

}  // namespace

Result<Backend *> createBackend(const BackendInputs &inputs, QObject *parent)
{
    if (!inputs.profile.isRemote())
        return createEmbedded(inputs, parent);

    RemoteOptions options;
    options.baseUrl = inputs.profile.url;
    options.apiKey = inputs.apiKey;
    options.caFile = inputs.profile.caFile;
    return new RemoteBackend(std::move(options), parent);
}

}  // namespace mutt::ui
