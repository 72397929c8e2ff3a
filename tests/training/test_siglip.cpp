// The SigLIP vision tower against a plain-PyTorch transcription of transformers'
// SiglipVisionModel (tests/training/python/siglip_reference.py) on a tiny random config
// saved as a Hugging Face folder: the forward within 1e-4 relative in float32, RDT's image
// preparation (pad to square, PIL bicubic, normalise) within one 8-bit level on wide, tall
// and square frames, the `siglip` command, batching over a batch's image slots, and the
// errors for unusable folders and inputs.
#include "model/RdtConfig.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "train/Conditioning.h"
#include "vision/SiglipImageEncoder.h"
#include "vision/SiglipLoader.h"
#include "weights/SafetensorsFile.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

// One 8-bit level of a [0, 255] pixel, in the [-1, 1] units of pixel_values.
constexpr double kOneLevel = 2.0 / 255.0;

std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::exception &error) {
        return error.what();
    }
    return "";
}

std::map<std::string, torch::Tensor> readMap(const std::string &path)
{
    std::map<std::string, torch::Tensor> m;
    for (auto &[k, v] : readSafetensors(path).tensors)
        m[k] = v;
    return m;
}

double relativeError(const torch::Tensor &actual, const torch::Tensor &expected)
{
    return ((actual - expected).abs().max() / expected.abs().max()).item<double>();
}

class Siglip : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string python = trainertest::pythonWithTorch();
        if (python.empty())
            return;
        s_folder = trainertest::scratchFolder("siglip");
        std::string output;
        s_ready = trainertest::runCommand(python + " -c 'import PIL' && " + python + " " +
                                              trainertest::shellQuote(trainertest::referenceScript("siglip_reference.py")) +
                                              " make " + trainertest::shellQuote(s_folder),
                                          output) == 0;
        EXPECT_TRUE(s_ready) << output;
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "python3-torch or python3-pil is not installed (scripts/setup installs them)";
    }

    static inline std::string s_folder;
    static inline bool s_ready = false;
};

} // namespace

TEST_F(Siglip, ForwardMatchesTransformersTranscription)
{
    LoadedSiglip loaded = loadSiglipFolder(s_folder);
    EXPECT_EQ(loaded.tower->config().hidden_size, 32);
    EXPECT_EQ(loaded.tower->config().numPatches(), 16);
    for (const torch::Tensor &p : loaded.tower->parameters())
        EXPECT_FALSE(p.requires_grad());
    const torch::Tensor pixels = readMap(s_folder + "/pixels.safetensors").at("pixel_values");
    const torch::Tensor expected = readMap(s_folder + "/pixels_expected.safetensors").at("last_hidden_state");
    torch::NoGradGuard noGrad;
    const torch::Tensor actual = loaded.tower->forward(pixels);
    ASSERT_EQ(actual.sizes(), expected.sizes());
    EXPECT_LT(relativeError(actual, expected), 1e-4);
}

TEST_F(Siglip, PreprocessingMatchesRdtOnNonSquareFrames)
{
    LoadedSiglip loaded = loadSiglipFolder(s_folder);
    const SiglipImageProcessor processor(loaded.processor);
    torch::NoGradGuard noGrad;
    for (int i = 0; i < 3; ++i) {
        const std::string name = "images_" + std::to_string(i);
        const torch::Tensor frames = readMap(s_folder + "/" + name + ".safetensors").at("images"); // [1, H, W, 3]
        const auto expected = readMap(s_folder + "/" + name + "_expected.safetensors");
        const torch::Tensor pixels = processor.preprocess(frames.permute({0, 3, 1, 2}));
        ASSERT_EQ(pixels.sizes(), expected.at("pixel_values").sizes()) << name;
        const torch::Tensor diff = (pixels - expected.at("pixel_values")).abs();
        EXPECT_LE(diff.max().item<double>(), kOneLevel + 1e-6) << name;
        // Off by a level only where PIL's fixed-point rounding of a tie differs: a few percent.
        EXPECT_LT((diff > 1e-6).to(torch::kFloat32).mean().item<double>(), 0.1) << name;
        // Features then differ only as much as those levels explain.
        const torch::Tensor features = loaded.tower->forward(pixels);
        const torch::Tensor fromReference = loaded.tower->forward(expected.at("pixel_values"));
        EXPECT_LT(relativeError(fromReference, expected.at("last_hidden_state")), 1e-4) << name;
        EXPECT_LT(relativeError(features, expected.at("last_hidden_state")), 2e-2) << name;
    }
}

