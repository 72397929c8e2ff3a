// The one exception type of the trainer: a runtime failure whose message already says what
// failed, where (file, key, shape) and why. LibTorch reports through exceptions too
// (c10::Error), so both are caught together at a command's edge and printed as one line.
#pragma once

#include <stdexcept>
#include <string>

namespace rdt {

class TrainerError : public std::runtime_error {
public:
    explicit TrainerError(const std::string &message) : std::runtime_error(message) {}
};

} // namespace rdt
