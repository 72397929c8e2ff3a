// bf16 mixed precision for a scope, as Python's torch.autocast: the weights stay float32
// (the master copy the optimizer updates) and matmul-heavy ops run in bfloat16.
#pragma once

#include "model/AutocastState.h"

#include <c10/core/Device.h>

namespace rdt {

class AutocastGuard {
public:
    // enabled false: does nothing.
    AutocastGuard(c10::DeviceType device, bool enabled);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    bool m_enabled;
    AutocastState m_previous;
};

} // namespace rdt
