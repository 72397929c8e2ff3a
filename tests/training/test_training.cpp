// The training loop end to end on tiny LIBERO files: the loss falls when overfitting one
// batch; a run writes metrics.jsonl, train.log and checkpoints per contract 2 and prunes
// them; resuming gives the same losses as an uninterrupted run; a NaN loss stops the run
// with an error event and keeps the last good checkpoint.
#include "model/RdtRunner.h"
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "train/DdpmScheduler.h"
#include "train/Trainer.h"
#include "weights/SafetensorsFile.h"
#include "weights/WeightsLoader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

// 8x8 images in 2x2 patches of 4x4: 4 tokens per image, 24 image tokens in all.
constexpr int kImageSide = 8;
constexpr int64_t kPatchesPerImage = 4;

struct RunFolder {
    std::string dataset;
    std::string config;
};

RunFolder tinyRunInputs(const std::string &folder)
{
    fixture::LiberoFixture libero;
    libero.demo_steps = {30, 45, 20};
    libero.image_height = kImageSide;
    libero.image_width = kImageSide;
    writeLiberoFixture(folder + "/libero.hdf5", libero);
    trainertest::writeTinyConfigYaml(folder + "/tiny.yaml", 2, kPatchesPerImage);
    return {folder + "/libero.hdf5", folder + "/tiny.yaml"};
}

TrainOptions tinyOptions(const RunFolder &inputs, const std::string &outputDir)
{
    TrainOptions o;
    o.config = inputs.config;
    o.dataset = inputs.dataset;
    o.output_dir = outputDir;
    // The tiny model trains on the stand-in encoders, opted into explicitly.
    o.vision_encoder = "patch";
    o.lang = "learned";
    o.train_batch_size = 2;
    o.learning_rate = 1e-3;
    o.lr_warmup_steps = 2;
    o.max_train_steps = 6;
    o.checkpointing_period = 3;
    o.dataloader_num_workers = 1;
    o.seed = 42;
    return o;
}

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
    for (const auto &e : events) {
        if (e.contains("loss"))
            losses[e["step"].get<int64_t>()] = e["loss"].get<double>();
    }
    return losses;
}

} // namespace

TEST(Training, LossFallsWhenOverfittingOneBatch)
{
    torch::manual_seed(0);
    const RdtConfig config = trainertest::tinyConfig(2);
    RdtRunner runner(config);
    DdpmScheduler ddpm(config);
    torch::optim::AdamW optimizer(runner->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(1e-2));
    const torch::Tensor lang = torch::randn({4, 3, 32}), img = torch::randn({4, 24, 24});
    const torch::Tensor state = torch::randn({4, 1, 128}), mask = torch::ones({4, 1, 128});
    const torch::Tensor actions = torch::sin(torch::linspace(0, 6, 64)).reshape({1, 64, 1}).expand({4, 64, 128}).contiguous();
    std::vector<double> losses;
    for (int step = 0; step < 80; ++step) {
        const torch::Tensor noise = torch::randn(actions.sizes());
        const torch::Tensor t = torch::randint(0, 1000, {4}, torch::kInt64);
        const torch::Tensor pred = runner->denoise(lang, std::nullopt, img, state, ddpm.addNoise(actions, noise, t), mask, t,
                                                   torch::full({4}, 20.0f));
        const torch::Tensor loss = torch::mse_loss(pred, actions);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        losses.push_back(loss.item<double>());
    }
    const double first = (losses[0] + losses[1] + losses[2] + losses[3] + losses[4]) / 5;
    const double last = (losses[75] + losses[76] + losses[77] + losses[78] + losses[79]) / 5;
    EXPECT_LT(last, 0.2 * first) << "first " << first << " last " << last;
}

