// Parity with the PyTorch (Python) reference on a tiny configuration: the same weights,
// loaded from torch.save (float32 and bfloat16) and from safetensors, give the reference's
// denoiser output and 5-step DPM-Solver++ sample; the initial position tables and the
// noise schedule match; `rdt-trainer forward` writes the same numbers.
#include "model/RdtRunner.h"
#include "support_trainer_paths.h"
#include "train/ActionSampler.h"
#include "train/DdpmScheduler.h"
#include "train/DpmSolver.h"
#include "weights/SafetensorsFile.h"
#include "weights/WeightsLoader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace rdt;

namespace {

// float32 through 4 blocks of different operation order: agreement to ~1e-6 relative.
constexpr double kTolerance = 2e-5;

class Parity : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string python = trainertest::pythonWithTorch();
        if (python.empty())
            return;
        s_folder = trainertest::scratchFolder("parity");
        std::string output;
        s_ready = trainertest::runCommand(python + " " + trainertest::shellQuote(trainertest::referenceScript("make_parity_fixture.py")) +
                                          " " + trainertest::shellQuote(s_folder), output) == 0;
        EXPECT_TRUE(s_ready) << output;
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    }

    static std::map<std::string, torch::Tensor> read(const std::string &name)
    {
        std::map<std::string, torch::Tensor> m;
        for (auto &[k, v] : readSafetensors(s_folder + "/" + name).tensors)
            m[k] = v;
        return m;
    }

    static RdtRunner loadRunner(const std::string &weights)
    {
        RdtRunner runner(loadRdtConfig(s_folder + "/config.yaml"));
        const WeightsReport report = loadPretrained(*runner, s_folder + "/" + weights);
        EXPECT_TRUE(report.missing.empty()) << report.summary();
        EXPECT_TRUE(report.unexpected.empty()) << report.summary();
        runner->eval();
        return runner;
    }

    static RunnerInputs inputs(std::map<std::string, torch::Tensor> &in)
    {
        RunnerInputs r;
        r.lang_tokens = in["lang_tokens"];
        r.lang_mask = in["lang_mask"].to(torch::kBool);
        r.img_tokens = in["img_tokens"];
        r.state_tokens = in["state_tokens"];
        r.action_mask = in["action_mask"];
        r.ctrl_freqs = in["ctrl_freqs"];
        return r;
    }

    static torch::Tensor denoise(RdtRunner &runner, std::map<std::string, torch::Tensor> &in)
    {
        torch::NoGradGuard noGrad;
        return runner->denoise(in["lang_tokens"], in["lang_mask"].to(torch::kBool), in["img_tokens"], in["state_tokens"],
                               in["noisy_action"], in["action_mask"], in["timesteps"], in["ctrl_freqs"]);
    }

    static double relativeError(const torch::Tensor &a, const torch::Tensor &b)
    {
        return ((a - b).abs().max() / b.abs().max().clamp_min(1e-12)).item<double>();
    }

    static inline std::string s_folder;
    static inline bool s_ready = false;
};

} // namespace

TEST_F(Parity, DenoiserMatchesPyTorch)
{
    auto in = read("inputs.safetensors");
    auto expected = read("expected.safetensors");
    RdtRunner runner = loadRunner("pytorch_model.bin");
    const torch::Tensor pred = denoise(runner, in);
    ASSERT_EQ(pred.sizes(), expected["pred"].sizes());
    EXPECT_LT(relativeError(pred, expected["pred"]), kTolerance);
}

TEST_F(Parity, SafetensorsAndBinGiveTheSameModel)
{
    auto in = read("inputs.safetensors");
    RdtRunner fromBin = loadRunner("pytorch_model.bin");
    RdtRunner fromSafetensors = loadRunner("model.safetensors");
    EXPECT_TRUE(torch::equal(denoise(fromBin, in), denoise(fromSafetensors, in)));
    // bfloat16 weights load as their float32 values: close, not equal.
    RdtRunner fromBf16 = loadRunner("pytorch_model_bf16.bin");
    const auto a = fromBin->named_parameters(), b = fromBf16->named_parameters();
    for (const auto &item : a)
        EXPECT_TRUE(torch::equal(b[item.key()], item.value().to(torch::kBFloat16).to(torch::kFloat32))) << item.key();
}

