// The values our pickle subset can hold: what a torch.save state dict is made of.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rdt {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor };

    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    std::string text;                                  // String; Global as "module.name"
    std::vector<PickleRef> items;                      // Tuple, List
    std::vector<std::pair<PickleRef, PickleRef>> dict; // Dict and OrderedDict, in order
    at::Tensor tensor;                                 // Tensor (also a loaded storage)

    static const char *kindName(Kind kind);
};

} // namespace rdt
