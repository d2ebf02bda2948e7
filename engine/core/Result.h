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

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;

    [[nodiscard]] QString toString() const { return errorCodeName(code) + QStringLiteral(": ") + message; }
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

inline Error makeError(ErrorCode code, QString message)
{
    return Error {code, std::move(message)};
}

}  // namespace mutt
