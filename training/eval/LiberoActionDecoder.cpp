// Unified action -> LIBERO command through liberoActionSlots().
#include "eval/LiberoActionDecoder.h"

#include "data/LiberoMapping.h"

#include <algorithm>

namespace rdt {
namespace {

using Q = data::LiberoQuantity;

// Which LIBERO action column a quantity came from; -1 for the state's quantities.
int actionColumn(Q quantity)
{
    switch (quantity) {
    case Q::ActionDeltaX: return 0;
    case Q::ActionDeltaY: return 1;
    case Q::ActionDeltaZ: return 2;
    case Q::ActionDeltaRoll: return 3;
    case Q::ActionDeltaPitch: return 4;
    case Q::ActionDeltaYaw: return 5;
    case Q::ActionGripperOpen: return 6;
    default: return -1;
    }
}

} // namespace

const std::array<const char *, kLiberoActionDims> &liberoActionDimNames()
{
    static const std::array<const char *, kLiberoActionDims> names = {"x", "y", "z", "roll", "pitch", "yaw", "gripper"};
    return names;
}

LiberoAction liberoActionFromUnified(const float *unified)
{
    LiberoAction action{};
    for (const data::UnifiedSlot &slot : data::liberoActionSlots()) {
        const int column = actionColumn(slot.quantity);
        if (column < 0)
            continue;
        const float value = unified[slot.index];
        action[column] = slot.quantity == Q::ActionGripperOpen ? std::clamp(1.0f - 2.0f * value, -1.0f, 1.0f) : value;
    }
    return action;
}

} // namespace rdt
