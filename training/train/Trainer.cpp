// The training loop. Reads top to bottom: setup helpers, then runTraining's one loop.
// Data parallelism (dist/TrainingGroup) touches it in a few marked places: each rank its
// shard of the data and of the noise, the gradient all-reduce, the global loss, and rank 0
// alone writing the run folder. Without WORLD_SIZE those are all the identity.
#include "train/Trainer.h"

#include "data/Dataset.h"
#include "dist/TrainingGroup.h"
#include "model/RdtRunner.h"
#include "model/TrainerError.h"
#include "train/ActionSampler.h"
#include "train/AutocastGuard.h"
#include "train/Checkpoint.h"
#include "train/Conditioning.h"
#include "train/ConditioningSetup.h"
#include "train/DdpmScheduler.h"
#include "train/DpmSolver.h"
#include "train/EmaModel.h"
#include "train/GradientClipping.h"
#include "train/LrSchedule.h"
#include "train/MetricsLog.h"
#include "train/MultiTensorAdamW.h"
#include "train/StopRequest.h"
#include "train/TrainLog.h"
#include "weights/SafetensorsFile.h"
#include "weights/TorchArchive.h"
#include "weights/WeightsLoader.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace rdt {
namespace fs = std::filesystem;
namespace {

// The held-out sample batches use their own generator, so sampling never shifts the
// training noise and a resumed run stays identical to an uninterrupted one.
constexpr uint64_t kSampleSeedOffset = 0x5eed;

torch::Device parseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw TrainerError("--device " + name + ": CUDA is not available in this LibTorch build or machine");
        return torch::Device(name);
    }
    throw TrainerError("--device '" + name + "' is neither cpu nor cuda");
}

void checkOptions(const TrainOptions &o)
{
    if (o.config.empty() || o.dataset.empty() || o.output_dir.empty())
        throw TrainerError("train: --config, --dataset and --output_dir are required");
    if (o.train_batch_size <= 0 || o.max_train_steps <= 0 || o.gradient_accumulation_steps <= 0 ||
        o.checkpointing_period <= 0)
        throw TrainerError("train: --train_batch_size, --max_train_steps, --gradient_accumulation_steps and "
                           "--checkpointing_period must be positive");
    if (o.mixed_precision == "fp16")
        throw TrainerError("--mixed_precision fp16 is not supported yet (it needs a gradient scaler); use bf16");
    if (o.mixed_precision != "no" && o.mixed_precision != "bf16")
        throw TrainerError("--mixed_precision '" + o.mixed_precision + "' is not one of no, bf16");
}

nlohmann::json optionsJson(const TrainOptions &o)
{
    return {
        {"config", o.config}, {"dataset", o.dataset}, {"output_dir", o.output_dir},
        {"pretrained_model_name_or_path", o.pretrained_model_name_or_path},
        {"resume_from_checkpoint", o.resume_from_checkpoint}, {"lang_embeddings", o.lang_embeddings},
        {"empty_lang_embed", o.empty_lang_embed}, {"vision_encoder", o.vision_encoder}, {"lang", o.lang},
        {"train_batch_size", o.train_batch_size}, {"learning_rate", o.learning_rate},
        {"max_train_steps", o.max_train_steps}, {"checkpointing_period", o.checkpointing_period},
        {"checkpoints_total_limit", o.checkpoints_total_limit},
        {"gradient_accumulation_steps", o.gradient_accumulation_steps},
        {"gradient_checkpointing", o.gradient_checkpointing}, {"mixed_precision", o.mixed_precision},
        {"lr_scheduler", o.lr_scheduler}, {"lr_warmup_steps", o.lr_warmup_steps},
        {"max_grad_norm", o.max_grad_norm}, {"sample_period", o.sample_period},
        {"dataloader_num_workers", o.dataloader_num_workers}, {"seed", o.seed}, {"device", o.device},
        {"cond_mask_prob", o.cond_mask_prob}, {"holdout_every", o.holdout_every},
        {"image_aug", o.image_aug}, {"cam_ext_mask_prob", o.cam_ext_mask_prob},
        {"state_noise_snr", o.state_noise_snr ? nlohmann::json(*o.state_noise_snr) : nlohmann::json()},
    };
}

