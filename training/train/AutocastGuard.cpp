// Autocast enter/exit, mirroring torch.autocast's __enter__/__exit__ (nesting count and
// cast cache cleared at the outermost exit).
#include "train/AutocastGuard.h"

#include <ATen/autocast_mode.h>

namespace rdt {

AutocastGuard::AutocastGuard(c10::DeviceType device, bool enabled) : m_enabled(enabled)
{
    if (!m_enabled)
        return;
    m_previous = AutocastState::current();
    AutocastState state = m_previous;
    if (device == c10::DeviceType::CUDA) {
        state.gpu = true;
        state.gpuType = at::kBFloat16;
    } else {
        state.cpu = true;
        state.cpuType = at::kBFloat16;
    }
    state.apply();
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard()
{
    if (!m_enabled)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    m_previous.apply();
}

} // namespace rdt
