// torch.save zip archives: storage records plus the strict unpickler.
#include "weights/TorchArchive.h"

#include "model/TrainerError.h"
#include "weights/Unpickler.h"
#include "weights/ZipArchive.h"

#include <torch/torch.h>

#include <map>

namespace rdt {
namespace {

struct StorageType {
    const char *name;
    torch::ScalarType type;
};

constexpr StorageType kStorageTypes[] = {
    {"torch.FloatStorage", torch::kFloat32}, {"torch.DoubleStorage", torch::kFloat64},
    {"torch.HalfStorage", torch::kFloat16},  {"torch.BFloat16Storage", torch::kBFloat16},
    {"torch.LongStorage", torch::kInt64},    {"torch.IntStorage", torch::kInt32},
    {"torch.ShortStorage", torch::kInt16},   {"torch.CharStorage", torch::kInt8},
    {"torch.ByteStorage", torch::kUInt8},    {"torch.BoolStorage", torch::kBool},
};

std::string findPrefix(const ZipArchive &zip)
{
    // The records sit under one folder named after the file torch.save was given.
    for (const std::string &name : zip.names()) {
        const std::string suffix = "/data.pkl";
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            name.find('/') == name.size() - suffix.size())
            return name.substr(0, name.size() - suffix.size());
    }
    throw TrainerError(zip.path() + ": no <folder>/data.pkl record, not a torch.save archive");
}

} // namespace

PickleRef loadTorchArchive(const std::string &path)
{
    ZipArchive zip(path);
    const std::string prefix = findPrefix(zip);
    if (zip.contains(prefix + "/byteorder")) {
        const std::string order = zip.readString(prefix + "/byteorder");
        if (order != "little")
            throw TrainerError(path + ": byte order '" + order + "' is not supported (little expected)");
    }
    std::map<std::string, torch::Tensor> storages;
    auto persistentLoad = [&](const PickleRef &pid) -> PickleRef {
        using Kind = PickleValue::Kind;
        // ('storage', storage_type, key, location, numel)
        if (pid->kind != Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Kind::String ||
            pid->items[0]->text != "storage" || pid->items[1]->kind != Kind::Global ||
            pid->items[2]->kind != Kind::String || pid->items[4]->kind != Kind::Int)
            throw TrainerError(path + ": persistent id is not ('storage', type, key, location, numel)");
        const std::string &typeName = pid->items[1]->text;
        const std::string &key = pid->items[2]->text;
        const int64_t numel = pid->items[4]->integer;
        torch::ScalarType type = torch::kFloat32;
        bool known = false;
        for (const StorageType &s : kStorageTypes) {
            if (typeName == s.name) {
                type = s.type;
                known = true;
            }
        }
        if (!known)
            throw TrainerError(path + ": storage type " + typeName + " is not supported");
        auto it = storages.find(key);
        if (it == storages.end()) {
            const std::string record = prefix + "/data/" + key;
            if (!zip.contains(record))
                throw TrainerError(path + ": storage record " + record + " is missing");
            const uint64_t bytes = zip.size(record);
            const uint64_t expected = static_cast<uint64_t>(numel) * torch::elementSize(type);
            if (numel < 0 || bytes != expected)
                throw TrainerError(path + ": storage record " + record + " has " + std::to_string(bytes) +
                                   " bytes, " + typeName + " of " + std::to_string(numel) + " needs " +
                                   std::to_string(expected));
            torch::Tensor storage = torch::empty({numel}, torch::TensorOptions().dtype(type));
            if (bytes > 0)
                zip.read(record, storage.data_ptr());
            it = storages.emplace(key, storage).first;
        } else if (it->second.scalar_type() != type || it->second.numel() != numel) {
            throw TrainerError(path + ": storage " + key + " is referenced with two types or sizes");
        }
        auto v = std::make_shared<PickleValue>();
        v->kind = Kind::Tensor;
        v->tensor = it->second;
        return v;
    };
    Unpickler unpickler(zip.readString(prefix + "/data.pkl"), path + " (" + prefix + "/data.pkl)", persistentLoad);
    return unpickler.load();
}

NamedTensors loadTorchStateDict(const std::string &path)
{
    using Kind = PickleValue::Kind;
    const PickleRef top = loadTorchArchive(path);
    if (top->kind != Kind::Dict)
        throw TrainerError(path + ": top-level object is a " + std::string(PickleValue::kindName(top->kind)) +
                           ", not a state dict (OrderedDict of tensors)");
    NamedTensors result;
    for (const auto &[key, value] : top->dict) {
        if (key->kind != Kind::String)
            throw TrainerError(path + ": state dict key is a " + std::string(PickleValue::kindName(key->kind)) +
                               ", not a string");
        if (value->kind != Kind::Tensor)
            throw TrainerError(path + ": state dict entry '" + key->text + "' is a " +
                               std::string(PickleValue::kindName(value->kind)) + ", not a tensor");
        result.emplace_back(key->text, value->tensor);
    }
    return result;
}

at::Tensor loadTorchTensor(const std::string &path)
{
    const PickleRef top = loadTorchArchive(path);
    if (top->kind != PickleValue::Kind::Tensor)
        throw TrainerError(path + ": top-level object is a " + std::string(PickleValue::kindName(top->kind)) +
                           ", not a tensor");
    return top->tensor;
}

} // namespace rdt
