// Checkpoint files into the runner and the conditioning; every key must fit.
#include "eval/EvalPolicy.h"

#include "model/TrainerError.h"
#include "train/ConditioningSetup.h"
#include "weights/WeightsLoader.h"

#include <torch/torch.h>

namespace rdt {
namespace {

std::string firstKeys(const std::vector<std::string> &keys)
{
    std::string text;
    for (size_t i = 0; i < keys.size() && i < 3; ++i)
        text += (i ? ", " : "") + keys[i];
    return keys.size() > 3 ? text + ", ..." : text;
}

// Every parameter must come from the file and every tensor of the file must be used:
// anything else means the weights belong to another model (size, conditioning).
void loadExactly(torch::nn::Module &module, const std::string &file, const std::string &what)
{
    WeightsReport report;
    try {
        report = loadWeightsInto(module, readWeightsFile(file), file);
    } catch (const TrainerError &error) {
        throw TrainerError(what + " " + file + " do not fit the model of the checkpoint's config: " + error.what());
    }
    if (!report.missing.empty() || !report.unexpected.empty()) {
        throw TrainerError(what + " " + file + " do not fit the model of the checkpoint's config: " +
                           std::to_string(report.missing.size()) + " missing keys (" + firstKeys(report.missing) +
                           "), " + std::to_string(report.unexpected.size()) + " unexpected (" +
                           firstKeys(report.unexpected) + ")");
    }
}

} // namespace

EvalPolicy loadEvalPolicy(const EvalCheckpoint &checkpoint, const TrainOptions &run, int64_t imageHeight,
                          int64_t imageWidth, const torch::Device &device)
{
    EvalPolicy policy;
    policy.config = loadRdtConfig(checkpoint.config_file);
    policy.runner = RdtRunner(policy.config);
    loadExactly(*policy.runner, checkpoint.weights_file, "weights");
    // The same choice of encoders and embeddings as the run made (ConditioningSetup).
    policy.conditioning = buildConditioning(run, policy.config, imageHeight, imageWidth, device).conditioning;
    if (!policy.conditioning->parameters().empty()) {
        if (checkpoint.encoders_file.empty())
            throw TrainerError("--checkpoint " + checkpoint.folder + " has no encoders.safetensors: the image and "
                               "language encoders its run trained are needed to condition the model");
        loadExactly(*policy.conditioning, checkpoint.encoders_file, "encoders");
    }
    policy.runner->to(device);
    policy.conditioning->to(device);
    policy.runner->eval();
    policy.conditioning->eval();
    policy.summary = "weights " + checkpoint.weights_file + " (" + checkpoint.weights + "), config " +
                     checkpoint.config_file +
                     (checkpoint.encoders_file.empty() ? "" : ", encoders " + checkpoint.encoders_file);
    return policy;
}

} // namespace rdt
