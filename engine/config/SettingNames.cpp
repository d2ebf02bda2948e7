#include "config/SettingNames.h"

#include "config/SettingCatalog.h"
#include "core/NearestText.h"

#include <QHash>
#include <QSet>

namespace mutt::config {
namespace {

const QSet<QString> &knownNames()
{
    static const QSet<QString> names = [] {
        QSet<QString> out;
        for (const SettingSpec &spec : SettingCatalog::specs()) {
            for (const QString &name : spec.names) {
                out.insert(name);
                out.insert(name + QStringLiteral("_FILE"));
            }
        }
        out.insert(QStringLiteral("MUTT_CONFIG_FILE"));
        return out;
    }();
    return names;
}

}  // namespace

bool isKnownSettingName(const QString &name)
{
    return knownNames().contains(name);
}

QString nearestSettingName(const QString &name)
{
    // Names that MUTT v2.5's documents and incident runbook use but its
    // services never read, with the setting that does that job.
    static const QHash<QString, QString> documentedOnly {
        {QStringLiteral("MOOG_TIMEOUT"), QStringLiteral("MOOG_WEBHOOK_TIMEOUT")},
        {QStringLiteral("RATE_LIMIT_MAX_REQUESTS"), QStringLiteral("MOOG_RATE_LIMIT")},
        {QStringLiteral("RATE_LIMIT_WINDOW_SECONDS"), QStringLiteral("MOOG_RATE_PERIOD")},
        {QStringLiteral("RETRY_MAX_ATTEMPTS"), QStringLiteral("MOOG_MAX_RETRIES")},
        {QStringLiteral("RETRY_INITIAL_DELAY"), QStringLiteral("MOOG_RETRY_BASE_DELAY")},
        {QStringLiteral("DLQ_NAME"), QStringLiteral("MOOG_DLQ_NAME")},
        {QStringLiteral("PROCESSING_LIST_PREFIX"), QStringLiteral("MOOG_PROCESSING_LIST_PREFIX")},
        {QStringLiteral("MOOG_CB_FAILURE_THRESHOLD"), QStringLiteral("CIRCUIT_BREAKER_THRESHOLD")},
        {QStringLiteral("MOOG_CB_OPEN_SECONDS"), QStringLiteral("CIRCUIT_BREAKER_TIMEOUT")},
    };
    if (const auto known = documentedOnly.constFind(name); known != documentedOnly.constEnd())
        return known.value();

    QStringList candidates;
    for (const SettingSpec &spec : SettingCatalog::specs())
        candidates.append(spec.names);
    return nearestText(name, candidates);
}

QStringList unknownFlagErrors(const QHash<QString, QString> &flags)
{
    QStringList names;
    for (auto it = flags.constBegin(); it != flags.constEnd(); ++it) {
        if (!isKnownSettingName(it.key()))
            names.append(it.key());
    }
    names.sort();

    QStringList errors;
    for (const QString &name : names) {
        if (SettingCatalog::knownUnused().contains(name)) {
            errors.append(QStringLiteral("--set %1: %1 is a MUTT v2.5 setting this version does not read; "
                                         "remove the flag")
                              .arg(name));
            continue;
        }
        const QString nearest = nearestSettingName(name);
        const QString fix = nearest.isEmpty()
            ? QStringLiteral("check the spelling; muttd check-config lists every setting")
            : QStringLiteral("did you mean %1? muttd check-config lists every setting").arg(nearest);
        errors.append(QStringLiteral("--set %1: unknown setting %1; %2").arg(name, fix));
    }
    return errors;
}

}  // namespace mutt::config