TEST_F(Parity, DpmSolverSampleMatchesPyTorch)
{
    auto in = read("inputs.safetensors");
    auto expected = read("expected.safetensors");
    RdtRunner runner = loadRunner("pytorch_model.bin");
    DpmSolver solver(runner->config());
    EXPECT_EQ(solver.timesteps(), (std::vector<int64_t>{999, 799, 599, 400, 200}));
    const torch::Tensor sampled = sampleActions(runner, solver, inputs(in), in["init_noise"]);
    EXPECT_LT(relativeError(sampled, expected["sampled"]), kTolerance);
}

TEST_F(Parity, InitialTablesAndScheduleMatch)
{
    auto in = read("inputs.safetensors");
    auto expected = read("expected.safetensors");
    RdtRunner fresh(loadRdtConfig(s_folder + "/config.yaml"));
    EXPECT_TRUE(torch::allclose(fresh->model->x_pos_embed, expected["init.x_pos_embed"], 0, 1e-6));
    EXPECT_TRUE(torch::allclose(fresh->model->lang_cond_pos_embed, expected["init.lang_cond_pos_embed"], 0, 1e-6));
    EXPECT_TRUE(torch::allclose(fresh->model->img_cond_pos_embed, expected["init.img_cond_pos_embed"], 0, 1e-6));
    DdpmScheduler ddpm(fresh->config());
    EXPECT_TRUE(torch::allclose(ddpm.alphasCumprod(), expected["alphas_cumprod"], 0, 1e-7));
    const torch::Tensor noised = ddpm.addNoise(in["noisy_action"], in["init_noise"], in["timesteps"]);
    EXPECT_TRUE(torch::allclose(noised, expected["noised"], 1e-6, 1e-6));
}

TEST_F(Parity, ForwardCommandWritesTheReferenceOutputs)
{
    const std::string out = s_folder + "/out.safetensors";
    std::string output;
    const int status = trainertest::runCommand(std::string(RDT_TRAINER_BINARY) + " forward --config " + s_folder +
                                               "/config.yaml --weights " + s_folder + " --inputs " + s_folder +
                                               "/inputs.safetensors --out " + out, output);
    ASSERT_EQ(status, 0) << output;
    EXPECT_NE(output.find("model.safetensors"), std::string::npos) << "says which file it loaded: " << output;
    auto got = read("out.safetensors");
    auto expected = read("expected.safetensors");
    EXPECT_LT(relativeError(got["pred"], expected["pred"]), kTolerance);
    EXPECT_LT(relativeError(got["sampled"], expected["sampled"]), kTolerance);
    // A mis-shaped input is one line naming the tensor and both shapes, exit 1.
    const int bad = trainertest::runCommand(std::string(RDT_TRAINER_BINARY) + " forward --config " + s_folder +
                                            "/config.yaml --weights " + s_folder + " --inputs " + s_folder +
                                            "/expected.safetensors --out " + out, output);
    EXPECT_EQ(bad, 1);
    EXPECT_NE(output.find("has no tensor 'lang_tokens'"), std::string::npos) << output;
}

TEST_F(Parity, LoaderReportsMissingUnexpectedAndMisshapedKeys)
{
    NamedTensors tensors = readWeightsFile(s_folder + "/model.safetensors");
    tensors.erase(std::remove_if(tensors.begin(), tensors.end(),
                                 [](const auto &e) { return e.first == "state_adaptor.4.bias"; }),
                  tensors.end());
    tensors.emplace_back("model.extra_table", torch::zeros(3));
    RdtRunner runner(loadRdtConfig(s_folder + "/config.yaml"));
    const WeightsReport report = loadWeightsInto(*runner, tensors, "edited");
    EXPECT_EQ(report.missing, std::vector<std::string>{"state_adaptor.4.bias"});
    EXPECT_EQ(report.unexpected, std::vector<std::string>{"model.extra_table"});
    for (auto &[name, t] : tensors) {
        if (name == "model.x_pos_embed")
            t = torch::zeros({1, 66, 64});
    }
    try {
        loadWeightsInto(*runner, tensors, "edited");
        FAIL() << "a shape mismatch must be an error";
    } catch (const std::exception &error) {
        EXPECT_NE(std::string(error.what()).find("model.x_pos_embed [1, 66, 64] in the file, [1, 67, 64] in the model"),
                  std::string::npos) << error.what();
    }
}
