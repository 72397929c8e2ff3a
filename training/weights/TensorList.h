// An ordered list of named tensors: what a weights file holds, in the file's order.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace rdt {

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

} // namespace rdt