TEST(Training, RunWritesContractTwoFolder)
{
    const std::string folder = trainertest::scratchFolder("training_run");
    const RunFolder inputs = tinyRunInputs(folder);
    TrainOptions o = tinyOptions(inputs, folder + "/run");
    o.checkpoints_total_limit = 1;
    o.sample_period = 3;
    o.holdout_every = 3; // episode 2 is held out
    runTraining(o);

    const auto events = readMetrics(o.output_dir);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front()["event"], "start");
    EXPECT_EQ(events.front()["world_size"], 1);
    EXPECT_TRUE(events.front()["config"].contains("model"));
    EXPECT_EQ(events.back()["event"], "done");
    EXPECT_EQ(events.back()["step"], 6);
    const auto losses = lossesByStep(events);
    ASSERT_EQ(losses.size(), 6u);
    int samples = 0, checkpoints = 0;
    for (const auto &e : events) {
        if (e.contains("loss")) {
            EXPECT_TRUE(std::isfinite(e["loss"].get<double>()));
            for (const char *key : {"time", "lr", "grad_norm", "samples_per_s", "epoch"})
                EXPECT_TRUE(e.contains(key)) << key << " in " << e.dump();
        }
        if (e.value("event", "") == "sample") {
            ++samples;
            EXPECT_TRUE(std::isfinite(e["sample_mse"].get<double>()));
            EXPECT_TRUE(e["held_out"].get<bool>());
        }
        if (e.value("event", "") == "checkpoint") {
            ++checkpoints;
            EXPECT_EQ(e["path"], "checkpoint-" + std::to_string(e["step"].get<int64_t>()));
        }
    }
    EXPECT_EQ(samples, 2);
    EXPECT_EQ(checkpoints, 2);
    // The learning rate warmed up over 2 steps.
    EXPECT_DOUBLE_EQ(events[1]["lr"].get<double>(), 0.0);

    // Pruned to the newest; complete; nothing temporary left.
    std::vector<std::string> entries;
    for (const auto &entry : fs::directory_iterator(o.output_dir))
        entries.push_back(entry.path().filename().string());
    std::sort(entries.begin(), entries.end());
    EXPECT_EQ(entries, (std::vector<std::string>{"checkpoint-6", "metrics.jsonl", "run.yaml", "train.log"}));
    const std::string ckpt = o.output_dir + "/checkpoint-6";
    for (const char *file : {"config.json", "model.safetensors", "ema/model.safetensors", "encoders.safetensors",
                             "optimizer.pt", "trainer_state.json", "rng_state.safetensors"})
        EXPECT_TRUE(fs::exists(ckpt + "/" + file)) << file;
    // The checkpoint is a pretrained folder for a new run: config.json plus weights.
    RdtRunner reloaded(loadRdtConfig(ckpt));
    const WeightsReport report = loadPretrained(*reloaded, ckpt);
    EXPECT_EQ(report.file, ckpt + "/model.safetensors");
    EXPECT_TRUE(report.missing.empty() && report.unexpected.empty()) << report.summary();
    std::ifstream log(o.output_dir + "/train.log");
    const std::string logText((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(logText.find("saved checkpoint-6"), std::string::npos);
}

TEST(Training, ResumeGivesTheUninterruptedLosses)
{
    const std::string folder = trainertest::scratchFolder("training_resume");
    const RunFolder inputs = tinyRunInputs(folder);
    TrainOptions whole = tinyOptions(inputs, folder + "/whole");
    runTraining(whole);

    TrainOptions part = tinyOptions(inputs, folder + "/part");
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
    // And the final weights agree bit for bit.
    const auto a = readSafetensors(whole.output_dir + "/checkpoint-6/model.safetensors").tensors;
    const auto b = readSafetensors(part.output_dir + "/checkpoint-6/model.safetensors").tensors;
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_TRUE(torch::equal(a[i].second, b[i].second)) << a[i].first;
}

TEST(Training, NonFiniteLossStopsWithAnErrorEvent)
{
    const std::string folder = trainertest::scratchFolder("training_nan");
    const RunFolder inputs = tinyRunInputs(folder);
    TrainOptions o = tinyOptions(inputs, folder + "/run");
    o.learning_rate = 1e30; // blows the weights up after the first step
    o.lr_warmup_steps = 0;
    o.max_grad_norm = 0;
    o.checkpointing_period = 1;
    o.max_train_steps = 20;
    std::string message;
    try {
        runTraining(o);
    } catch (const std::exception &error) {
        message = error.what();
    }
    EXPECT_NE(message.find("loss is"), std::string::npos) << message;
    const auto events = readMetrics(o.output_dir);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "error");
    EXPECT_EQ(events.back()["message"], message);
    // The checkpoints written before the bad step remain.
    EXPECT_TRUE(fs::exists(o.output_dir + "/checkpoint-1/model.safetensors"));
}

