// RDT's data layout constants, from configs/base.yaml (`common`) and configs/state_vec.py,
// kept free of LibTorch so the reading and statistics code compiles light.
#pragma once

namespace rdt::data {

constexpr int kStateDim = 128;        // common.state_dim (STATE_VEC_LEN)
constexpr int kActionChunkSize = 64;  // common.action_chunk_size
constexpr int kImgHistorySize = 2;    // common.img_history_size
constexpr int kNumCameras = 3;        // common.num_cameras
constexpr int kImageSlots = kImgHistorySize * kNumCameras;
constexpr int kImageChannels = 3;
// LIBERO records at 20 Hz; RDT feeds the control frequency raw (configs/dataset_control_freq.json).
constexpr float kLiberoControlFrequency = 20.0f;

}  // namespace rdt::data
