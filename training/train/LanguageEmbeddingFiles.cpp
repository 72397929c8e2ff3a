// Reading encode_lang.py, encode_lang_batch.py, empty_lang_embed.pt and safetensors maps.
#include "train/LanguageEmbeddingFiles.h"

#include "model/LanguageEncoder.h"
#include "model/TrainerError.h"
#include "weights/SafetensorsFile.h"
#include "weights/TorchArchive.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace rdt {
namespace fs = std::filesystem;
namespace {

constexpr const char *kEmptyFileName = "empty_lang_embed.pt";
constexpr const char *kBatchInstructions = "expanded_instruction_gpt-4-turbo.json";

// [L, D], or [1, L, D] as encode_lang.py saves it -> [L, D].
torch::Tensor asTokens(const torch::Tensor &tensor, const std::string &where)
{
    if (tensor.dim() == 3 && tensor.size(0) == 1)
        return tensor[0];
    if (tensor.dim() == 2)
        return tensor;
    throw TrainerError("language embeddings: " + where + " is " + c10::str(tensor.sizes()) +
                       ", not [L, D] or [1, L, D]");
}

bool hasSuffix(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Instructions in encode_lang_batch.py's order: instruction, simplified..., expanded...
std::vector<std::string> batchInstructions(const fs::path &json)
{
    std::ifstream in(json);
    try {
        const nlohmann::json doc = nlohmann::json::parse(in);
        std::vector<std::string> all{doc.at("instruction").get<std::string>()};
        for (const char *key : {"simplified_instruction", "expanded_instruction"})
            for (const auto &item : doc.at(key))
                all.push_back(item.get<std::string>());
        return all;
    } catch (const nlohmann::json::exception &error) {
        throw TrainerError("language embeddings: " + json.string() + ": " + error.what());
    }
}

class Collector {
public:
    void add(const std::string &instruction, const torch::Tensor &tokens, const std::string &file)
    {
        const std::string key = languageKey(instruction);
        const auto it = m_index.find(key);
        if (it != m_index.end()) {
            const torch::Tensor &kept = m_entries[it->second].second;
            if (kept.sizes() != tokens.sizes() || !torch::equal(kept, tokens.to(kept.scalar_type())))
                throw TrainerError("language embeddings: " + file + " and " + m_files[it->second] +
                                   " hold different embeddings for the instruction '" + key + "'");
            return;
        }
        m_index[key] = m_entries.size();
        m_entries.emplace_back(key, tokens);
        m_files.push_back(file);
    }
    bool has(const std::string &key) const { return m_index.count(key) > 0; }
    NamedTensors take() { return std::move(m_entries); }

private:
    NamedTensors m_entries;
    std::vector<std::string> m_files;
    std::map<std::string, size_t> m_index;
};

void readSafetensorsMap(const fs::path &file, Collector &out)
{
    const SafetensorsContents contents = readSafetensors(file.string());
    for (const auto &[instruction, tensor] : contents.tensors)
        out.add(instruction, asTokens(tensor, file.string() + " entry '" + instruction + "'"), file.string());
}

// One .pt file. A bare tensor is the empty entry when named so, or the i-th instruction of
// encode_lang_batch.py's json beside it; otherwise nothing says whose it is.
void readTorchFile(const fs::path &file, Collector &out)
{
    using Kind = PickleValue::Kind;
    const PickleRef top = loadTorchArchive(file.string());
    if (top->kind == Kind::Dict) {
        PickleRef instruction, embeddings;
        for (const auto &[key, value] : top->dict) {
            if (key->kind == Kind::String && key->text == "instruction")
                instruction = value;
            if (key->kind == Kind::String && key->text == "embeddings")
                embeddings = value;
        }
        if (!instruction || instruction->kind != Kind::String || !embeddings || embeddings->kind != Kind::Tensor)
            throw TrainerError("language embeddings: " + file.string() + " is a dict without a string 'instruction' "
                               "and a tensor 'embeddings' (encode_lang.py's layout)");
        out.add(instruction->text, asTokens(embeddings->tensor, file.string()), file.string());
        return;
    }
    if (top->kind != Kind::Tensor)
        throw TrainerError("language embeddings: " + file.string() + " holds a " +
                           std::string(PickleValue::kindName(top->kind)) + ", not encode_lang.py's dict or a tensor");
    const std::string name = file.filename().string();
    if (name == kEmptyFileName) {
        out.add("", asTokens(top->tensor, file.string()), file.string());
        return;
    }
    const fs::path json = file.parent_path() / kBatchInstructions;
    int index = -1;
    if (name.rfind("lang_embed_", 0) == 0 && hasSuffix(name, ".pt")) {
        try {
            index = std::stoi(name.substr(11, name.size() - 14));
        } catch (const std::exception &) {
        }
    }
    if (index < 0 || !fs::exists(json))
        throw TrainerError("language embeddings: " + file.string() + " is a bare tensor and nothing names its "
                           "instruction (expected encode_lang.py's dict, " + kEmptyFileName + ", or lang_embed_<i>.pt "
                           "beside " + kBatchInstructions + ")");
    const std::vector<std::string> instructions = batchInstructions(json);
    if (index >= static_cast<int>(instructions.size()))
        throw TrainerError("language embeddings: " + file.string() + ": " + json.string() + " lists only " +
                           std::to_string(instructions.size()) + " instructions");
    out.add(instructions[static_cast<size_t>(index)], asTokens(top->tensor, file.string()), file.string());
}

void readOne(const fs::path &file, Collector &out)
{
    if (file.extension() == ".safetensors")
        readSafetensorsMap(file, out);
    else
        readTorchFile(file, out);
}

} // namespace

NamedTensors readLanguageEmbeddings(const std::string &path, const std::string &emptyPath, double condMaskProb)
{
    Collector out;
    if (fs::is_directory(path)) {
        std::vector<fs::path> files;
        for (const auto &entry : fs::recursive_directory_iterator(path))
            if (entry.is_regular_file() && (entry.path().extension() == ".pt" || entry.path().extension() == ".safetensors"))
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        if (files.empty())
            throw TrainerError("language embeddings: folder " + path + " holds no .pt or .safetensors files");
        for (const fs::path &file : files)
            readOne(file, out);
    } else if (fs::is_regular_file(path)) {
        readOne(path, out);
    } else {
        throw TrainerError("language embeddings: " + path + " does not exist");
    }
    if (!emptyPath.empty() && !out.has("")) {
        const torch::Tensor empty = loadTorchTensor(emptyPath);
        out.add("", asTokens(empty, emptyPath), emptyPath);
    }
    if (!out.has("") && condMaskProb > 0)
        throw TrainerError("--lang_embeddings " + path + " has no entry \"\" for a dropped instruction (cond_mask_prob " +
                           std::to_string(condMaskProb) + "): add RDT's " + kEmptyFileName +
                           " to the folder or pass --empty_lang_embed " + kEmptyFileName);
    return out.take();
}

} // namespace rdt