TEST(Training, CommandLineFailuresAreOneLineAndNonZero)
{
    const std::string folder = trainertest::scratchFolder("training_cli");
    const RunFolder inputs = tinyRunInputs(folder);
    const std::string trainer = RDT_TRAINER_BINARY;
    std::string output;
    EXPECT_EQ(trainertest::runCommand(trainer + " train --dataset " + inputs.dataset + " --output-dir " + folder + "/o", output), 1);
    EXPECT_EQ(output, "rdt-trainer train: train: --config is required\n");
    std::ofstream(folder + "/bad.yaml") << "model:\n  rdt:\n    hidden_size: 64\n    num_heads: 6\n";
    EXPECT_EQ(trainertest::runCommand(trainer + " train --config " + folder + "/bad.yaml --dataset " + inputs.dataset +
                                      " --output_dir " + folder + "/o --max_train_steps 1", output), 1);
    EXPECT_NE(output.find("does not divide"), std::string::npos) << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
    EXPECT_EQ(trainertest::runCommand(trainer + " train --config " + inputs.config + " --dataset " + folder +
                                      "/absent.hdf5 --output_dir " + folder + "/o", output), 1);
    EXPECT_NE(output.find("absent.hdf5"), std::string::npos) << output;
    EXPECT_EQ(trainertest::runCommand(trainer + " train --config " + inputs.config + " --dataset " + inputs.dataset +
                                      " --output_dir " + folder + "/o --pretrained_model_name_or_path " + folder +
                                      "/nowhere", output), 1);
    EXPECT_NE(output.find("nowhere: no such file or folder"), std::string::npos) << output;
    EXPECT_EQ(trainertest::runCommand(trainer + " train --bogus 1", output), 1);
    EXPECT_NE(output.find("unknown flag --bogus"), std::string::npos) << output;
    EXPECT_EQ(trainertest::runCommand(trainer + " frobnicate", output), 2);
    // Without RDT's encoders and without the stand-ins' opt-ins: one line naming both.
    EXPECT_EQ(trainertest::runCommand(trainer + " train --config " + inputs.config + " --dataset " + inputs.dataset +
                                      " --output_dir " + folder + "/bare --max_train_steps 2", output), 1);
    // The log's lines come first; the error is the one line the trainer ends with.
    const std::string body = output.substr(0, output.size() - 1);
    const std::string last = body.substr(body.rfind('\n') + 1);
    EXPECT_EQ(last.rfind("rdt-trainer train: no vision encoder", 0), 0u) << output;
    EXPECT_NE(last.find("no language embeddings"), std::string::npos) << output;
    EXPECT_EQ(output.find("step 1"), std::string::npos) << "nothing trained: " << output;
    // Dashes work as underscores, and a short run succeeds from the command line.
    EXPECT_EQ(trainertest::runCommand(trainer + " train --config " + inputs.config + " --dataset " + inputs.dataset +
                                      " --output-dir " + folder + "/ok --max-train-steps 2 --train-batch-size 2"
                                      " --checkpointing-period 2 --dataloader-num-workers 0 --vision-encoder patch"
                                      " --lang learned", output), 0) << output;
    EXPECT_TRUE(fs::exists(folder + "/ok/checkpoint-2/model.safetensors"));
    EXPECT_EQ(trainertest::runCommand(trainer + " info --json", output), 0) << output;
    const nlohmann::json info = nlohmann::json::parse(output);
    EXPECT_EQ(info["libtorch"].get<std::string>().substr(0, 2), std::to_string(TORCH_VERSION_MAJOR) + ".");
    EXPECT_TRUE(info.contains("devices"));
    EXPECT_TRUE(info.contains("threads"));
}

