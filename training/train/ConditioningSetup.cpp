// Choosing and building a run's conditioning.
#include "train/ConditioningSetup.h"

#include "model/TrainerError.h"
#include "train/LanguageEmbeddingFiles.h"
#include "vision/SiglipImageEncoder.h"

#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace rdt {
namespace fs = std::filesystem;
namespace {

constexpr const char *kSiglipRepoFolder = "models--google--siglip-so400m-patch14-384";
constexpr int64_t kSiglipTokens = 729, kSiglipWidth = 1152;

std::string environment(const char *name)
{
    const char *value = std::getenv(name);
    return value ? value : "";
}

// RDT conditions on SigLIP image features and T5-XXL instruction embeddings; a run without
// them would train stand-ins and give meaningless actions in RDT's own inference, so each
// stand-in is an explicit opt-in, and a run missing an encoder stops before it starts, with
// one message naming every missing part and how to get it. "" when nothing is missing.
std::string missingEncoders(const TrainOptions &o, const std::string &visionFolder)
{
    std::vector<std::string> missing;
    if (visionFolder.empty())
        missing.push_back("no vision encoder: pass --vision_encoder with a google/siglip-so400m-patch14-384 folder "
                          "(huggingface-cli download google/siglip-so400m-patch14-384 --local-dir DIR; without the "
                          "flag the Hugging Face cache is searched), or --vision_encoder patch for a trainable stand-in "
                          "that is not RDT-conditioned");
    if (o.lang_embeddings.empty() && o.lang != "learned")
        missing.push_back("no language embeddings: pass --lang_embeddings with the .pt files RDT's "
                          "scripts/encode_lang.py writes for the dataset's instructions (T5-v1_1-XXL), or --lang "
                          "learned for a learned word table that is not RDT-conditioned");
    std::string message;
    for (const std::string &part : missing)
        message += (message.empty() ? "" : "; ") + part;
    return message;
}

} // namespace

std::string cachedSiglipFolder()
{
    fs::path hub;
    if (!environment("HF_HUB_CACHE").empty())
        hub = environment("HF_HUB_CACHE");
    else if (!environment("HF_HOME").empty())
        hub = fs::path(environment("HF_HOME")) / "hub";
    else if (!environment("HOME").empty())
        hub = fs::path(environment("HOME")) / ".cache" / "huggingface" / "hub";
    const fs::path repo = hub / kSiglipRepoFolder;
    std::error_code ec;
    if (hub.empty() || !fs::is_directory(repo / "snapshots", ec))
        return "";
    // refs/main names the snapshot the hub client would use; else any complete one.
    std::string revision;
    std::ifstream(repo / "refs" / "main") >> revision;
    if (!revision.empty() && fs::exists(repo / "snapshots" / revision / "config.json", ec))
        return (repo / "snapshots" / revision).string();
    for (const auto &entry : fs::directory_iterator(repo / "snapshots", ec))
        if (fs::exists(entry.path() / "config.json", ec) && fs::exists(entry.path() / "model.safetensors", ec))
            return entry.path().string();
    return "";
}

ConditioningSetup buildConditioning(const TrainOptions &o, const RdtConfig &config, int64_t imageHeight,
                                    int64_t imageWidth, const torch::Device &device)
{
    ConditioningSetup setup;
    ConditioningSources sources;

    // Images.
    std::string visionFolder = o.vision_encoder;
    if (visionFolder.empty() && config.img_num_patches == kSiglipTokens && config.img_token_dim == kSiglipWidth) {
        visionFolder = cachedSiglipFolder();
        if (!visionFolder.empty())
            setup.notes.push_back("vision encoder: no --vision_encoder given; using the Hugging Face cache's " +
                                  visionFolder);
    }
    const std::string missing = missingEncoders(o, visionFolder);
    if (!missing.empty())
        throw TrainerError(missing);
    if (visionFolder == "patch") {
        setup.vision = "patch";
        setup.notes.push_back("vision encoder: a trainable patch encoder (--vision_encoder patch), not RDT's SigLIP");
    } else if (!visionFolder.empty()) {
        auto vision = std::make_shared<SiglipImageEncoder>(loadSiglipFolder(visionFolder), device);
        setup.vision = "siglip:" + vision->weightsFile();
        setup.notes.push_back("vision encoder: SigLIP from " + vision->weightsFile() + ", frozen, " +
                              std::to_string(vision->tokensPerImage()) + " tokens x " +
                              std::to_string(vision->hiddenSize()) + " per image" +
                              (device.is_cuda() ? ", bf16" : ", float32"));
        sources.vision = std::move(vision);
    }

    if (setup.vision == "patch" && !o.pretrained_model_name_or_path.empty())
        setup.warnings.push_back("pretrained weights with the patch encoder: the pretrained img_adaptor was "
                                 "trained on SigLIP features and sees features it has never seen");

    // Language.
    if (!o.lang.empty() && o.lang != "learned")
        throw TrainerError("--lang '" + o.lang + "' is not 'learned' (T5 embeddings come from --lang_embeddings)");
    if (o.lang == "learned" && !o.lang_embeddings.empty())
        throw TrainerError("--lang learned and --lang_embeddings " + o.lang_embeddings + " contradict each other");
    if (!o.lang_embeddings.empty()) {
        sources.langEmbeddings = readLanguageEmbeddings(o.lang_embeddings, o.empty_lang_embed, o.cond_mask_prob);
        setup.language = "t5:" + o.lang_embeddings;
        setup.notes.push_back("language: " + std::to_string(sources.langEmbeddings.size()) +
                              " precomputed embeddings from " + o.lang_embeddings);
    } else {
        setup.language = "learned";
        setup.notes.push_back("language: a learned word table (--lang learned), not RDT's T5 embeddings");
        if (!o.pretrained_model_name_or_path.empty())
            setup.warnings.push_back("pretrained weights with a learned word table: the pretrained lang_adaptor "
                                     "was trained on T5-XXL embeddings and sees features it has never seen");
    }
    setup.conditioning = Conditioning(config, imageHeight, imageWidth, std::move(sources));
    return setup;
}

} // namespace rdt
