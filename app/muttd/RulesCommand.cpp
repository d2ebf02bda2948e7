#include "CommandSupport.h"
#include "Commands.h"
#include "StoreAccess.h"

#include "sql/RuleBundleJson.h"
#include "sql/RuleValidation.h"
#include "sql/SqlStore.h"

#include <QFile>
#include <QUuid>

#include <algorithm>

#include <cstdio>

namespace mutt::muttd {
namespace {

struct ImportOptions {
    QString path;
    QString reason;
    bool allowEmpty = false;
};

int importRules(const config::Settings &settings, const ImportOptions &options)
{
    const QString &path = options.path;
    const QString &reason = options.reason;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("muttd rules import: cannot read %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    const Result<sql::RuleBundle> bundle = sql::parseRuleBundleJson(file.readAll());
    if (!bundle) {
        printError(QStringLiteral("muttd rules import: %1: %2").arg(path, bundle.error().message));
        return ExitUsage;
    }
    if (bundle.value().rules.isEmpty() && !options.allowEmpty) {
        printError(QStringLiteral("muttd rules import: %1 has no rules, and importing it would delete every rule, "
                                  "so no event would be forwarded; give --allow-empty to import it anyway")
                       .arg(path));
        return ExitUsage;
    }
    QStringList withoutId;
    for (qsizetype i = 0; i < bundle.value().rules.size(); ++i) {
        const QString where = QStringLiteral("rules[%1].").arg(i);
        for (const QString &warning : sql::handlingWarnings(bundle.value().rules.at(i), where))
            printError(QStringLiteral("muttd rules import: warning: %1: %2").arg(path, warning));
        if (bundle.value().rules.at(i).id == 0)
            withoutId.append(QStringLiteral("rules[%1]").arg(i));
    }
    if (!withoutId.isEmpty()) {
        const qsizetype listed = std::min<qsizetype>(withoutId.size(), 10);
        const QString names = QStringList(withoutId.mid(0, listed)).join(QStringLiteral(", "))
            + (withoutId.size() > listed ? QStringLiteral(" and %1 more").arg(withoutId.size() - listed) : QString());
        printError(
            QStringLiteral("muttd rules import: note: %1: %2 without an id get new ids above all others (%3); "
                           "the alert signature sent to Moogsoft (hostname::rule_id) contains the id, so give "
                           "each rule its id to keep signatures stable")
                .arg(path,
                    withoutId.size() == 1 ? QStringLiteral("1 rule") : QStringLiteral("%1 rules").arg(withoutId.size()),
                    names));
    }

    Result<StoreAccess> stores = StoreAccess::open(settings, StoreAccess::Scope::SqlOnly);
    if (!stores) {
        printError(QStringLiteral("muttd rules import: ") + stores.error().logText());
        return exitCodeFor(stores.error());
    }

    sql::AuditContext audit;
    audit.changedBy = QStringLiteral("muttd rules import");
    audit.reason = reason.isEmpty() ? QStringLiteral("imported from %1").arg(path) : reason;
    audit.correlationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (const Status imported = stores.value().sql().importBundle(bundle.value(), audit); !imported) {
        printError(QStringLiteral("muttd rules import: %1: %2").arg(path, imported.error().logText()));
        return exitCodeFor(imported.error());
    }

    printOut(QStringLiteral("imported %1 rules, %2 dev hosts, %3 team assignments from %4 into %5\n"
                            "Running alerters load them within about 2 s.")
                 .arg(bundle.value().rules.size())
                 .arg(bundle.value().devHosts.size())
                 .arg(bundle.value().teams.size())
                 .arg(path, stores.value().location()));
    return ExitOk;
}

int exportRules(const config::Settings &settings, const QString &path)
{
    Result<StoreAccess> stores
        = StoreAccess::open(settings, StoreAccess::Scope::SqlOnly, StoreAccess::Creation::ExistingOnly);
    if (!stores) {
        printError(QStringLiteral("muttd rules export: ") + stores.error().logText());
        return exitCodeFor(stores.error());
    }
    const Result<sql::RuleBundle> bundle = stores.value().sql().exportBundle();
    if (!bundle) {
        printError(QStringLiteral("muttd rules export: ") + bundle.error().logText());
        return ExitFailure;
    }
    const QByteArray json = sql::ruleBundleToJson(bundle.value());

    if (path.isEmpty() || path == u"-") {
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        return ExitOk;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
        printError(QStringLiteral("muttd rules export: cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    printError(QStringLiteral("exported %1 rules, %2 dev hosts, %3 team assignments to %4")
                   .arg(bundle.value().rules.size())
                   .arg(bundle.value().devHosts.size())
                   .arg(bundle.value().teams.size())
                   .arg(path));
    return ExitOk;
}

}  // namespace

int rulesCommand(const QStringList &arguments)
{
    CommandParser command(QStringLiteral("rules"),
        QStringLiteral("muttd rules import FILE   replace all rules, dev hosts and teams with the JSON bundle "
                       "in FILE (audited as \"muttd rules import\")\n"
                       "muttd rules export [FILE] write them as JSON to FILE, or to standard output\n\n"
                       "Bundle: {\"rules\":[alert_rules rows], \"dev_hosts\":[hostnames], "
                       "\"teams\":{hostname: team}}."));
    const QCommandLineOption reason(QStringLiteral("reason"),
        QStringLiteral("Reason written to the config audit log (text)."), QStringLiteral("TEXT"));
    const QCommandLineOption allowEmpty(QStringLiteral("allow-empty"),
        QStringLiteral("Import a bundle with no rules, which deletes every rule (import is refused without it)."));
    command.parser().addOptions({reason, allowEmpty});
    command.parser().addPositionalArgument(QStringLiteral("action"), QStringLiteral("import or export"));
    command.parser().addPositionalArgument(
        QStringLiteral("file"), QStringLiteral("bundle file (path)"), QStringLiteral("[FILE]"));
    if (const std::optional<int> done = command.parse(arguments))
        return *done;

    const QStringList positional = command.parser().positionalArguments();
    const QString action = positional.value(0);
    const bool isImport = action == u"import";
    if ((!isImport && action != u"export") || (isImport && positional.size() != 2) || positional.size() > 2) {
        printError(
            QStringLiteral("usage: muttd rules import FILE | muttd rules export [FILE]; see muttd rules --help"));
        return ExitUsage;
    }

    const std::optional<LoadedSettings> loaded = loadSettings(command, {}, QStringLiteral("rules"));
    if (!loaded)
        return ExitUsage;
    initQuietLogging(*loaded);

    if (isImport)
        return importRules(loaded->settings,
            ImportOptions {positional.at(1), command.parser().value(reason), command.parser().isSet(allowEmpty)});
    return exportRules(loaded->settings, positional.value(1));
}

}  // namespace mutt::muttd
