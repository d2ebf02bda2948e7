#include "core/Log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dup_filter_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <QStringList>
#include <QtGlobal>

#include <chrono>
#include <mutex>
#include <set>
#include <vector>

namespace mutt::log {
namespace {

std::mutex g_mutex;  // guards g_sink and g_options
std::mutex g_secretsMutex;  // guards g_secrets; never held together with g_mutex
std::vector<std::string> g_secrets;
spdlog::sink_ptr g_sink;  // the dup-filter sink every logger writes to
Options g_options;

// Escapes a message for the "message" string of a JSON log line.
std::string jsonEscaped(const std::string &text)
{
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    return out;
}

// Replaces every registered secret in a formatted line before it reaches the
// real sinks, so a secret passed by mistake in a log argument is not written.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    RedactingSink(std::vector<spdlog::sink_ptr> targets, bool json) : m_targets(std::move(targets)), m_json(json) { }

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override
    {
        std::string payload(msg.payload.data(), msg.payload.size());
        {
            std::lock_guard lock(g_secretsMutex);
            for (const std::string &secret : g_secrets) {
                for (size_t pos = payload.find(secret); pos != std::string::npos; pos = payload.find(secret, pos))
                    payload.replace(pos, secret.size(), "***");
            }
        }
        if (m_json)
            payload = jsonEscaped(payload);
        spdlog::details::log_msg copy(msg);
        copy.payload = payload;
        for (auto &target : m_targets) {
            if (target->should_log(copy.level))
                target->log(copy);
        }
    }

    void flush_() override
    {
        for (auto &target : m_targets)
            target->flush();
    }

private:
    std::vector<spdlog::sink_ptr> m_targets;
    bool m_json = false;
};

spdlog::sink_ptr buildSink(const Options &options)
{
    std::vector<spdlog::sink_ptr> targets;
    targets.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.filePath.empty())
        targets.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.filePath));

    const std::string pattern = options.json
        ? R"({"timestamp":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n","pod_name":")" + options.podName
            + R"(","message":"%v"})"
        : std::string("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v");
    for (auto &target : targets)
        target->set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc));

    auto redacting = std::make_shared<RedactingSink>(std::move(targets), options.json);
    // Collapses identical consecutive lines within 10 s into one line plus
    // "Skipped N duplicate messages".
    auto dedup = std::make_shared<spdlog::sinks::dup_filter_sink_mt>(std::chrono::seconds(10));
    dedup->add_sink(redacting);
    return dedup;
}

}  // namespace

QString levelNames()
{
    return QStringLiteral("trace, debug, info, warning (or warn), error, critical or off");
}

QString levelFromText(const QString &text)
{
    QString level = text.trimmed().toLower();
    if (level == u"warning")
        level = QStringLiteral("warn");
    else if (level == u"fatal")
        level = QStringLiteral("critical");
    static const QStringList known {QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"),
        QStringLiteral("warn"), QStringLiteral("error"), QStringLiteral("critical"), QStringLiteral("off")};
    return known.contains(level) ? level : QString();
}

void init(const Options &options)
{
    std::lock_guard lock(g_mutex);
    g_options = options;
    g_sink = buildSink(options);
    const auto level = spdlog::level::from_str(options.level);
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger> &existing) {
        existing->sinks().clear();
        existing->sinks().push_back(g_sink);
        existing->set_level(level);
    });
    spdlog::set_level(level);
    spdlog::flush_every(std::chrono::seconds(1));
}

std::shared_ptr<spdlog::logger> get(const std::string &component)
{
    if (auto existing = spdlog::get(component))
        return existing;

    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(component))
        return existing;
    if (!g_sink)
        g_sink = buildSink(g_options);
    auto created = std::make_shared<spdlog::logger>(component, g_sink);
    created->set_level(spdlog::level::from_str(g_options.level));
    created->flush_on(spdlog::level::warn);
    spdlog::register_logger(created);
    return created;
}

void addSecret(const QString &secret)
{
    if (secret.size() < 4)
        return;
    std::lock_guard lock(g_secretsMutex);
    const std::string utf8 = secret.toStdString();
    for (const std::string &known : g_secrets) {
        if (known == utf8)
            return;
    }
    g_secrets.push_back(utf8);
}

void installQtMessageHandler()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        auto qt = get("qt");
        switch (type) {
        case QtDebugMsg: qt->debug("{}", message); break;
        case QtInfoMsg: qt->info("{}", message); break;
        case QtWarningMsg: qt->warn("{}", message); break;
        case QtCriticalMsg: qt->error("{}", message); break;
        case QtFatalMsg:
            qt->critical("{}", message);
            qt->flush();
            break;
        }
    });
}

}  // namespace mutt::log
