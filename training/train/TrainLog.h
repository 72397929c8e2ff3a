// train.log of contract 2: the trainer's own stdout and stderr lines, written to the
// terminal and to the run folder's train.log at once, flushed per line.
#pragma once

#include <fstream>
#include <string>

namespace rdt {

class TrainLog {
public:
    explicit TrainLog(const std::string &path); // appends; throws TrainerError
    void info(const std::string &line);  // stdout + train.log
    void error(const std::string &line); // stderr + train.log
    // train.log only: for a failure the command's edge prints to stderr itself.
    void record(const std::string &line);

private:
    std::ofstream m_out;
};

} // namespace rdt
