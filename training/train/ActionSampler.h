// RDT's predict_action: adapt the conditions once, then run DPM-Solver++ from the initial
// noise for num_inference_timesteps steps, and zero the invalid action dimensions.
#pragma once

#include "model/RdtRunner.h"
#include "train/DpmSolver.h"
#include "train/RunnerInputs.h"

namespace rdt {

// initNoise (B, horizon, state_dim). Returns the sampled chunk, same shape. No gradients.
at::Tensor sampleActions(RdtRunner &runner, DpmSolver &solver, const RunnerInputs &inputs, const at::Tensor &initNoise);

} // namespace rdt
