// The encoder report: each part is read with the reader training uses, so a file that
// passes here loads in the run, and a reason given here is the one the run would give.
#include "train/EncoderReport.h"

#include "data/LiberoFile.h"
#include "data/LiberoScan.h"
#include "model/LanguageEncoder.h"
#include "model/RdtConfig.h"
#include "model/TrainerError.h"
#include "train/ConditioningSetup.h"
#include "train/LanguageEmbeddingFiles.h"
#include "vision/SiglipConfig.h"

#include <torch/torch.h>

#include <filesystem>
#include <set>

namespace rdt {
namespace fs = std::filesystem;
namespace {

// RDT-1B's and RDT-170M's condition shapes: SigLIP so400m's 27 x 27 patches of width 1152,
// T5-XXL's width 4096.
struct ExpectedShapes {
    int64_t tokens = 729;
    int64_t hidden = 1152;
    int64_t langDim = 4096;
};

nlohmann::ordered_json visionReport(const EncoderReportRequest &r, const ExpectedShapes &expected)
{
    nlohmann::ordered_json v;
    if (r.visionEncoder == "patch") {
        v["state"] = "stand-in";
        v["message"] = "--vision_encoder patch: a trainable patch encoder, not RDT's SigLIP";
        return v;
    }
    std::string folder = r.visionEncoder;
    v["source"] = "flag";
    if (folder.empty()) {
        folder = cachedSiglipFolder();
        v["source"] = "hf-cache";
    }
    v["folder"] = folder;
    v["expected_tokens"] = expected.tokens;
    v["expected_hidden"] = expected.hidden;
    if (folder.empty()) {
        v["state"] = "missing";
        v["message"] = "no SigLIP folder given and none in the Hugging Face cache "
                       "(models--google--siglip-so400m-patch14-384)";
        return v;
    }
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        v["state"] = "missing";
        v["message"] = folder + " is not a folder";
        return v;
    }
    SiglipVisionConfig config;
    try {
        config = readSiglipVisionConfig(folder);
    } catch (const std::exception &error) {
        v["state"] = "wrong";
        v["message"] = error.what();
        return v;
    }
    v["tokens"] = config.numPatches();
    v["hidden"] = config.hidden_size;
    if (!fs::exists(fs::path(folder) / "model.safetensors", ec) && !fs::exists(fs::path(folder) / "pytorch_model.bin", ec)) {
        v["state"] = "wrong";
        v["message"] = folder + " has config.json but neither model.safetensors nor pytorch_model.bin";
    } else if (config.numPatches() != expected.tokens || config.hidden_size != expected.hidden) {
        v["state"] = "wrong";
        v["message"] = folder + " gives " + std::to_string(config.numPatches()) + " tokens x " +
                       std::to_string(config.hidden_size) + " per image; the model takes " +
                       std::to_string(expected.tokens) + " x " + std::to_string(expected.hidden);
    } else {
        v["state"] = "ok";
        v["message"] = folder;
    }
    return v;
}

// The dataset's instructions, each once, in file order.
std::vector<std::string> datasetInstructions(const std::string &dataset)
{
    std::vector<std::string> instructions;
    if (dataset.empty())
        return instructions;
    auto files = data::datasetFiles(dataset);
    if (!files)
        throw TrainerError(files.error());
    std::set<std::string> seen;
    for (const std::string &file : files.value()) {
        auto opened = data::LiberoFile::open(file);
        if (!opened)
            throw TrainerError(opened.error());
        auto instruction = opened->instruction();
        if (!instruction)
            throw TrainerError(instruction.error());
        if (seen.insert(instruction.value()).second)
            instructions.push_back(instruction.value());
    }
    return instructions;
}

nlohmann::ordered_json languageReport(const EncoderReportRequest &r, const ExpectedShapes &expected)
{
    nlohmann::ordered_json l;
    const std::vector<std::string> instructions = datasetInstructions(r.dataset);
    l["instructions"] = instructions.size();
    if (r.lang == "learned") {
        l["state"] = "stand-in";
        l["message"] = "--lang learned: a learned word table, not RDT's T5 embeddings";
        return l;
    }
    l["path"] = r.langEmbeddings;
    l["expected_dim"] = expected.langDim;
    if (r.langEmbeddings.empty()) {
        l["state"] = "missing";
        l["message"] = "no --lang_embeddings given";
        return l;
    }
    std::error_code ec;
    if (!fs::exists(r.langEmbeddings, ec)) {
        l["state"] = "missing";
        l["message"] = r.langEmbeddings + " does not exist";
        return l;
    }
    NamedTensors embeddings;
    try {
        embeddings = readLanguageEmbeddings(r.langEmbeddings, r.emptyLangEmbed, 0.0);
    } catch (const std::exception &error) {
        l["state"] = "wrong";
        l["message"] = error.what();
        return l;
    }
    std::set<std::string> keys;
    int64_t dim = -1;
    std::string wrongShape;
    for (const auto &[name, tensor] : embeddings) {
        keys.insert(name);
        if (tensor.dim() != 2 || (dim >= 0 && tensor.size(1) != dim))
            wrongShape = "'" + name + "' is " + c10::str(tensor.sizes());
        else
            dim = tensor.size(1);
    }
    l["entries"] = embeddings.size() - keys.count("");
    l["dim"] = dim;
    l["has_empty"] = keys.count("") != 0;
    nlohmann::ordered_json missing = nlohmann::ordered_json::array();
    for (const std::string &instruction : instructions)
        if (!keys.count(languageKey(instruction)))
            missing.push_back(instruction);
    l["missing"] = missing;
    if (!wrongShape.empty()) {
        l["state"] = "wrong";
        l["message"] = r.langEmbeddings + ": " + wrongShape + ", not [L, D] like the others";
    } else if (dim >= 0 && dim != expected.langDim) {
        l["state"] = "wrong";
        l["message"] = r.langEmbeddings + " holds embeddings of width " + std::to_string(dim) +
                       "; the model's lang_token_dim is " + std::to_string(expected.langDim);
    } else if (!missing.empty()) {
        l["state"] = "incomplete";
        l["message"] = std::to_string(missing.size()) + " of " + std::to_string(instructions.size()) +
                       " instructions have no embedding in " + r.langEmbeddings + ", e.g. '" +
                       missing.front().get<std::string>() + "'";
    } else if (r.condMaskProb > 0 && !keys.count("")) {
        l["state"] = "incomplete";
        l["message"] = r.langEmbeddings + " has no empty_lang_embed.pt (the embedding a dropped instruction gets; "
                       "pass --empty_lang_embed)";
    } else {
        l["state"] = "ok";
        l["message"] = std::to_string(embeddings.size()) + " embeddings cover the dataset's " +
                       std::to_string(instructions.size()) + " instruction(s)";
    }
    return l;
}

} // namespace

nlohmann::ordered_json encoderReport(const EncoderReportRequest &request)
{
    ExpectedShapes expected;
    if (!request.config.empty()) {
        const RdtConfig config = loadRdtConfig(request.config);
        expected.tokens = config.img_num_patches;
        expected.hidden = config.img_token_dim;
        expected.langDim = config.lang_token_dim;
    }
    nlohmann::ordered_json report;
    report["vision"] = visionReport(request, expected);
    report["language"] = languageReport(request, expected);
    return report;
}

} // namespace rdt
