#include "ConsoleOptions.h"

#include "connection/ProfileStore.h"
#include "core/Log.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <utility>

namespace mutt::ui {
namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(ConsoleOptions)
};

}  // namespace

Result<ConsoleOptions> ConsoleOptions::parse(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Text::tr("Operations console for the MUTT event pipeline.\n\nExit codes: 0 ok, 1 runtime failure (such as "
                 "a failed --screenshot), 2 usage error (an unknown option or a bad value) or no display."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(
        QStringLiteral("profile"), Text::tr("Open the saved connection profile NAME."), QStringLiteral("NAME"));
    const QCommandLineOption embedded(QStringLiteral("embedded"), Text::tr("Run the engine in this process."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
        Text::tr("Data folder of the embedded engine (implies --embedded)."), QStringLiteral("DIR"));
    const QCommandLineOption remote(QStringLiteral("remote"),
        Text::tr("Attach to the muttd api role at URL; the API key comes from "
                 "WEBUI_API_KEY or is asked for."),
        QStringLiteral("URL"));
    const QCommandLineOption caFile(
        QStringLiteral("ca-file"), Text::tr("CA certificate (PEM) for --remote."), QStringLiteral("FILE"));
    const QCommandLineOption view(
        QStringLiteral("view"), Text::tr("Show view NAME first: overview or queues."), QStringLiteral("NAME"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"), Text::tr("Save the main window to FILE (PNG) and quit."), QStringLiteral("FILE"));
    const QCommandLineOption after(QStringLiteral("screenshot-after"),
        Text::tr("Seconds to wait before --screenshot (default 3)."), QStringLiteral("SECONDS"), QStringLiteral("3"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
        Text::tr("Log level: %1 (default info).").arg(log::levelNames()), QStringLiteral("LEVEL"),
        QStringLiteral("info"));
    const QCommandLineOption stallLog(QStringLiteral("stall-log"),
        Text::tr("Measure how long the GUI thread is blocked (a 10 ms timer) and write the longest stall and "
                 "the count of stalls over 100 ms to FILE when the console quits."),
        QStringLiteral("FILE"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"),
        Text::tr("Close the window after SECONDS, stopping the engine as the Quit command does."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption cycleViews(
        QStringLiteral("cycle-views"), Text::tr("Show the next view every SECONDS."), QStringLiteral("SECONDS"));
    parser.addOptions({profile, embedded, dataDir, remote, caFile, view, screenshot, after, logLevel, stallLog,
        quitAfter, cycleViews});
    // process() ends the program with exit code 1 on an unknown option, so
    // the options are parsed first and a usage error exits with 2, as in
    // muttd. process() still prints --help, --help-all and --version.
    if (!parser.parse(app.arguments())) {
        return makeError(
            ErrorCode::InvalidInput, Text::tr("%1 Run mutt-console --help for the options.").arg(parser.errorText()));
    }
    parser.process(app);

    ConsoleOptions options;
    options.profileName = parser.value(profile);
    options.embedded = parser.isSet(embedded) || parser.isSet(dataDir);
    options.dataDir = parser.value(dataDir);
    options.remoteUrl = parser.value(remote);
    options.caFile = parser.value(caFile);
    options.view = parser.value(view);
    options.screenshotFile = parser.value(screenshot);
    options.logLevel = log::levelFromText(parser.value(logLevel));
    if (options.logLevel.isEmpty()) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("--log-level \"%1\" is not a log level. Use one of %2.")
                .arg(parser.value(logLevel), log::levelNames()));
    }
    options.stallLogFile = parser.value(stallLog);

    bool ok = false;
    options.screenshotAfterSeconds = parser.value(after).toInt(&ok);
    if (!ok || options.screenshotAfterSeconds < 0) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("--screenshot-after \"%1\" is not a whole number of seconds. Use e.g. "
                     "--screenshot-after 5.")
                .arg(parser.value(after)));
    }
    for (const auto &[option, target] :
        {std::pair {&quitAfter, &options.quitAfterSeconds}, std::pair {&cycleViews, &options.cycleViewsSeconds}}) {
        if (!parser.isSet(*option))
            continue;
        *target = parser.value(*option).toInt(&ok);
        if (!ok || *target < 1) {
            return makeError(ErrorCode::InvalidInput,
                Text::tr("--%1 \"%2\" is not a whole number of seconds of at least 1. Use e.g. --%1 30.")
                    .arg(option->names().constFirst(), parser.value(*option)));
        }
    }
    const int chosen = int(!options.profileName.isEmpty()) + int(options.embedded) + int(!options.remoteUrl.isEmpty());
    if (chosen > 1) {
        return makeError(ErrorCode::InvalidInput,
            Text::tr("--profile, --embedded and --remote each choose what to open; give only one."));
    }
    return options;
}

Result<ConnectionProfile> ConsoleOptions::startupProfile(ProfileStore &profiles) const
{
    if (!profileName.isEmpty()) {
        if (auto stored = profiles.load(profileName))
            return *stored;
        const QStringList known = profiles.names();
        return makeError(ErrorCode::NotFound,
            Text::tr("There is no connection profile named \"%1\". Saved profiles: %2.")
                .arg(profileName, known.isEmpty() ? Text::tr("none") : known.join(QStringLiteral(", "))));
    }

    if (embedded) {
        ConnectionProfile profile = ConnectionProfile::defaultEmbedded();
        profile.dataDir = dataDir;
        return profile;
    }

    if (!remoteUrl.isEmpty()) {
        ConnectionProfile profile;
        profile.name = Text::tr("Command line");
        profile.kind = ConnectionProfile::Kind::Remote;
        profile.url = QUrl::fromUserInput(remoteUrl);
        profile.caFile = caFile;
        profile.environment = Text::tr("unlabelled");
        if (const auto problem = profile.validate())
            return makeError(ErrorCode::InvalidInput, *problem);
        return profile;
    }

    return profiles.startupProfile();
}

}  // namespace mutt::ui
