// metrics.jsonl of contract 2: one JSON object per line, appended and flushed as it
// happens, so the GUI can follow a run or backfill it from the file alone. Only rank 0
// writes it.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace rdt {

class MetricsLog {
public:
    // Appends to path (a resumed run continues the same file). Throws TrainerError.
    explicit MetricsLog(const std::string &path);

    // Adds "time" (seconds since the epoch) unless present, writes one line, flushes.
    // Keys keep their order ("event" or "step" first, as contract 2 shows them).
    void write(nlohmann::ordered_json event);

    static double now();

private:
    std::string m_path;
    std::ofstream m_out;
};

} // namespace rdt
