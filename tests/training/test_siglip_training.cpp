// Training with RDT's real conditioning: a (tiny, random) SigLIP folder as the frozen
// vision tower and encode_lang.py dicts written by Python's torch.save as the language
// tokens. The loss falls, a resumed run gives the uninterrupted losses and weights bit for
// bit, nothing of the tower lands in a checkpoint, and the log and start event say which
// conditioning the run has; a run without the encoders says it is not RDT-conditioned.
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "train/Trainer.h"
#include "weights/SafetensorsFile.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

// The tiny tower: 16x16 inputs in 8x8 patches -> 4 tokens x 24 per image, the tiny RDT's.
constexpr int64_t kPatchesPerImage = 4;
constexpr int64_t kLangDim = 16;

std::vector<nlohmann::json> readMetrics(const std::string &outputDir)
{
    std::vector<nlohmann::json> events;
    std::ifstream in(outputDir + "/metrics.jsonl");
    std::string line;
    while (std::getline(in, line))
        events.push_back(nlohmann::json::parse(line));
    return events;
}

std::map<int64_t, double> lossesByStep(const std::vector<nlohmann::json> &events)
{
    std::map<int64_t, double> losses;
    for (const auto &e : events)
        if (e.contains("loss"))
            losses[e["step"].get<int64_t>()] = e["loss"].get<double>();
    return losses;
}

std::string readText(const std::string &path)
{
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class SiglipTraining : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string python = trainertest::pythonWithTorch();
        if (python.empty())
            return;
        s_folder = trainertest::scratchFolder("siglip_training");
        std::string output;
        s_ready = trainertest::runCommand(
                      python + " " + trainertest::shellQuote(trainertest::referenceScript("siglip_reference.py")) +
                          " make " + s_folder + "/siglip --hidden 24 --heads 4 --mlp 40 --image 16 --patch 8 && " +
                          python + " " + trainertest::shellQuote(trainertest::referenceScript("make_lang_fixture.py")) +
                          " " + s_folder + "/lang " + std::to_string(kLangDim),
                      output) == 0;
        EXPECT_TRUE(s_ready) << output;
        if (!s_ready)
            return;
        // 10x14 frames (non-square, as LIBERO's are not always) with the fixture's instruction,
        // whose embedding is an encode_lang.py dict beside RDT's empty embedding.
        fixture::LiberoFixture libero;
        libero.demo_steps = {30, 45, 20};
        libero.image_height = 10;
        libero.image_width = 14;
        libero.instruction = "open the top drawer of the cabinet";
        fixture::writeLiberoFixture(s_folder + "/libero.hdf5", libero);
        RdtConfig config = trainertest::tinyConfig(2, kPatchesPerImage);
        config.lang_token_dim = kLangDim;
        std::ofstream(s_folder + "/tiny.yaml") << rdtConfigToBaseYaml(config);
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "python3-torch or python3-pil is not installed (scripts/setup installs them)";
    }

    static TrainOptions options(const std::string &run)
    {
        TrainOptions o;
        o.config = s_folder + "/tiny.yaml";
        o.dataset = s_folder + "/libero.hdf5";
        o.output_dir = s_folder + "/" + run;
        o.vision_encoder = s_folder + "/siglip";
        o.lang_embeddings = s_folder + "/lang/dict";
        o.train_batch_size = 4;
        o.learning_rate = 1e-3;
        o.lr_warmup_steps = 0;
        o.max_train_steps = 6;
        o.checkpointing_period = 3;
        o.dataloader_num_workers = 1;
        o.seed = 3;
        return o;
    }

    static inline std::string s_folder;
    static inline bool s_ready = false;
};

} // namespace

TEST_F(SiglipTraining, LossFallsWithTheFrozenTowerAndT5Embeddings)
{
    TrainOptions o = options("falls");
    o.max_train_steps = 40;
    o.checkpointing_period = 40;
    runTraining(o);
    const auto events = readMetrics(o.output_dir);
    const auto losses = lossesByStep(events);
    ASSERT_EQ(losses.size(), 40u);
    // The untrained model's loss (the first 3 steps) against the last 10 steps: LIBERO's 7
    // valid dimensions of 128 keep the numbers small, the fall is some 15-20 %.
    double first = 0, last = 0;
    for (int64_t s = 1; s <= 3; ++s)
        first += losses.at(s) / 3;
    for (int64_t s = 31; s <= 40; ++s)
        last += losses.at(s) / 10;
    EXPECT_LT(last, 0.9 * first) << "first " << first << " last " << last;
    // The start event and the log say the run is RDT-conditioned, with no warning.
    const nlohmann::json &conditioning = events.front()["conditioning"];
    EXPECT_EQ(conditioning["vision"], "siglip:" + s_folder + "/siglip/model.safetensors");
    EXPECT_EQ(conditioning["language"], "t5:" + s_folder + "/lang/dict");
    EXPECT_TRUE(conditioning["warnings"].empty()) << conditioning.dump();
    const std::string log = readText(o.output_dir + "/train.log");
    EXPECT_NE(log.find("vision encoder: SigLIP from"), std::string::npos) << log;
    EXPECT_NE(log.find("language: 3 precomputed embeddings"), std::string::npos) << log;
    EXPECT_EQ(log.find("warning"), std::string::npos) << log;
    // Nothing trainable outside RDT: the tower is frozen and not saved, the tokens are given.
    EXPECT_TRUE(readSafetensors(o.output_dir + "/checkpoint-40/encoders.safetensors").tensors.empty());
}

