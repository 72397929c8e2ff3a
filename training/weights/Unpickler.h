// A strict unpickler for the subset of pickle protocol 2 that torch.save uses for state
// dicts: OrderedDict / dict of tensors rebuilt by torch._utils._rebuild_tensor_v2 from
// typed storages given by persistent ids. Any other global or opcode is an error naming
// the opcode and its position, never code execution.
#pragma once

#include "weights/PickleValue.h"

#include <functional>
#include <string>
#include <unordered_map>

namespace rdt {

class Unpickler {
public:
    // Resolves a persistent id (the tuple ('storage', storage type, key, location, numel))
    // to a Tensor value holding the storage's elements.
    using PersistentLoad = std::function<PickleRef(const PickleRef &pid)>;

    Unpickler(std::string bytes, std::string where, PersistentLoad persistentLoad);

    // Runs to STOP and returns the top value. Throws TrainerError.
    PickleRef load();

private:
    [[noreturn]] void fail(const std::string &what) const;
    uint8_t byte();
    uint64_t littleEndian(int bytes);
    std::string take(uint64_t count);
    std::string line();
    PickleRef pop();
    PickleRef &top();
    std::vector<PickleRef> popToMark();
    PickleRef global(const std::string &module, const std::string &name);
    PickleRef reduce(const PickleRef &callable, const PickleRef &args);
    PickleRef rebuildTensor(const PickleRef &args);

    std::string m_bytes;
    std::string m_where;
    PersistentLoad m_persistentLoad;
    size_t m_pos = 0;
    size_t m_opPos = 0;
    std::vector<PickleRef> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleRef> m_memo;
};

} // namespace rdt