void writeRunYaml(const fs::path &path, const RdtConfig &config, const TrainOptions &o)
{
    std::ofstream out(path, std::ios::trunc);
    out << "# The resolved configuration this run was started with (RDT base.yaml schema, then\n"
           "# the command-line flags under `train`).\n";
    out << rdtConfigToBaseYaml(config);
    out << "train:\n";
    const nlohmann::json flags = optionsJson(o); // items() refers to it: keep it alive
    for (const auto &[key, value] : flags.items())
        out << "  " << key << ": " << value.dump() << "\n";
    if (!out)
        throw TrainerError("write " + path.string() + ": failed");
}

// The two datasets of a run: training batches and held-out windows for the sample event.
struct RunData {
    std::unique_ptr<data::Dataset> train;
    std::unique_ptr<data::Dataset> holdout;
    bool sampleOnTraining = false;
};

std::unique_ptr<data::Dataset> openDataset(const std::string &path, const data::DatasetOptions &options,
                                           const data::DataPosition &start)
{
    auto result = data::Dataset::open(path, options, start);
    if (!result)
        throw TrainerError(result.error());
    return std::move(result).value();
}

// Where the sampling sequence continues: at the checkpoint's next sample, from batch 0, so
// a run resumed with another world size (or batch size) takes up the sequence where the
// interrupted one left it, each sample once. A checkpoint without next_sample (older
// trainers) only resumes with the global batch it was written with.
data::DataPosition resumePosition(const TrainerState &saved, int64_t globalBatch, TrainLog &log)
{
    if (saved.data_next_sample >= 0) {
        if (saved.data_global_batch > 0 && saved.data_global_batch != globalBatch)
            log.info("resume: global batch " + std::to_string(saved.data_global_batch) + " -> " +
                     std::to_string(globalBatch) + " (world size or batch size changed); the sampling sequence "
                     "continues at sample " + std::to_string(saved.data_next_sample));
        return {saved.data_seed, 0, saved.data_next_sample};
    }
    return {saved.data_seed, saved.data_next_batch, 0};
}

RunData openData(const TrainOptions &o, const data::DataPosition &start, bool wantHoldout,
                 const dist::TrainingGroup &group)
{
    RunData run;
    data::DatasetOptions trainOptions;
    trainOptions.batch_size = static_cast<int>(o.train_batch_size);
    trainOptions.num_workers = static_cast<int>(o.dataloader_num_workers);
    trainOptions.cond_mask_prob = o.cond_mask_prob;
    data::DatasetOptions sampleOptions = trainOptions;
    trainOptions.augment = {o.image_aug, o.state_noise_snr, o.cam_ext_mask_prob};
    sampleOptions.num_workers = 0;
    sampleOptions.cond_mask_prob = 0.0;
    sampleOptions.holdout_every = static_cast<int>(o.holdout_every);
    // Data parallel: this rank's slice of every global batch (held-out sampling is rank 0's).
    trainOptions.shard_index = group.rank();
    trainOptions.shard_count = group.worldSize();
    const data::DataPosition sampleStart{start.seed + kSampleSeedOffset, 0};
    if (wantHoldout && o.holdout_every > 0) {
        sampleOptions.split = data::Split::Holdout;
        auto holdout = data::Dataset::open(o.dataset, sampleOptions, sampleStart);
        if (holdout) {
            run.holdout = std::move(holdout).value();
            trainOptions.split = data::Split::Train;
            trainOptions.holdout_every = static_cast<int>(o.holdout_every);
        }
    }
    run.train = openDataset(o.dataset, trainOptions, start);
    if (wantHoldout && !run.holdout) {
        sampleOptions.split = data::Split::All;
        run.holdout = openDataset(o.dataset, sampleOptions, sampleStart);
        run.sampleOnTraining = true;
    }
    return run;
}

