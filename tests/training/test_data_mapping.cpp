// The LIBERO -> RDT unified-vector table: indices against RDT's configs/state_vec.py, the
// masks, the 6D rotation against an independent (quaternion) construction, and the
// gripper conversions.
#include "data/LiberoMapping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace rdt::data;

namespace {

// STATE_VEC_IDX_MAPPING entries we use, copied by hand from RDT's configs/state_vec.py.
const std::map<std::string, int> kRdtIndices = {
    {"arm_joint_0_pos", 0}, {"arm_joint_1_pos", 1}, {"arm_joint_2_pos", 2},
    {"arm_joint_3_pos", 3}, {"arm_joint_4_pos", 4}, {"arm_joint_5_pos", 5},
    {"arm_joint_6_pos", 6}, {"gripper_open", 10}, {"eef_pos_x", 30}, {"eef_pos_y", 31},
    {"eef_pos_z", 32}, {"eef_angle_0", 33}, {"eef_angle_1", 34}, {"eef_angle_2", 35},
    {"eef_angle_3", 36}, {"eef_angle_4", 37}, {"eef_angle_5", 38}, {"eef_vel_x", 39},
    {"eef_vel_y", 40}, {"eef_vel_z", 41}, {"eef_angular_vel_roll", 42},
    {"eef_angular_vel_pitch", 43}, {"eef_angular_vel_yaw", 44},
};

// Rotation matrix from axis-angle via the unit quaternion, not Rodrigues' formula.
std::array<double, 9> matrixViaQuaternion(double x, double y, double z)
{
    const double angle = std::sqrt(x * x + y * y + z * z);
    const double s = angle > 0 ? std::sin(angle / 2) / angle : 0.5;
    const double w = std::cos(angle / 2), qx = x * s, qy = y * s, qz = z * s;
    return {1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * w), 2 * (qx * qz + qy * w),
            2 * (qx * qy + qz * w), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * w),
            2 * (qx * qz - qy * w), 2 * (qy * qz + qx * w), 1 - 2 * (qx * qx + qy * qy)};
}

LiberoDemoArrays oneStepDemo()
{
    LiberoDemoArrays demo;
    demo.name = "demo_0";
    demo.steps = 2;
    demo.actions = {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, -1.0f,
                    1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 1.0f};
    demo.joint_states = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    demo.gripper_states = {0.039f, -0.039f, 0.0f, 0.0f};
    demo.ee_pos = {0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
    demo.ee_ori = {0.0f, 0.0f, static_cast<float>(M_PI / 2), 0.0f, 0.0f, 0.0f};
    return demo;
}

}  // namespace

TEST(DataMapping, TableUsesRdtIndices)
{
    std::set<int> stateIndices;
    for (const UnifiedSlot& slot : liberoStateSlots()) {
        ASSERT_TRUE(kRdtIndices.count(slot.rdt_name)) << slot.rdt_name;
        EXPECT_EQ(slot.index, kRdtIndices.at(slot.rdt_name)) << slot.rdt_name;
        EXPECT_TRUE(stateIndices.insert(slot.index).second) << "slot used twice: " << slot.index;
    }
    std::set<int> actionIndices;
    for (const UnifiedSlot& slot : liberoActionSlots()) {
        ASSERT_TRUE(kRdtIndices.count(slot.rdt_name)) << slot.rdt_name;
        EXPECT_EQ(slot.index, kRdtIndices.at(slot.rdt_name)) << slot.rdt_name;
        EXPECT_TRUE(actionIndices.insert(slot.index).second) << "slot used twice: " << slot.index;
    }
    EXPECT_EQ(stateIndices, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 10, 30, 31, 32, 33, 34, 35, 36, 37, 38}));
    EXPECT_EQ(actionIndices, (std::set<int>{10, 39, 40, 41, 42, 43, 44}));
}

