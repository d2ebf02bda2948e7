#pragma once

#include <spdlog/spdlog.h>

#include <QString>

#include <memory>
#include <string>

namespace mutt::log {

// Level meanings, used the same way in every component:
//   critical  the process cannot continue and is about to exit
//   error     an operation failed and was not retried; data may need attention
//   warn      an operation failed and will be retried, or input was rejected
//   info      starts, stops, configuration in force, state transitions
//   debug     per-item detail for troubleshooting; off in production
struct Options {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    std::string filePath;  // empty: stderr only
    bool json = false;  // one JSON object per line (LOG_JSON_ENABLED)
    std::string podName;  // added to JSON lines
};

// The level names that LOG_LEVEL and --log-level accept, for help texts.
QString levelNames();

// Returns the spdlog name ("warn") of a level as a user writes it: any case,
// "warning" or "warn", and "fatal" for "critical" as Python's logging has
// it. Returns an empty string for a text that names no level.
QString levelFromText(const QString &text);

// Configures the shared sinks and the default level. Loggers created before
// this call are rebuilt on the new sinks. Safe to call again (SIGHUP reopens
// the log file this way).
void init(const Options &options);

// Returns the named component logger (ingest, alerter, forwarder,
// remediation, queue, sql, http, api, config, daemon, ui), creating it on
// first use. Repeated identical lines are collapsed with a count.
std::shared_ptr<spdlog::logger> get(const std::string &component);

// Adds a value that must never appear in a log line. Every sink replaces it
// with "***". Values shorter than 4 characters are ignored.
void addSecret(const QString &secret);

// Routes qDebug/qWarning/qCritical into the "qt" logger.
void installQtMessageHandler();

}  // namespace mutt::log

// fmt support for QString and QByteArray in log calls.
#include <QByteArray>
#include <fmt/format.h>

template <> struct fmt::formatter<QString> : fmt::formatter<std::string_view> {
    auto format(const QString &s, fmt::format_context &ctx) const
    {
        const QByteArray utf8 = s.toUtf8();
        return fmt::formatter<std::string_view>::format(std::string_view(utf8.constData(), size_t(utf8.size())), ctx);
    }
};

template <> struct fmt::formatter<QByteArray> : fmt::formatter<std::string_view> {
    auto format(const QByteArray &b, fmt::format_context &ctx) const
    {
        return fmt::formatter<std::string_view>::format(std::string_view(b.constData(), size_t(b.size())), ctx);
    }
};