std::vector<torch::Tensor> trainableParameters(RdtRunner &runner, Conditioning &conditioning)
{
    std::vector<torch::Tensor> params = runner->parameters();
    for (const torch::Tensor &p : conditioning->parameters())
        params.push_back(p);
    return params;
}

// compute_loss with the noise and timesteps drawn from our generator: 'sample' prediction
// regresses the clean chunk, 'epsilon' the noise.
torch::Tensor diffusionLoss(RdtRunner &runner, const DdpmScheduler &ddpm, const RunnerInputs &in,
                            at::Generator &generator, const dist::TrainingGroup &group)
{
    const int64_t B = in.action_gt.size(0);
    // Drawn on the CPU, then moved: the same numbers on every device. Every rank draws the
    // global batch's noise and keeps its slice, so n ranks x B train on what 1 x nB does.
    std::vector<int64_t> shape = in.action_gt.sizes().vec();
    shape[0] = B * group.worldSize();
    const int64_t first = B * group.rank();
    const torch::Tensor noise =
        at::randn(shape, generator, torch::kFloat32).narrow(0, first, B).to(in.action_gt.device());
    const torch::Tensor timesteps = at::randint(0, ddpm.numTrainTimesteps(), {shape[0]}, generator, torch::kInt64)
                                        .narrow(0, first, B)
                                        .to(in.action_gt.device());
    const torch::Tensor noisyAction = ddpm.addNoise(in.action_gt, noise, timesteps);
    const torch::Tensor pred = runner->denoise(in.lang_tokens, in.lang_mask, in.img_tokens, in.state_tokens,
                                               noisyAction, in.action_mask, timesteps, in.ctrl_freqs);
    const torch::Tensor target = runner->config().prediction_type == "epsilon" ? noise : in.action_gt;
    return torch::mse_loss(pred.to(torch::kFloat32), target);
}

// Module state every rank must start from: rank 0's parameters and buffers.
std::vector<torch::Tensor> moduleState(const std::vector<torch::nn::Module *> &modules)
{
    std::vector<torch::Tensor> state;
    for (torch::nn::Module *module : modules) {
        for (const torch::Tensor &p : module->parameters())
            state.push_back(p);
        for (const torch::Tensor &buffer : module->buffers())
            state.push_back(buffer);
    }
    return state;
}

void setLearningRate(torch::optim::Optimizer &optimizer, double lr)
{
    for (auto &group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
}

// sample_mse over the valid action dimensions and the relative L2 error of the chunk.
nlohmann::ordered_json sampleEvent(int64_t step, RdtRunner &runner, Conditioning &conditioning, data::Dataset &holdout,
                           const torch::Device &device, at::Generator &sampleGenerator, bool onTraining)
{
    auto batch = holdout.next();
    if (!batch)
        throw TrainerError("sample at step " + std::to_string(step) + ": " + batch.error());
    torch::NoGradGuard noGrad;
    runner->eval();
    const RunnerInputs in = conditioning->encode(batch.value(), device);
    DpmSolver solver(runner->config());
    const torch::Tensor noise = at::randn(in.action_gt.sizes(), sampleGenerator, torch::kFloat32).to(device);
    const torch::Tensor sampled = sampleActions(runner, solver, in, noise);
    runner->train();
    const torch::Tensor mask = batch.value().action_elem_mask.to(device).expand_as(sampled);
    const torch::Tensor diff = (sampled - in.action_gt) * mask;
    const double valid = std::max(1.0, mask.sum().item<double>());
    const double mse = diff.pow(2).sum().item<double>() / valid;
    const double l2err = (diff.norm() / (in.action_gt * mask).norm().clamp_min(1e-12)).item<double>();
    return {{"event", "sample"}, {"step", step}, {"sample_mse", mse}, {"sample_l2err", l2err},
            {"held_out", !onTraining}};
}

std::string shortNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string describeOutOfMemory(const std::string &what, const TrainOptions &o)
{
    return "out of memory with --train_batch_size " + std::to_string(o.train_batch_size) + " on " + o.device +
           ": try a smaller --train_batch_size, --gradient_checkpointing or --mixed_precision bf16 (" + what + ")";
}

} // namespace

