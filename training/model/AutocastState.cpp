// Autocast state access across LibTorch versions.
#include "model/AutocastState.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace rdt {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
AutocastState AutocastState::current()
{
    return {at::autocast::is_autocast_enabled(at::kCUDA), at::autocast::is_autocast_enabled(at::kCPU),
            at::autocast::get_autocast_dtype(at::kCUDA), at::autocast::get_autocast_dtype(at::kCPU)};
}

void AutocastState::apply() const
{
    at::autocast::set_autocast_enabled(at::kCUDA, gpu);
    at::autocast::set_autocast_enabled(at::kCPU, cpu);
    at::autocast::set_autocast_dtype(at::kCUDA, gpuType);
    at::autocast::set_autocast_dtype(at::kCPU, cpuType);
}
#else
AutocastState AutocastState::current()
{
    return {at::autocast::is_enabled(), at::autocast::is_cpu_enabled(), at::autocast::get_autocast_gpu_dtype(),
            at::autocast::get_autocast_cpu_dtype()};
}

void AutocastState::apply() const
{
    at::autocast::set_enabled(gpu);
    at::autocast::set_cpu_enabled(cpu);
    at::autocast::set_autocast_gpu_dtype(gpuType);
    at::autocast::set_autocast_cpu_dtype(cpuType);
}
#endif

} // namespace rdt
