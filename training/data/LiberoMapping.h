// The mapping of LIBERO's per-step quantities into RDT's unified 128-d state/action vector:
// ONE table (kStateSlots, kActionSlots in LiberoMapping.cpp), the masks derived from it, and
// the conversions that produce the quantities (finger joints to gripper-open, axis-angle to
// RDT's 6D rotation).
#pragma once

#include "data/Layout.h"
#include "data/LiberoFile.h"

#include <array>
#include <vector>

namespace rdt::data {

// What one step of a LIBERO demo contributes, after conversion, in this fixed order.
enum class LiberoQuantity : int {
    Joint0, Joint1, Joint2, Joint3, Joint4, Joint5, Joint6,  // obs/joint_states
    GripperOpen,                                             // from obs/gripper_states, 0 closed .. ~1 open
    EefPosX, EefPosY, EefPosZ,                               // obs/ee_pos
    EefRot0, EefRot1, EefRot2, EefRot3, EefRot4, EefRot5,    // obs/ee_ori as RDT's 6D rotation
    ActionDeltaX, ActionDeltaY, ActionDeltaZ,                // actions[0:3]
    ActionDeltaRoll, ActionDeltaPitch, ActionDeltaYaw,       // actions[3:6]
    ActionGripperOpen,                                       // actions[6]: -1 open -> 1, +1 close -> 0
    Count,
};
constexpr int kLiberoQuantityCount = static_cast<int>(LiberoQuantity::Count);

struct UnifiedSlot {
    LiberoQuantity quantity;
    int index;             // position in the 128-d vector
    const char* rdt_name;  // the key in RDT's configs/state_vec.py STATE_VEC_IDX_MAPPING
};

const std::vector<UnifiedSlot>& liberoStateSlots();
const std::vector<UnifiedSlot>& liberoActionSlots();

// T x kLiberoQuantityCount, row-major, from one demo's arrays.
std::vector<float> liberoQuantities(const LiberoDemoArrays& demo);

// Writes one step's unified vectors (all 128 entries; unmapped slots are 0).
void fillUnifiedState(const float* stepQuantities, float* unified);
void fillUnifiedAction(const float* stepQuantities, float* unified);

// 1 where the state (or action) table writes, else 0.
const std::array<float, kStateDim>& unifiedStateMask();
const std::array<float, kStateDim>& unifiedActionMask();
// The union: RDT passes one mask for the state token and the action tokens.
const std::array<float, kStateDim>& unifiedElemMask();

// Axis-angle (rotation vector) -> the first two columns of its rotation matrix, column by
// column [R00, R10, R20, R01, R11, R21], as RDT's compute_ortho6d_from_rotation_matrix.
std::array<float, 6> axisAngleToOrtho6d(const float* axisAngle);

}  // namespace rdt::data
