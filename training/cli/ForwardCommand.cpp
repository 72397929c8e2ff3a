// `rdt-trainer forward`: the parity harness. Reads the inputs of one denoiser call from a
// safetensors file, writes `pred` (and `sampled` when `init_noise` is given), in float32.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "model/RdtRunner.h"
#include "model/TrainerError.h"
#include "train/ActionSampler.h"
#include "train/DpmSolver.h"
#include "weights/SafetensorsFile.h"
#include "weights/WeightsLoader.h"

#include <torch/torch.h>

#include <iostream>
#include <map>
#include <sstream>

namespace rdt {
namespace {

// Fetches a named input and checks its rank and the sizes that are fixed (-1: any).
torch::Tensor input(const std::map<std::string, torch::Tensor> &inputs, const std::string &file, const std::string &name,
                    const std::vector<int64_t> &shape)
{
    const auto it = inputs.find(name);
    if (it == inputs.end())
        throw TrainerError("forward: " + file + " has no tensor '" + name + "'");
    const torch::Tensor &t = it->second;
    bool ok = t.dim() == static_cast<int64_t>(shape.size());
    for (size_t i = 0; ok && i < shape.size(); ++i)
        ok = shape[i] < 0 || t.size(static_cast<int64_t>(i)) == shape[i];
    if (!ok) {
        std::ostringstream s;
        s << "forward: " << file << ": tensor '" << name << "' has shape " << t.sizes() << ", expected " << c10::IntArrayRef(shape)
          << " (-1 = any)";
        throw TrainerError(s.str());
    }
    return t;
}

} // namespace

int runForwardCommand(int argc, char **argv)
{
    const CommandLine args(argc, argv, {"config", "weights", "inputs", "out"}, {});
    const std::string weights = args.required("weights");
    const std::string inputsPath = args.required("inputs");
    const std::string outPath = args.required("out");
    const RdtConfig config = loadRdtConfig(args.text("config", weights));
    torch::NoGradGuard noGrad;
    RdtRunner runner(config);
    const WeightsReport report = loadPretrained(*runner, weights);
    std::cerr << report.summary() << std::endl;
    if (!report.missing.empty())
        throw TrainerError("forward: " + report.file + " lacks " + std::to_string(report.missing.size()) +
                           " of the model's tensors, first " + report.missing.front());
    runner->eval();

    std::map<std::string, torch::Tensor> inputs;
    for (auto &[name, tensor] : readSafetensors(inputsPath).tensors)
        inputs[name] = tensor;
    const int64_t H = config.action_chunk_size, D = config.state_dim;
    RunnerInputs in;
    in.lang_tokens = input(inputs, inputsPath, "lang_tokens", {-1, -1, config.lang_token_dim}).to(torch::kFloat32);
    const int64_t B = in.lang_tokens.size(0);
    in.lang_mask = input(inputs, inputsPath, "lang_mask", {B, in.lang_tokens.size(1)}).to(torch::kBool);
    in.img_tokens = input(inputs, inputsPath, "img_tokens", {B, config.imgCondLen(), config.img_token_dim}).to(torch::kFloat32);
    in.state_tokens = input(inputs, inputsPath, "state_tokens", {B, 1, D}).to(torch::kFloat32);
    in.action_mask = input(inputs, inputsPath, "action_mask", {B, 1, D}).to(torch::kFloat32);
    in.ctrl_freqs = input(inputs, inputsPath, "ctrl_freqs", {B}).to(torch::kFloat32);
    const torch::Tensor noisyAction = input(inputs, inputsPath, "noisy_action", {B, H, D}).to(torch::kFloat32);
    const torch::Tensor timesteps = input(inputs, inputsPath, "timesteps", {B}).to(torch::kInt64);

    NamedTensors out;
    out.emplace_back("pred", runner->denoise(in.lang_tokens, in.lang_mask, in.img_tokens, in.state_tokens, noisyAction,
                                             in.action_mask, timesteps, in.ctrl_freqs));
    if (inputs.count("init_noise")) {
        const torch::Tensor noise = input(inputs, inputsPath, "init_noise", {B, H, D}).to(torch::kFloat32);
        DpmSolver solver(config);
        out.emplace_back("sampled", sampleActions(runner, solver, in, noise));
    }
    writeSafetensors(outPath, out);
    return 0;
}

} // namespace rdt
