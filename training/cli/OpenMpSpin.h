// How long idle OpenMP threads spin before they sleep, settled before LibTorch starts any.
//
// LibTorch's OpenMP threads and OpenBLAS's own threads take turns on the same cores: after
// each parallel region libgomp's threads keep spinning (300,000 rounds by default) while
// OpenBLAS's threads want those cores for the next matrix product. On a 2-core machine
// that made rdt-trainer's training step, and PyTorch's, 2.5x slower than with a short
// spin (bench/trainer_throughput). libgomp reads the setting only from the environment
// when it is loaded, before main, so the trainer sets it and executes itself again.
#pragma once

namespace rdt {

// The spin count the trainer runs with unless the user chose one.
constexpr const char *kOpenMpSpinCount = "1000";

// When neither GOMP_SPINCOUNT nor OMP_WAIT_POLICY is set: sets GOMP_SPINCOUNT and
// executes `executable` with argv (the trainer passes /proc/self/exe and its own argv).
// Returns only when nothing was to be done, or when the exec failed (the trainer then runs
// with the default policy, which is slower but correct).
void execWithShortOpenMpSpin(const char *executable, char **argv);

} // namespace rdt
