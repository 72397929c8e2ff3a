// The tiny RDT configuration the trainer tests run on this CPU: the real code with
// hidden 64, depth 2-4, 4 heads, few image tokens.
#pragma once

#include "model/RdtConfig.h"

#include <string>

namespace rdt::trainertest {

// depth blocks; 2 x 3 images of patchesPerImage tokens each.
RdtConfig tinyConfig(int64_t depth = 2, int64_t patchesPerImage = 4);

// The same, as a base.yaml file at path.
void writeTinyConfigYaml(const std::string &path, int64_t depth = 2, int64_t patchesPerImage = 4);

} // namespace rdt::trainertest
