#include "sql/SeedBundle.h"

#include "sql/RuleBundleJson.h"

#include <QFile>

namespace mutt::sql {

Result<RuleBundle> loadRuleBundleFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound,
            QStringLiteral("cannot read rule bundle %1: %2; check the path").arg(path, file.errorString()));

    auto bundle = parseRuleBundleJson(file.readAll());
    if (!bundle)
        return makeError(bundle.error().code, path + QStringLiteral(": ") + bundle.error().message);
    return bundle;
}

Result<RuleBundle> loadMuttV25Seed()
{
    return loadRuleBundleFile(kMuttV25SeedResource);
}

}  // namespace mutt::sql
