// Autocast enter/exit, mirroring torch.autocast's __enter__/__exit__ (nesting count and
// cast cache cleared at the outermost exit).
#include "train/AutocastGuard.h"

#include <ATen/autocast_mode.h>

namespace rdt {

AutocastGuard::AutocastGuard(c10::DeviceType device, bool enabled)
    : m_enabled(enabled), m_cuda(device == c10::DeviceType::CUDA)
{
    if (!m_enabled)
        return;
    if (m_cuda) {
        m_previous = at::autocast::is_enabled();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
    } else {
        m_previous = at::autocast::is_cpu_enabled();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard()
{
    if (!m_enabled)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    if (m_cuda)
        at::autocast::set_enabled(m_previous);
    else
        at::autocast::set_cpu_enabled(m_previous);
}

} // namespace rdt
