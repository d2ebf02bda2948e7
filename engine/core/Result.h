#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace mutt {

// Error categories shared by every engine component. Callers branch on the
// code; the message is for people and names the value that failed.
enum class ErrorCode {
    InvalidInput,  // the caller passed something malformed
    NotFound,  // the named item, rule, queue or key does not exist
    Conflict,  // the change collides with existing data
    Unavailable,  // a backend (SQLite, Redis, PostgreSQL, HTTP peer) failed or is down
    Timeout,  // the operation did not complete in time
    Full,  // a queue reached its configured cap
    Internal,  // a bug: an invariant did not hold
};

QString errorCodeName(ErrorCode code);

// `message` may reach API clients and people. It is a sentence naming what
// failed and the fix, without SQL statements or driver text. `backendText`
// is the backend's own error text (driver error, statement) for logs and
// operators only. No HTTP reply includes it.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QString backendText {};

    [[nodiscard]] QString toString() const { return errorCodeName(code) + QStringLiteral(": ") + message; }
    // The message followed by the backend text in brackets, when there is one.
    [[nodiscard]] QString logText() const
    {
        return backendText.isEmpty() ? message : message + QStringLiteral(" [backend: ") + backendText + u']';
    }
};

// Expected-like result: a value, or an Error with a code and a message.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) { }  // NOLINT(google-explicit-constructor)
    Result(Error error) : m_value(std::move(error)) { }  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<T>(m_value); }
    [[nodiscard]] T &value() & { return std::get<T>(m_value); }
    [[nodiscard]] T &&value() && { return std::get<T>(std::move(m_value)); }
    [[nodiscard]] const Error &error() const { return std::get<Error>(m_value); }

    [[nodiscard]] T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_value;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { }  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

inline Error makeError(ErrorCode code, QString message, QString backendText = {})
{
    return Error {code, std::move(message), std::move(backendText)};
}

// `error` with `context` put in front of its message; the code and the
// backend text stay.
inline Error withContext(Error error, const QString &context)
{
    error.message.prepend(context);
    return error;
}

}  // namespace mutt
