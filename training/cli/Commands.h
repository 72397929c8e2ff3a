// The rdt-trainer subcommands of contract 1. Each takes argv from its subcommand name on,
// returns the exit code, and throws TrainerError or c10::Error for main() to print.
#pragma once

namespace rdt {

struct TrainOptions;

// The `train` flags (argv[0] is the subcommand) as TrainOptions; eval reads a run's
// recorded arguments through it, so it conditions the model as the run was trained.
TrainOptions parseTrainOptions(int argc, char **argv);

int runTrainCommand(int argc, char **argv);
int runForwardCommand(int argc, char **argv);
int runInfoCommand(int argc, char **argv);
int runEvalCommand(int argc, char **argv);
int runSiglipCommand(int argc, char **argv);
int runLaunchCommand(int argc, char **argv);
int runEncodersCommand(int argc, char **argv);

} // namespace rdt
