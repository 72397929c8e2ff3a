// The inverse of the trainer's LIBERO mapping for actions: a unified 128-d action back to
// LIBERO's 7-d command (delta position, delta axis-angle, gripper -1 open .. +1 close),
// read through the same slot table (data/LiberoMapping), so the two cannot drift apart.
#pragma once

#include <array>

namespace rdt {

constexpr int kLiberoActionDims = 7;
using LiberoAction = std::array<float, kLiberoActionDims>;

// The names results.json and actions/*.json give the seven dimensions.
const std::array<const char *, kLiberoActionDims> &liberoActionDimNames();

// unified holds 128 floats. The gripper slot holds RDT's gripper_open (1 open, 0 closed);
// it maps back continuously as 1 - 2 * open, clamped to [-1, 1], so a demonstration's
// -1/+1 command round-trips exactly and a prediction keeps its confidence.
LiberoAction liberoActionFromUnified(const float *unified);

// True when the command closes the gripper (LIBERO: positive closes).
inline bool gripperCloses(float command) { return command > 0.0f; }

} // namespace rdt