TEST(Training, PrecomputedLanguageTokensWithRdtsEmptyEmbedding)
{
    // T5-sized (4096-d) instruction tokens from a safetensors file; dropped instructions use
    // RDT's real empty_lang_embed.pt.
    const std::string folder = trainertest::scratchFolder("training_lang");
    const RunFolder inputs = tinyRunInputs(folder);
    RdtConfig config = trainertest::tinyConfig(2, kPatchesPerImage);
    config.lang_token_dim = 4096;
    std::ofstream(folder + "/t5.yaml") << rdtConfigToBaseYaml(config);
    writeSafetensors(folder + "/lang.safetensors",
                     {{fixture::LiberoFixture().instruction, torch::randn({5, 4096})}});
    TrainOptions o = tinyOptions({inputs.dataset, folder + "/t5.yaml"}, folder + "/run");
    o.max_train_steps = 3;
    o.lang_embeddings = folder + "/lang.safetensors";
    o.lang.clear();
    o.cond_mask_prob = 0.5;
    std::string message;
    try {
        runTraining(o);
    } catch (const std::exception &error) {
        message = error.what();
    }
    EXPECT_NE(message.find("has no entry \"\" for a dropped instruction"), std::string::npos) << message;
    o.output_dir = folder + "/run2";
    o.empty_lang_embed = trainertest::trainerTestData("rdt_empty_lang_embed.pt");
    runTraining(o);
    const auto losses = lossesByStep(readMetrics(o.output_dir));
    ASSERT_EQ(losses.size(), 3u);
    for (const auto &[step, loss] : losses)
        EXPECT_TRUE(std::isfinite(loss)) << step;
}

TEST(Training, Bf16AndGradientCheckpointingTrain)
{
    // What users reach for against out-of-memory: both on, the loop still trains.
    const std::string folder = trainertest::scratchFolder("training_bf16");
    const RunFolder inputs = tinyRunInputs(folder);
    TrainOptions o = tinyOptions(inputs, folder + "/run");
    o.mixed_precision = "bf16";
    o.gradient_checkpointing = true;
    o.gradient_accumulation_steps = 2;
    o.max_train_steps = 3;
    runTraining(o);
    const auto losses = lossesByStep(readMetrics(o.output_dir));
    ASSERT_EQ(losses.size(), 3u);
    for (const auto &[step, loss] : losses)
        EXPECT_TRUE(std::isfinite(loss)) << step;
    o.mixed_precision = "fp16";
    o.output_dir = folder + "/fp16";
    try {
        runTraining(o);
        FAIL() << "fp16 is refused until a gradient scaler exists";
    } catch (const std::exception &error) {
        EXPECT_NE(std::string(error.what()).find("fp16 is not supported yet"), std::string::npos) << error.what();
    }
}

TEST(Training, CheckpointLoadsStrictlyIntoThePythonReference)
{
    // Contract 3: checkpoints written here load in the official Python code. The reference
    // runner is built from config.json and loads model.safetensors with strict=True; its
    // denoiser output on random inputs equals `rdt-trainer forward` on the same checkpoint.
    const std::string python = trainertest::pythonWithTorch();
    if (python.empty())
        GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    const std::string folder = trainertest::scratchFolder("training_to_python");
    const RunFolder inputs = tinyRunInputs(folder);
    TrainOptions o = tinyOptions(inputs, folder + "/run");
    o.max_train_steps = 3;
    runTraining(o);
    const std::string ckpt = o.output_dir + "/checkpoint-3";
    std::string output;
    ASSERT_EQ(trainertest::runCommand(python + " " + trainertest::referenceScript("load_checkpoint.py") + " " + ckpt + " " +
                                          folder + "/python.safetensors", output), 0) << output;
    ASSERT_EQ(trainertest::runCommand(std::string(RDT_TRAINER_BINARY) + " forward --weights " + ckpt + " --inputs " +
                                          folder + "/python.safetensors --out " + folder + "/ours.safetensors", output), 0)
        << output;
    std::map<std::string, torch::Tensor> python_out, ours;
    for (auto &[k, v] : readSafetensors(folder + "/python.safetensors").tensors)
        python_out[k] = v;
    for (auto &[k, v] : readSafetensors(folder + "/ours.safetensors").tensors)
        ours[k] = v;
    const torch::Tensor &expected = python_out.at("python_pred");
    EXPECT_GT(expected.abs().max().item<float>(), 0.0f);
    EXPECT_TRUE(torch::allclose(ours.at("pred"), expected, 1e-4, 1e-5));
}
