// `rdt-trainer train`: flags into TrainOptions (also how eval reads a run's recorded
// arguments), then the training loop.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "train/Trainer.h"

namespace rdt {

TrainOptions parseTrainOptions(int argc, char **argv)
{
    const CommandLine args(argc, argv,
        {"config", "dataset", "output_dir", "pretrained_model_name_or_path", "resume_from_checkpoint",
         "lang_embeddings", "empty_lang_embed", "train_batch_size", "learning_rate", "max_train_steps", "checkpointing_period",
         "checkpoints_total_limit", "gradient_accumulation_steps", "mixed_precision", "lr_scheduler",
         "lr_warmup_steps", "max_grad_norm", "sample_period", "dataloader_num_workers", "seed", "device",
         "cond_mask_prob", "holdout_every", "adam_beta1", "adam_beta2", "adam_weight_decay", "adam_epsilon"},
        {"gradient_checkpointing"});
    TrainOptions o;
    o.config = args.required("config");
    o.dataset = args.required("dataset");
    o.output_dir = args.required("output_dir");
    o.pretrained_model_name_or_path = args.text("pretrained_model_name_or_path");
    o.resume_from_checkpoint = args.text("resume_from_checkpoint");
    o.lang_embeddings = args.text("lang_embeddings");
    o.empty_lang_embed = args.text("empty_lang_embed");
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