TEST_F(SiglipTraining, ResumeGivesTheUninterruptedLosses)
{
    TrainOptions whole = options("whole");
    runTraining(whole);
    TrainOptions part = options("part");
    part.max_train_steps = 3;
    runTraining(part);
    part.max_train_steps = 6;
    part.resume_from_checkpoint = "latest";
    runTraining(part);
    const auto expected = lossesByStep(readMetrics(whole.output_dir));
    const auto resumed = lossesByStep(readMetrics(part.output_dir));
    ASSERT_EQ(expected.size(), 6u);
    ASSERT_EQ(resumed.size(), 6u);
    for (const auto &[step, loss] : expected)
        EXPECT_EQ(resumed.at(step), loss) << "step " << step;
    const auto a = readSafetensors(whole.output_dir + "/checkpoint-6/model.safetensors").tensors;
    const auto b = readSafetensors(part.output_dir + "/checkpoint-6/model.safetensors").tensors;
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_TRUE(torch::equal(a[i].second, b[i].second)) << a[i].first;
}

TEST_F(SiglipTraining, RunsWithoutTheEncodersStopWithOneErrorNamingWhatIsMissing)
{
    TrainOptions o = options("stand_ins");
    o.vision_encoder.clear();
    o.lang_embeddings.clear();
    o.max_train_steps = 1;
    std::string message;
    try {
        runTraining(o);
    } catch (const std::exception &error) {
        message = error.what();
    }
    // One message for both, each with how to get it and its opt-in; nothing trained.
    EXPECT_NE(message.find("no vision encoder"), std::string::npos) << message;
    EXPECT_NE(message.find("google/siglip-so400m-patch14-384"), std::string::npos) << message;
    EXPECT_NE(message.find("--vision_encoder patch"), std::string::npos) << message;
    EXPECT_NE(message.find("no language embeddings"), std::string::npos) << message;
    EXPECT_NE(message.find("encode_lang.py"), std::string::npos) << message;
    EXPECT_NE(message.find("--lang learned"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(o.output_dir + "/checkpoint-1"));

    // One of them missing names only that one.
    o.vision_encoder = "patch";
    message.clear();
    try {
        runTraining(o);
    } catch (const std::exception &error) {
        message = error.what();
    }
    EXPECT_EQ(message.find("no vision encoder"), std::string::npos) << message;
    EXPECT_NE(message.find("no language embeddings"), std::string::npos) << message;

    // The explicit opt-ins are notes, not warnings; with pretrained weights, learned words warn.
    o.output_dir = s_folder + "/opted_in";
    o.vision_encoder = "patch";
    o.lang = "learned";
    runTraining(o);
    EXPECT_TRUE(readMetrics(o.output_dir).front()["conditioning"]["warnings"].empty());
    o.output_dir = s_folder + "/opted_in_pretrained";
    o.pretrained_model_name_or_path = s_folder + "/opted_in/checkpoint-1";
    runTraining(o);
    const std::string pretrainedLog = readText(o.output_dir + "/train.log");
    EXPECT_NE(pretrainedLog.find("warning: pretrained weights with a learned word table"), std::string::npos)
        << pretrainedLog;

    // Contradicting flags are refused.
    o.lang_embeddings = s_folder + "/lang/dict";
    message.clear();
    try {
        runTraining(o);
    } catch (const std::exception &error) {
        message = error.what();
    }
    EXPECT_NE(message.find("--lang learned and --lang_embeddings"), std::string::npos) << message;
}

TEST_F(SiglipTraining, RdtsCommandLineRunsWithItsFlagNames)
{
    // RDT's finetune.sh names: the vision encoder, the augmentations, --config_path, and
    // flags that do not apply here (accepted with a note each).
    const std::string out = s_folder + "/cli";
    std::string output;
    const int status = trainertest::runCommand(
        std::string(RDT_TRAINER_BINARY) + " train --config_path " + s_folder + "/tiny.yaml --dataset " + s_folder +
            "/libero.hdf5 --output_dir " + out + " --pretrained_vision_encoder_name_or_path " + s_folder +
            "/siglip --lang_embeddings " + s_folder + "/lang/dict --max_train_steps 2 --checkpointing_period 2"
            " --train_batch_size 2 --dataloader_num_workers 0 --image_aug --state_noise_snr 40"
            " --cam_ext_mask_prob 0.2 --deepspeed ./configs/zero2.json --report_to wandb --precomp_lang_embed"
            " --load_from_hdf5 --sample_batch_size 64",
        output);
    ASSERT_EQ(status, 0) << output;
    for (const char *flag : {"deepspeed", "report_to", "precomp_lang_embed", "load_from_hdf5", "sample_batch_size"})
        EXPECT_NE(output.find(std::string("note: --") + flag + " does not apply"), std::string::npos) << flag << output;
    const auto events = readMetrics(out);
    const nlohmann::json &train = events.front()["config"]["train"];
    EXPECT_EQ(train["image_aug"], true);
    EXPECT_EQ(train["state_noise_snr"], 40.0);
    EXPECT_EQ(train["cam_ext_mask_prob"], 0.2);
    EXPECT_EQ(train["vision_encoder"], s_folder + "/siglip");
    EXPECT_EQ(lossesByStep(events).size(), 2u);
}
