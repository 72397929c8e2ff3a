// The smallest, largest and smallest positive value seen, grown one value at a time, so the
// plot can fit its axes after an append without scanning 100,000 points again.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace rdt {

struct ValueExtent {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double minPositive = std::numeric_limits<double>::infinity();

    bool isEmpty() const { return min > max; }
    void include(double value)
    {
        if (!std::isfinite(value))
            return;
        min = std::min(min, value);
        max = std::max(max, value);
        if (value > 0)
            minPositive = std::min(minPositive, value);
    }
    void include(const ValueExtent &other)
    {
        min = std::min(min, other.min);
        max = std::max(max, other.max);
        minPositive = std::min(minPositive, other.minPositive);
    }
};

} // namespace rdt
