#include "queue/EmbeddedStoreOptions.h"

namespace mutt::queue {

std::optional<EmbeddedSync> EmbeddedStoreOptions::syncFromName(const QString &name)
{
    const QString lowered = name.trimmed().toLower();
    if (lowered == u"full")
        return EmbeddedSync::Full;
    if (lowered == u"normal")
        return EmbeddedSync::Normal;
    return std::nullopt;
}

QString EmbeddedStoreOptions::syncName(EmbeddedSync sync)
{
    return sync == EmbeddedSync::Full ? QStringLiteral("full") : QStringLiteral("normal");
}

}  // namespace mutt::queue
