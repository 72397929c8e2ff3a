// The rdt-trainer subcommands of contract 1. Each takes argv from its subcommand name on,
// returns the exit code, and throws TrainerError or c10::Error for main() to print.
#pragma once

namespace rdt {

int runTrainCommand(int argc, char **argv);
int runForwardCommand(int argc, char **argv);
int runInfoCommand(int argc, char **argv);
int runLaunchCommand(int argc, char **argv);

} // namespace rdt
