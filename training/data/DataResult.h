// A value or an error for the data side of rdt-trainer (no Qt here, so not remote/Result.h).
// The error is one line that says what, where (file, demo, dataset, shape) and why.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace rdt::data {

struct DataError {
    std::string message;
};

template <typename T>
class [[nodiscard]] DataResult {
public:
    DataResult(T value) : m_value(std::move(value)) {}
    DataResult(DataError error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { assert(ok()); return *m_value; }
    T& value() & { assert(ok()); return *m_value; }
    T&& value() && { assert(ok()); return std::move(*m_value); }
    const T& operator*() const& { assert(ok()); return *m_value; }
    T& operator*() & { assert(ok()); return *m_value; }
    const T* operator->() const { assert(ok()); return &*m_value; }
    T* operator->() { assert(ok()); return &*m_value; }
    const std::string& error() const { return m_error.message; }

private:
    std::optional<T> m_value;
    DataError m_error;
};

// The error-only form.
template <>
class [[nodiscard]] DataResult<void> {
public:
    DataResult() = default;
    DataResult(DataError error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const std::string& error() const { return m_error.message; }

private:
    DataError m_error;
    bool m_failed = false;
};

}  // namespace rdt::data