TEST(DataMapping, MasksFollowTheTable)
{
    for (int i = 0; i < kStateDim; ++i) {
        const bool state = (i <= 6) || i == 10 || (i >= 30 && i <= 38);
        const bool action = i == 10 || (i >= 39 && i <= 44);
        EXPECT_EQ(unifiedStateMask()[i], state ? 1.0f : 0.0f) << i;
        EXPECT_EQ(unifiedActionMask()[i], action ? 1.0f : 0.0f) << i;
        EXPECT_EQ(unifiedElemMask()[i], state || action ? 1.0f : 0.0f) << i;
    }
}

TEST(DataMapping, Ortho6dIsTheFirstTwoColumns)
{
    const float cases[][3] = {{0, 0, 0}, {0.3f, -1.2f, 0.5f}, {2.9f, 0.1f, -0.4f}, {0, 0, 1e-9f}};
    for (const auto& aa : cases) {
        const std::array<double, 9> r = matrixViaQuaternion(aa[0], aa[1], aa[2]);
        const std::array<float, 6> six = axisAngleToOrtho6d(aa);
        // RDT: matrix[:, :, :2].transpose(0, 2, 1).reshape(-1): column 0, then column 1.
        const double expected[6] = {r[0], r[3], r[6], r[1], r[4], r[7]};
        for (int k = 0; k < 6; ++k)
            EXPECT_NEAR(six[k], expected[k], 1e-6) << "case " << aa[0] << "," << aa[1] << "," << aa[2] << " k " << k;
    }
    // 90 degrees about z: x -> y, y -> -x.
    const float quarter[3] = {0, 0, static_cast<float>(M_PI / 2)};
    const std::array<float, 6> six = axisAngleToOrtho6d(quarter);
    const float expected[6] = {0, 1, 0, -1, 0, 0};
    for (int k = 0; k < 6; ++k)
        EXPECT_NEAR(six[k], expected[k], 1e-6) << k;
}

TEST(DataMapping, StateAndActionVectors)
{
    const LiberoDemoArrays demo = oneStepDemo();
    const std::vector<float> quantities = liberoQuantities(demo);
    ASSERT_EQ(quantities.size(), 2u * kLiberoQuantityCount);

    float state[kStateDim];
    fillUnifiedState(quantities.data(), state);
    for (int j = 0; j < 7; ++j)
        EXPECT_FLOAT_EQ(state[j], j + 1.0f);
    EXPECT_NEAR(state[10], 0.078f * 12.905f, 1e-5);  // finger opening x RDT's Franka factor
    EXPECT_FLOAT_EQ(state[30], 0.4f);
    EXPECT_FLOAT_EQ(state[31], 0.5f);
    EXPECT_FLOAT_EQ(state[32], 0.6f);
    EXPECT_NEAR(state[33], 0.0f, 1e-6);
    EXPECT_NEAR(state[34], 1.0f, 1e-6);
    EXPECT_NEAR(state[36], -1.0f, 1e-6);
    for (int i : {7, 8, 9, 11, 29, 39, 44, 45, 127})
        EXPECT_EQ(state[i], 0.0f) << i;

    float action[kStateDim];
    fillUnifiedAction(quantities.data(), action);
    const float expectedDeltas[6] = {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f};
    for (int k = 0; k < 6; ++k)
        EXPECT_FLOAT_EQ(action[39 + k], expectedDeltas[k]) << k;
    EXPECT_EQ(action[10], 1.0f) << "LIBERO -1 (open) is gripper_open 1";
    for (int i : {0, 6, 30, 38, 45})
        EXPECT_EQ(action[i], 0.0f) << i;

    fillUnifiedAction(quantities.data() + kLiberoQuantityCount, action);
    EXPECT_EQ(action[10], 0.0f) << "LIBERO +1 (close) is gripper_open 0";
    fillUnifiedState(quantities.data() + kLiberoQuantityCount, state);
    EXPECT_EQ(state[10], 0.0f) << "closed fingers";
    EXPECT_NEAR(state[33], 1.0f, 1e-6) << "zero rotation is the identity";
}