TEST_F(Siglip, CommandWritesLastHiddenState)
{
    const std::string out = trainertest::scratchFolder("siglip_command");
    std::string output;
    const std::string trainer = RDT_TRAINER_BINARY;
    ASSERT_EQ(trainertest::runCommand(trainer + " siglip --model " + s_folder + " --images " + s_folder +
                                          "/pixels.safetensors --out " + out + "/pixels_out.safetensors", output), 0)
        << output;
    EXPECT_LT(relativeError(readMap(out + "/pixels_out.safetensors").at("last_hidden_state"),
                            readMap(s_folder + "/pixels_expected.safetensors").at("last_hidden_state")), 1e-4);
    ASSERT_EQ(trainertest::runCommand(trainer + " siglip --model " + s_folder + " --images " + s_folder +
                                          "/images_0.safetensors --out " + out + "/images_out.safetensors", output), 0)
        << output;
    const auto result = readMap(out + "/images_out.safetensors");
    const auto expected = readMap(s_folder + "/images_0_expected.safetensors");
    EXPECT_LE((result.at("pixel_values") - expected.at("pixel_values")).abs().max().item<double>(), kOneLevel + 1e-6);
    EXPECT_EQ(result.at("last_hidden_state").sizes(), expected.at("last_hidden_state").sizes());

    // Bad inputs: one line that names the file and the problem.
    writeSafetensors(out + "/bad.safetensors", {{"images", torch::zeros({1, 3, 8, 8}, torch::kFloat32)}});
    EXPECT_EQ(trainertest::runCommand(trainer + " siglip --model " + s_folder + " --images " + out +
                                          "/bad.safetensors --out " + out + "/x.safetensors", output), 1);
    EXPECT_NE(output.find("bad.safetensors: 'images' is Float [1, 3, 8, 8], not uint8 [N, H, W, 3]"), std::string::npos)
        << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
    EXPECT_EQ(trainertest::runCommand(trainer + " siglip --model " + out + "/absent --images " + out +
                                          "/bad.safetensors --out " + out + "/x.safetensors", output), 1);
    EXPECT_NE(output.find("absent is not a folder"), std::string::npos) << output;
}

TEST_F(Siglip, EncoderBatchesEverySlotAndFeedsTheBackground)
{
    // Six slots of two samples at once equal each image on its own; a background slot (every
    // byte 127, RDT's for SigLIP's mean 0.5) gives the features of a 127-grey image.
    SiglipImageEncoder encoder(loadSiglipFolder(s_folder), torch::kCPU);
    EXPECT_EQ(encoder.tokensPerImage(), 16);
    torch::Tensor images = torch::randint(0, 256, {2, 6, 3, 10, 14}, torch::kUInt8);
    images[0][5].fill_(127);
    const torch::Tensor tokens = encoder.encode(images);
    ASSERT_EQ(tokens.sizes(), (std::vector<int64_t>{2, 6 * 16, 32}));
    EXPECT_FALSE(tokens.requires_grad());
    LoadedSiglip loaded = loadSiglipFolder(s_folder);
    const SiglipImageProcessor processor(loaded.processor);
    torch::NoGradGuard noGrad;
    for (int64_t b = 0; b < 2; ++b)
        for (int64_t s = 0; s < 6; ++s) {
            const torch::Tensor alone = loaded.tower->forward(processor.preprocess(images[b][s].unsqueeze(0)))[0];
            EXPECT_LT(relativeError(tokens[b].slice(0, s * 16, (s + 1) * 16), alone), 1e-5) << b << " " << s;
        }
    const torch::Tensor grey = torch::full({1, 3, 28, 28}, (127.0 / 255.0 - 0.5) / 0.5);
    EXPECT_LT(relativeError(tokens[0].slice(0, 80, 96), loaded.tower->forward(grey)[0]), 1e-5);
}

TEST_F(Siglip, UnusableFoldersAndMismatchedModelsAreRefused)
{
    const std::string folder = trainertest::scratchFolder("siglip_bad");
    // A config whose tower is deeper than the weights.
    fs::copy(s_folder, folder + "/deeper", fs::copy_options::recursive);
    nlohmann::json config = nlohmann::json::parse(std::ifstream(folder + "/deeper/config.json"));
    config["vision_config"]["num_hidden_layers"] = 3;
    std::ofstream(folder + "/deeper/config.json") << config.dump();
    std::string message = errorOf([&] { loadSiglipFolder(folder + "/deeper"); });
    EXPECT_NE(message.find("lacks"), std::string::npos) << message;
    EXPECT_NE(message.find("vision_model.encoder.layers.2.self_attn.q_proj.weight"), std::string::npos) << message;
    // A head count that does not divide the width.
    config["vision_config"]["num_hidden_layers"] = 2;
    config["vision_config"]["num_attention_heads"] = 5;
    std::ofstream(folder + "/deeper/config.json") << config.dump();
    message = errorOf([&] { loadSiglipFolder(folder + "/deeper"); });
    EXPECT_NE(message.find("hidden_size 32 is not a positive multiple of num_attention_heads 5"), std::string::npos)
        << message;
    // No weights.
    fs::create_directories(folder + "/empty");
    fs::copy_file(s_folder + "/config.json", folder + "/empty/config.json");
    message = errorOf([&] { loadSiglipFolder(folder + "/empty"); });
    EXPECT_NE(message.find("empty"), std::string::npos) << message;
    // Tokens that do not fit the model's image tokens.
    const RdtConfig rdt = trainertest::tinyConfig(2, 4); // 4 tokens x 24 per image
    auto vision = std::make_shared<SiglipImageEncoder>(loadSiglipFolder(s_folder), torch::kCPU);
    message = errorOf([&] { Conditioning(rdt, 8, 8, ConditioningSources{{}, vision}); });
    EXPECT_NE(message.find("gives 16 tokens x 32 per image, but the model config has img_num_patches 4 and "
                           "img_token_dim 24"), std::string::npos) << message;
}
