// A value or an error, returned by every fallible operation in remote/.
// Errors carry a code the caller can branch on and a message that says what, where and why.
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>

namespace rdt {

enum class ErrorCode {
    None,
    InvalidArgument,   // the caller's input is malformed (bad host spec, bad config line)
    ConfigError,       // ssh_config or similar file could not be read or parsed
    HostUnreachable,   // TCP connect failed or timed out
    HostKeyUnknown,    // the host's key is not in known_hosts and was not accepted
    HostKeyChanged,    // known_hosts holds a different key for the host: refused
    AuthFailed,        // every authentication method was refused
    ConnectionLost,    // an established connection died (timeout, reset, EOF)
    Timeout,           // an operation ran past its deadline
    Cancelled,         // the user cancelled
    RemoteFailed,      // the remote side reported a failure (non-zero exit, SFTP status)
    LocalIo,           // a local file could not be read or written
    Protocol,          // any other libssh failure
};

struct Error {
    ErrorCode code = ErrorCode::None;
    QString message;
};

// Result<T>: holds a T or an Error. Result<void> is the error-only form.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

inline Error makeError(ErrorCode code, QString message)
{
    return Error{code, std::move(message)};
}

} // namespace rdt

Q_DECLARE_METATYPE(rdt::Error)
