// Whole numbers from the doubles that JSON and nvidia-smi hand us. Casting a double that is
// NaN, infinite or beyond the integer's range is undefined behaviour in C++, and a server
// (or a damaged file) can write 1e300 as easily as 42: such values are refused here.
#pragma once

#include <QtGlobal>

#include <optional>

namespace rdt {

class WholeNumber {
public:
    // `value` rounded to the nearest whole number; nullopt when it is not finite or does
    // not fit a qint64.
    [[nodiscard]] static std::optional<qint64> fromDouble(double value);
    // `value` limited to int's range (a percentage or a temperature is never near it).
    [[nodiscard]] static int clampToInt(qint64 value);
};

} // namespace rdt
