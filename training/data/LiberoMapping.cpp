// The LIBERO -> RDT unified-vector table and the per-step conversions it relies on.
#include "data/LiberoMapping.h"

#include "data/Layout.h"

#include <algorithm>
#include <cmath>

namespace rdt::data {
namespace {

using Q = LiberoQuantity;

// Franka gripper: finger-joint opening (metres) -> RDT's gripper_open in [0, 1]. The factor
// is RDT's own for Franka data (data/preprocess_scripts/viola.py: gripper_states * 12.905).
constexpr float kGripperWidthToOpen = 12.905f;
// Below this angle (radians) the rotation is the identity to float precision.
constexpr double kSmallAngle = 1e-12;

int q(LiberoQuantity quantity)
{
    return static_cast<int>(quantity);
}

std::array<float, kStateDim> maskOf(const std::vector<UnifiedSlot>& slots)
{
    std::array<float, kStateDim> mask{};
    for (const UnifiedSlot& slot : slots)
        mask[slot.index] = 1.0f;
    return mask;
}

}  // namespace

// THE mapping. Indices from RDT's configs/state_vec.py. LIBERO's actions are relative (the
// OSC controller scales [-1, 1] to ~5 cm and ~0.5 rad per step), so, as RDT's authors did,
// they go to the end-effector velocity slots; the gripper command goes to gripper_open.
const std::vector<UnifiedSlot>& liberoStateSlots()
{
    static const std::vector<UnifiedSlot> slots = {
        {Q::Joint0, 0, "arm_joint_0_pos"},
        {Q::Joint1, 1, "arm_joint_1_pos"},
        {Q::Joint2, 2, "arm_joint_2_pos"},
        {Q::Joint3, 3, "arm_joint_3_pos"},
        {Q::Joint4, 4, "arm_joint_4_pos"},
        {Q::Joint5, 5, "arm_joint_5_pos"},
        {Q::Joint6, 6, "arm_joint_6_pos"},
        {Q::GripperOpen, 10, "gripper_open"},
        {Q::EefPosX, 30, "eef_pos_x"},
        {Q::EefPosY, 31, "eef_pos_y"},
        {Q::EefPosZ, 32, "eef_pos_z"},
        {Q::EefRot0, 33, "eef_angle_0"},
        {Q::EefRot1, 34, "eef_angle_1"},
        {Q::EefRot2, 35, "eef_angle_2"},
        {Q::EefRot3, 36, "eef_angle_3"},
        {Q::EefRot4, 37, "eef_angle_4"},
        {Q::EefRot5, 38, "eef_angle_5"},
    };
    return slots;
}

const std::vector<UnifiedSlot>& liberoActionSlots()
{
    static const std::vector<UnifiedSlot> slots = {
        {Q::ActionGripperOpen, 10, "gripper_open"},
        {Q::ActionDeltaX, 39, "eef_vel_x"},
        {Q::ActionDeltaY, 40, "eef_vel_y"},
        {Q::ActionDeltaZ, 41, "eef_vel_z"},
        {Q::ActionDeltaRoll, 42, "eef_angular_vel_roll"},
        {Q::ActionDeltaPitch, 43, "eef_angular_vel_pitch"},
        {Q::ActionDeltaYaw, 44, "eef_angular_vel_yaw"},
    };
    return slots;
}

std::array<float, 6> axisAngleToOrtho6d(const float* axisAngle)
{
    // Rodrigues: R = I + sin(a) K + (1 - cos(a)) K^2 for the unit axis k and angle a.
    const double x = axisAngle[0], y = axisAngle[1], z = axisAngle[2];
    const double angle = std::sqrt(x * x + y * y + z * z);
    if (angle < kSmallAngle)
        return {1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f};
    const double kx = x / angle, ky = y / angle, kz = z / angle;
    const double s = std::sin(angle), c = std::cos(angle), v = 1.0 - c;
    const double r00 = c + kx * kx * v;
    const double r10 = ky * kx * v + kz * s;
    const double r20 = kz * kx * v - ky * s;
    const double r01 = kx * ky * v - kz * s;
    const double r11 = c + ky * ky * v;
    const double r21 = kz * ky * v + kx * s;
    return {static_cast<float>(r00), static_cast<float>(r10), static_cast<float>(r20),
            static_cast<float>(r01), static_cast<float>(r11), static_cast<float>(r21)};
}

std::vector<float> liberoQuantities(const LiberoDemoArrays& demo)
{
    std::vector<float> out(static_cast<size_t>(demo.steps) * kLiberoQuantityCount);
    for (int t = 0; t < demo.steps; ++t) {
        float* row = out.data() + static_cast<size_t>(t) * kLiberoQuantityCount;
        for (int j = 0; j < 7; ++j)
            row[q(Q::Joint0) + j] = demo.joint_states[t * 7 + j];
        // The fingers move symmetrically (+w/2, -w/2): their difference is the opening.
        const float width = demo.gripper_states[t * 2] - demo.gripper_states[t * 2 + 1];
        row[q(Q::GripperOpen)] = width * kGripperWidthToOpen;
        for (int k = 0; k < 3; ++k)
            row[q(Q::EefPosX) + k] = demo.ee_pos[t * 3 + k];
        const std::array<float, 6> rot = axisAngleToOrtho6d(&demo.ee_ori[t * 3]);
        for (int k = 0; k < 6; ++k)
            row[q(Q::EefRot0) + k] = rot[k];
        for (int k = 0; k < 6; ++k)
            row[q(Q::ActionDeltaX) + k] = demo.actions[t * 7 + k];
        // RDT's convention for a binary gripper command (viola.py: closedness < 0 -> open 1).
        row[q(Q::ActionGripperOpen)] = demo.actions[t * 7 + 6] < 0.0f ? 1.0f : 0.0f;
    }
    return out;
}

void fillUnifiedState(const float* stepQuantities, float* unified)
{
    std::fill(unified, unified + kStateDim, 0.0f);
    for (const UnifiedSlot& slot : liberoStateSlots())
        unified[slot.index] = stepQuantities[q(slot.quantity)];
}

void fillUnifiedAction(const float* stepQuantities, float* unified)
{
    std::fill(unified, unified + kStateDim, 0.0f);
    for (const UnifiedSlot& slot : liberoActionSlots())
        unified[slot.index] = stepQuantities[q(slot.quantity)];
}

const std::array<float, kStateDim>& unifiedStateMask()
{
    static const std::array<float, kStateDim> mask = maskOf(liberoStateSlots());
    return mask;
}

const std::array<float, kStateDim>& unifiedActionMask()
{
    static const std::array<float, kStateDim> mask = maskOf(liberoActionSlots());
    return mask;
}

const std::array<float, kStateDim>& unifiedElemMask()
{
    static const std::array<float, kStateDim> mask = [] {
        std::array<float, kStateDim> both = unifiedStateMask();
        for (int i = 0; i < kStateDim; ++i)
            both[i] = std::max(both[i], unifiedActionMask()[i]);
        return both;
    }();
    return mask;
}

}  // namespace rdt::data