TrainingEnd runTraining(const TrainOptions &o)
{
    checkOptions(o);
    // Data parallel (RANK/WORLD_SIZE set): join the process group first, so a stop signal
    // during the rendezvous still ends the process at once.
    const dist::TrainingGroup group(o.device);
    const StopRequest stop;
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec)
        throw TrainerError("create --output_dir " + o.output_dir + ": " + ec.message());
    // Rank 0 writes the run's train.log and metrics.jsonl; rank r of a data-parallel run
    // writes train.rank<r>.log and metrics.rank<r>.jsonl beside them.
    TrainLog log((fs::path(o.output_dir) / group.rankFileName("train.log")).string());
    MetricsLog metrics((fs::path(o.output_dir) / group.rankFileName("metrics.jsonl")).string());
    try {
        // Config, seed and device.
        const RdtConfig config = loadRdtConfig(o.config);
        const torch::Device device = parseDevice(group.device());
        torch::manual_seed(static_cast<uint64_t>(o.seed));
        at::Generator generator = at::detail::createCPUGenerator(static_cast<uint64_t>(o.seed));
        at::Generator sampleGenerator = at::detail::createCPUGenerator(static_cast<uint64_t>(o.seed) + kSampleSeedOffset);

        // Where to resume from decides where the data starts.
        std::optional<std::string> resumeFolder;
        if (o.resume_from_checkpoint == "latest") {
            resumeFolder = latestCheckpoint(o.output_dir);
            if (!resumeFolder)
                log.info("resume: no checkpoint in " + o.output_dir + ", starting a new run");
        } else if (!o.resume_from_checkpoint.empty()) {
            resumeFolder = o.resume_from_checkpoint;
        }
        data::DataPosition start{static_cast<uint64_t>(o.seed), 0};
        if (resumeFolder) {
            const TrainerState saved = readTrainerState(*resumeFolder);
            start = resumePosition(saved, o.train_batch_size * group.worldSize(), log);
        }

        // Dataset.
        RunData data = openData(o, start, o.sample_period > 0, group);
        const data::DatasetInfo &info = data.train->info();
        log.info("dataset " + info.name + ": " + std::to_string(info.episodes) + " episodes, " +
                 std::to_string(info.steps) + " steps, " + std::to_string(info.image_height) + "x" +
                 std::to_string(info.image_width) + " images" +
                 (data.sampleOnTraining ? " (sample events use training windows: too few episodes to hold out)" : ""));

        // Model: fresh, pretrained, or resumed below.
        RdtRunner runner(config);
        if (!o.pretrained_model_name_or_path.empty())
            log.info("pretrained: " + loadPretrained(*runner, o.pretrained_model_name_or_path).summary());
        runner->model->setGradientCheckpointing(o.gradient_checkpointing);
        runner->to(device);
        ConditioningSetup setup = buildConditioning(o, config, info.image_height, info.image_width, device);
        for (const std::string &note : setup.notes)
            log.info(note);
        for (const std::string &warning : setup.warnings)
            log.info("warning: " + warning);
        Conditioning conditioning = setup.conditioning;
        conditioning->to(device);
        group.broadcastFromMain(moduleState({runner.get(), conditioning.get()}));
        EmaModel ema(config, runner);
        std::vector<torch::Tensor> params = trainableParameters(runner, conditioning);
        const std::unique_ptr<dist::GradientReducer> reducer = group.gradientReducer(params);
        MultiTensorAdamW optimizer(params, torch::optim::AdamWOptions(o.learning_rate)
                                               .betas({o.adam_beta1, o.adam_beta2})
                                               .weight_decay(o.adam_weight_decay)
                                               .eps(o.adam_epsilon));
        int64_t step = 0;
        if (resumeFolder) {
            const TrainerState state = loadCheckpoint(*resumeFolder, {runner, ema, *conditioning, optimizer});
            step = state.step;
            generator.set_state(state.rng_state);
            log.info("resumed from " + *resumeFolder + " at step " + std::to_string(step));
        }
        const DdpmScheduler ddpm(config);
        const LrSchedule schedule(o.lr_scheduler, o.learning_rate, o.lr_warmup_steps, o.max_train_steps);
        const bool bf16 = o.mixed_precision == "bf16";

        fs::path runYaml = fs::path(o.output_dir) / "run.yaml";
        if (group.isMain())
            writeRunYaml(runYaml, config, o);
        metrics.write({{"event", "start"}, {"version", RDT_TRAINER_VERSION}, {"world_size", group.worldSize()},
                       {"step", step}, {"resumed_from", resumeFolder ? *resumeFolder : ""},
                       {"conditioning", {{"vision", setup.vision}, {"language", setup.language},
                                         {"warnings", setup.warnings}}},
                       {"config", {{"model", rdtConfigToHfJson(config)}, {"train", optionsJson(o)}}}});
        log.info("training " + std::to_string(o.max_train_steps) + " steps from step " + std::to_string(step) +
                 " on " + o.device + (bf16 ? " in bf16" : "") +
                 (o.gradient_checkpointing ? " with gradient checkpointing" : "") +
                 (group.distributed() ? " as rank " + std::to_string(group.rank()) + " of " +
                                            std::to_string(group.worldSize()) : ""));

        runner->train();
        conditioning->train();
        int64_t lastGoodCheckpoint = resumeFolder ? step : -1;
        const auto saveCheckpointNow = [&] {
            // Rank 0 writes; the barrier keeps every rank until the checkpoint is whole.
            if (!group.isMain()) {
                group.barrier();
                lastGoodCheckpoint = step;
                return;
            }
            if (o.checkpoints_total_limit > 0)
                pruneCheckpoints(o.output_dir, o.checkpoints_total_limit - 1);
            TrainerState state;
            state.step = step;
            state.epoch = data.train->epoch();
            state.data_seed = data.train->position().seed;
            state.data_next_batch = data.train->position().next_batch;
            state.data_global_batch = o.train_batch_size * group.worldSize();
            state.data_next_sample = data.train->position().nextSample(state.data_global_batch);
            state.ema_step = ema.optimizationStep();
            state.rng_state = generator.get_state();
            const std::string name = saveCheckpoint(o.output_dir, config, {runner, ema, *conditioning, optimizer}, state);
            lastGoodCheckpoint = step;
            metrics.write({{"event", "checkpoint"}, {"step", step}, {"path", name}});
            log.info("saved " + name);
            group.barrier();
        };
        // A stop any rank saw ends every rank's loop after the same step.
        bool stopping = false;
        while (step < o.max_train_steps && !(stopping = group.anyRank(stop.requested()))) {
            const auto t0 = std::chrono::steady_clock::now();
            const double lr = schedule.at(step);
            setLearningRate(optimizer, lr);

            // Forward and backward over the accumulated micro-batches.
            torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().device(device));
            try {
                for (int64_t micro = 0; micro < o.gradient_accumulation_steps; ++micro) {
                    reducer->beforeBackward(micro + 1 == o.gradient_accumulation_steps);
                    auto batch = data.train->next();
                    if (!batch)
                        throw TrainerError(batch.error());
                    const RunnerInputs in = conditioning->encode(batch.value(), device);
                    torch::Tensor loss;
                    {
                        AutocastGuard autocast(device.type(), bf16);
                        loss = diffusionLoss(runner, ddpm, in, generator, group);
                    }
                    (loss / static_cast<double>(o.gradient_accumulation_steps)).backward();
                    lossSum += loss.detach();
                }
            } catch (const c10::Error &error) {
                const std::string what = error.what_without_backtrace();
                if (what.find("out of memory") != std::string::npos)
                    throw TrainerError(describeOutOfMemory(what, o));
                throw;
            }
            // Average the gradients over the ranks (the buckets started during backward).
            reducer->finish();
            // CPU-GPU sync point: the loss (the mean over ranks) is needed to refuse a NaN before the step.
            const double loss =
                group.mean(lossSum.item<double>() / static_cast<double>(o.gradient_accumulation_steps));
            if (!std::isfinite(loss)) {
                const std::string kept = lastGoodCheckpoint >= 0
                    ? "checkpoint-" + std::to_string(lastGoodCheckpoint) + " is the last good checkpoint"
                    : "no checkpoint was written yet";
                throw TrainerError("loss is " + std::string(std::isnan(loss) ? "NaN" : "Inf") + " at step " +
                                   std::to_string(step + 1) + "; stopped, " + kept);
            }

            // Clip, step, zero, average.
            const torch::Tensor gradNormOnDevice = clipGradientNorm(
                params, o.max_grad_norm > 0 ? o.max_grad_norm : std::numeric_limits<double>::infinity());
            optimizer.step();
            optimizer.zero_grad();
            ema.step(runner);
            ++step;
            // Read once the step and the average are queued, so the GPU never waits for it.
            const double gradNorm = gradNormOnDevice.item<double>();

            // Log.
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const double samplesPerSecond =
                static_cast<double>(o.train_batch_size * o.gradient_accumulation_steps * group.worldSize()) /
                std::max(seconds, 1e-9);
            metrics.write({{"step", step}, {"loss", loss}, {"lr", lr}, {"grad_norm", gradNorm},
                           {"samples_per_s", samplesPerSecond}, {"epoch", data.train->epoch()},
                           {"data_wait_s", data.train->takeWaitSeconds()}});
            log.info("step " + std::to_string(step) + " loss " + shortNumber(loss) + " lr " + shortNumber(lr) +
                     " grad_norm " + shortNumber(gradNorm) + " samples/s " + shortNumber(samplesPerSecond));

            // Sample.
            if (o.sample_period > 0 && step % o.sample_period == 0 && group.isMain()) {
                const nlohmann::ordered_json event = sampleEvent(step, runner, conditioning, *data.holdout, device,
                                                         sampleGenerator, data.sampleOnTraining);
                metrics.write(event);
                log.info("sample at step " + std::to_string(step) + ": mse " + event["sample_mse"].dump() +
                         " l2err " + event["sample_l2err"].dump());
            }

            // Checkpoint: prune first so at most the limit exists after the save.
            if (step % o.checkpointing_period == 0 || step == o.max_train_steps)
                saveCheckpointNow();
        }
        if (stopping && step < o.max_train_steps) {
            // The step in flight was finished; keep it, so a resume continues from here.
            if (step > 0 && lastGoodCheckpoint != step)
                saveCheckpointNow();
            // A rank the signal did not reach stops because another rank did.
            const std::string signalName = stop.requested() ? stop.signalName() : "a stop on another rank";
            metrics.write({{"event", "stopped"}, {"step", step}, {"signal", signalName}});
            log.info("stopped at step " + std::to_string(step) + " by " + signalName +
                     (step > 0 ? "; checkpoint-" + std::to_string(step) + " written" : ""));
            return {step, stop.requested() ? stop.signalNumber() : SIGTERM};
        }
        metrics.write({{"event", "done"}, {"step", step}});
        log.info("done at step " + std::to_string(step));
        return {step, 0};
    } catch (const TrainerError &error) {
        metrics.write({{"event", "error"}, {"message", error.what()}});
        log.record(std::string("error: ") + error.what());
        throw;
    } catch (const c10::Error &error) {
        const std::string message = std::string("LibTorch: ") + error.what_without_backtrace();
        metrics.write({{"event", "error"}, {"message", message}});
        log.record("error: " + message);
        throw TrainerError(message);
    }
}

} // namespace rdt
