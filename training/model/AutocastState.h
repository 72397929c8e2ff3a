// The thread-local autocast flags and dtypes for CPU and CUDA, read and set through one
// place: LibTorch 2.4 replaced the per-device functions (is_enabled, is_cpu_enabled, ...)
// with device-typed ones, and the version guards live here only.
#pragma once

#include <c10/core/ScalarType.h>

namespace rdt {

struct AutocastState {
    bool gpu = false;
    bool cpu = false;
    c10::ScalarType gpuType = c10::ScalarType::Half;
    c10::ScalarType cpuType = c10::ScalarType::BFloat16;

    static AutocastState current();
    void apply() const;
};

} // namespace rdt
