// Tee of log lines into train.log.
#include "train/TrainLog.h"

#include "model/TrainerError.h"

#include <iostream>

namespace rdt {

TrainLog::TrainLog(const std::string &path) : m_out(path, std::ios::app)
{
    if (!m_out)
        throw TrainerError("open " + path + " for appending: failed");
}

void TrainLog::info(const std::string &line)
{
    std::cout << line << std::endl;
    m_out << line << std::endl;
}

void TrainLog::error(const std::string &line)
{
    std::cerr << line << std::endl;
    m_out << line << std::endl;
}

void TrainLog::record(const std::string &line)
{
    m_out << line << std::endl;
}

} // namespace rdt
