// mutt-console: the operations console, embedded or attached to muttd.

#include "ConsoleOptions.h"
#include "DisplayCheck.h"

#include "common/ConsoleStyle.h"
#include "common/StallProbe.h"
#include "config/SettingsLoader.h"
#include "connection/ConnectionController.h"
#include "connection/ProfileStore.h"
#include "core/Log.h"
#include "main/MainWindow.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <cstdio>
#include <initializer_list>

namespace {

void installTranslations(QCoreApplication &app)
{
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("mutt_console"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);

    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

// Saves the window to `file` after `seconds` and closes it, after which the
// console stops its backend and quits. Used for documentation and visual checks.
void scheduleScreenshot(mutt::ui::MainWindow &window, const QString &file, int seconds, bool &failed)
{
    QTimer::singleShot(std::chrono::seconds(seconds), &window, [&window, file, &failed] {
        failed = !window.grab().save(file, "PNG");
        if (failed)
            mutt::log::get("ui")->error("Screenshot not saved: file={} reason=the image could not be written", file);
        else
            mutt::log::get("ui")->info("Screenshot saved: file={}", file);
        window.close();
    });
}

// Shows the next view every `seconds`, so a benchmark run paints each of them.
void scheduleViewCycle(mutt::ui::MainWindow &window, int seconds)
{
    auto *timer = new QTimer(&window);
    QObject::connect(timer, &QTimer::timeout, &window, [&window] {
        const QStringList ids = window.viewIds();
        window.showView(ids.at((ids.indexOf(window.currentViewId()) + 1) % ids.size()));
    });
    timer->start(std::chrono::seconds(seconds));
}

// True when one of the options before "--" is in `names`.
bool hasOption(int argc, char *argv[], std::initializer_list<QByteArrayView> names)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        if (argument == "--")
            break;
        if (std::find(names.begin(), names.end(), argument) != names.end())
            return true;
    }
    return false;
}

// True when the command line requests only text (help or version), which
// must work without a display, because QApplication aborts when it finds none.
bool asksForTextOnly(int argc, char *argv[])
{
    return hasOption(argc, argv, {"-h", "--help", "--help-all", "-?", "-v", "--version"});
}

// True when the command line picks the platform plugin or the X display with
// QApplication's own -platform or -display option (Qt also accepts two dashes).
bool namesPlatformOrDisplay(int argc, char *argv[])
{
    return hasOption(argc, argv, {"-platform", "--platform", "-display", "--display"});
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MUTT"));
    QCoreApplication::setApplicationName(QStringLiteral("MUTT Console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MUTT_VERSION));
}

// Names the application, loads the translations and parses the command
// line, printing a parse error on standard error.
mutt::Result<mutt::ui::ConsoleOptions> prepare(QCoreApplication &app)
{
    setApplicationNames();
    installTranslations(app);
    mutt::Result<mutt::ui::ConsoleOptions> options = mutt::ui::ConsoleOptions::parse(app);
    if (!options.ok())
        std::fprintf(stderr, "mutt-console: %s\n", qPrintable(options.error().message));
    return options;
}

}  // namespace

int main(int argc, char *argv[])
{
    if (asksForTextOnly(argc, argv)) {
        // QCommandLineParser::process prints the help or version and exits.
        QCoreApplication app(argc, argv);
        return prepare(app).ok() ? 0 : 2;
    }
    if (const DisplayState display = checkDisplay(namesPlatformOrDisplay(argc, argv));
        display != DisplayState::Usable) {
        // Checks the command line first, so a mistyped option is reported as such.
        QCoreApplication app(argc, argv);
        if (!prepare(app).ok())
            return 2;
        std::fprintf(stderr, "mutt-console: %s\n", qPrintable(displayProblem(display)));
        return 2;
    }

    QApplication app(argc, argv);
    const mutt::Result<mutt::ui::ConsoleOptions> options = prepare(app);
    if (!options.ok())
        return 2;

    mutt::log::Options logOptions;
    logOptions.level = options.value().logLevel.toStdString();
    mutt::log::init(logOptions);
    mutt::log::installQtMessageHandler();
    mutt::ui::applyConsoleStyle(app);

    mutt::ui::ProfileStore profiles;
    const mutt::Result<mutt::ui::ConnectionProfile> profile = options.value().startupProfile(profiles);
    if (!profile.ok()) {
        std::fprintf(stderr, "mutt-console: %s\n", qPrintable(profile.error().message));
        return 2;
    }

    const QHash<QString, QString> environment = mutt::config::SettingsInput::processEnvironment();
    mutt::ui::ConnectionController controller(profiles, environment);
    mutt::ui::MainWindow window(controller);
    window.resize(1400, 900);
    if (!options.value().view.isEmpty() && !window.showView(options.value().view)) {
        std::fprintf(stderr, "mutt-console: %s\n",
            qPrintable(QCoreApplication::translate("ConsoleOptions", "There is no view named \"%1\". Views: %2.")
                           .arg(options.value().view, window.viewIds().join(QStringLiteral(", ")))));
        return 2;
    }
    window.show();

    const QString remoteKey
        = options.value().remoteUrl.isEmpty() ? QString() : environment.value(QStringLiteral("WEBUI_API_KEY"));
    controller.connectTo(profile.value(), remoteKey);

    bool screenshotFailed = false;
    if (!options.value().screenshotFile.isEmpty())
        scheduleScreenshot(
            window, options.value().screenshotFile, options.value().screenshotAfterSeconds, screenshotFailed);

    if (options.value().quitAfterSeconds > 0)
        QTimer::singleShot(std::chrono::seconds(options.value().quitAfterSeconds), &window, &QWidget::close);
    if (options.value().cycleViewsSeconds > 0)
        scheduleViewCycle(window, options.value().cycleViewsSeconds);

    // Measures from the start of the event loop to its end, engine shutdown included.
    mutt::ui::StallProbe stallProbe;
    if (!options.value().stallLogFile.isEmpty())
        stallProbe.start();

    const int code = QApplication::exec();
    bool stallLogFailed = false;
    if (stallProbe.isRunning()) {
        stallProbe.stop();
        const mutt::Status written = stallProbe.writeReport(options.value().stallLogFile);
        stallLogFailed = !written.ok();
        if (stallLogFailed)
            mutt::log::get("ui")->error("Stall report not saved: {}", written.error().message);
        else
            mutt::log::get("ui")->info(
                "Stall report saved: file={} max_stall_ms={:.1f} stalls_over_threshold={} threshold_ms={}",
                options.value().stallLogFile, double(stallProbe.summary().maxStallUs) / 1000.0,
                stallProbe.summary().stallsOverThreshold, stallProbe.summary().thresholdMs);
    }
    mutt::log::get("ui")->info("Console stopped: exit_code={}", code);
    return screenshotFailed || stallLogFailed ? 1 : code;
}
