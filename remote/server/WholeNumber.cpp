// WholeNumber: the range test is done on the double, before any cast.
#include "WholeNumber.h"

#include <cmath>
#include <limits>

namespace rdt {

std::optional<qint64> WholeNumber::fromDouble(double value)
{
    if (!std::isfinite(value))
        return std::nullopt;
    const double rounded = std::round(value);
    // 2^63 is exactly representable; every double below it (and at or above -2^63) fits.
    constexpr double kLimit = 9223372036854775808.0;
    if (rounded >= kLimit || rounded < -kLimit)
        return std::nullopt;
    return qint64(rounded);
}

int WholeNumber::clampToInt(qint64 value)
{
    return int(qBound(qint64(std::numeric_limits<int>::min()), value, qint64(std::numeric_limits<int>::max())));
}

} // namespace rdt
