// Child processes for the data-parallel tests: rdt-trainer runs started with extra
// environment (RANK, WORLD_SIZE, ...) and their output in a file, waited for with a
// deadline so a hang fails the test instead of stalling CI.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rdt::trainertest {

// Starts args[0] with args, the current environment plus extraEnv, stdout and stderr into
// outputFile. Returns the pid (-1 on failure).
pid_t spawnWithOutput(const std::vector<std::string> &args, const std::map<std::string, std::string> &extraEnv,
                      const std::string &outputFile);

// The wait status once the process ended, or nullopt after seconds (then it is killed).
std::optional<int> waitWithDeadline(pid_t pid, double seconds);

// The pids whose parent is parent and whose environment has RANK=<rank>.
std::vector<pid_t> childrenWithRank(pid_t parent, int rank);

std::string readWholeFile(const std::string &path);

} // namespace rdt::trainertest
