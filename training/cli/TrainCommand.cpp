// `rdt-trainer train`: flags into TrainOptions (also how eval reads a run's recorded
// arguments), then the training loop.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "train/Trainer.h"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <set>
#include <string>

namespace rdt {
namespace {

// RDT's main.py flags that have no meaning here: accepted, so RDT's own command lines
// run, with a note saying why each is ignored.
struct IgnoredFlag {
    const char *name;
    const char *why;
};
constexpr IgnoredFlag kIgnoredValueFlags[] = {
    {"deepspeed", "one process, no DeepSpeed"},
    {"pretrained_text_encoder_name_or_path", "T5 is not run during training; pass its output as --lang_embeddings"},
    {"sample_batch_size", "sample events use --train_batch_size"},
    {"num_sample_batches", "a sample event is one batch"},
    {"num_train_epochs", "--max_train_steps decides the length"},
    {"lr_num_cycles", "only for cosine_with_restarts"},
    {"lr_power", "only for polynomial"},
    {"alpha", "not used by RDT's training loop"},
    {"hub_token", "nothing is pushed"},
    {"hub_model_id", "nothing is pushed"},
    {"logging_dir", "logs go to --output_dir"},
    {"report_to", "metrics go to --output_dir/metrics.jsonl"},
    {"local_rank", "one process"},
    {"dataset_type", "the dataset is --dataset"},
};
constexpr IgnoredFlag kIgnoredSwitches[] = {
    {"precomp_lang_embed", "language embeddings are always precomputed (--lang_embeddings)"},
    {"scale_lr", "one process: nothing to scale by"},
    {"push_to_hub", "nothing is pushed"},
    {"set_grads_to_none", "gradients are always set to none"},
    {"load_from_hdf5", "the dataset is always HDF5"},
};

} // namespace

TrainOptions parseTrainOptions(int argc, char **argv)
{
    std::set<std::string> valueFlags{"config", "dataset", "output_dir", "pretrained_model_name_or_path", "resume_from_checkpoint",
         "lang_embeddings", "empty_lang_embed", "train_batch_size", "learning_rate", "max_train_steps", "checkpointing_period",
         "checkpoints_total_limit", "gradient_accumulation_steps", "mixed_precision", "lr_scheduler",
         "lr_warmup_steps", "max_grad_norm", "sample_period", "dataloader_num_workers", "seed", "device",
         "cond_mask_prob", "holdout_every", "adam_beta1", "adam_beta2", "adam_weight_decay", "adam_epsilon",
         "vision_encoder", "pretrained_vision_encoder_name_or_path", "lang", "config_path",
         "state_noise_snr", "cam_ext_mask_prob"};
    std::set<std::string> switches{"gradient_checkpointing", "image_aug"};
    for (const IgnoredFlag &flag : kIgnoredValueFlags)
        valueFlags.insert(flag.name);
    for (const IgnoredFlag &flag : kIgnoredSwitches)
        switches.insert(flag.name);
    const CommandLine args(argc, argv, valueFlags, switches);
    const auto noteIgnored = [&args](const IgnoredFlag &flag) {
        if (args.has(flag.name))
            std::cerr << "rdt-trainer train: note: --" << flag.name << " does not apply (" << flag.why << ")\n";
    };
    std::for_each(std::begin(kIgnoredValueFlags), std::end(kIgnoredValueFlags), noteIgnored);
    std::for_each(std::begin(kIgnoredSwitches), std::end(kIgnoredSwitches), noteIgnored);
    TrainOptions o;
    // RDT calls the model configuration --config_path.
    o.config = args.has("config_path") && !args.has("config") ? args.required("config_path") : args.required("config");
    o.dataset = args.required("dataset");
    o.output_dir = args.required("output_dir");
    o.pretrained_model_name_or_path = args.text("pretrained_model_name_or_path");
    o.resume_from_checkpoint = args.text("resume_from_checkpoint");
    o.lang_embeddings = args.text("lang_embeddings");
    o.empty_lang_embed = args.text("empty_lang_embed");
    o.vision_encoder = args.text("vision_encoder", args.text("pretrained_vision_encoder_name_or_path"));
    o.lang = args.text("lang");
    o.train_batch_size = args.integer("train_batch_size", o.train_batch_size);
    o.learning_rate = args.real("learning_rate", o.learning_rate);
    o.max_train_steps = args.integer("max_train_steps", o.max_train_steps);
    o.checkpointing_period = args.integer("checkpointing_period", o.checkpointing_period);
    o.checkpoints_total_limit = args.integer("checkpoints_total_limit", o.checkpoints_total_limit);
    o.gradient_accumulation_steps = args.integer("gradient_accumulation_steps", o.gradient_accumulation_steps);
    o.gradient_checkpointing = args.text("gradient_checkpointing", "false") != "false";
    o.mixed_precision = args.text("mixed_precision", o.mixed_precision);
    o.lr_scheduler = args.text("lr_scheduler", o.lr_scheduler);
    o.lr_warmup_steps = args.integer("lr_warmup_steps", o.lr_warmup_steps);
    o.max_grad_norm = args.real("max_grad_norm", o.max_grad_norm);
    o.sample_period = args.integer("sample_period", o.sample_period);
    o.dataloader_num_workers = args.integer("dataloader_num_workers", o.dataloader_num_workers);
    o.seed = args.integer("seed", o.seed);
    o.device = args.text("device", o.device);
    o.cond_mask_prob = args.real("cond_mask_prob", o.cond_mask_prob);
    o.image_aug = args.text("image_aug", "false") != "false";
    if (args.has("state_noise_snr"))
        o.state_noise_snr = args.real("state_noise_snr", 0.0);
    o.cam_ext_mask_prob = args.real("cam_ext_mask_prob", o.cam_ext_mask_prob);
    o.holdout_every = args.integer("holdout_every", o.holdout_every);
    o.adam_beta1 = args.real("adam_beta1", o.adam_beta1);
    o.adam_beta2 = args.real("adam_beta2", o.adam_beta2);
    o.adam_weight_decay = args.real("adam_weight_decay", o.adam_weight_decay);
    o.adam_epsilon = args.real("adam_epsilon", o.adam_epsilon);
    return o;
}

int runTrainCommand(int argc, char **argv)
{
    const TrainOptions o = parseTrainOptions(argc, argv);
    // A stopped run exits as the shell reports a signal (130 for SIGINT): it did not finish.
    const TrainingEnd end = runTraining(o);
    return end.stopSignal != 0 ? 128 + end.stopSignal : 0;
}

} // namespace rdt
