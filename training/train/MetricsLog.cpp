// Line-by-line JSON event log.
#include "train/MetricsLog.h"

#include "model/TrainerError.h"

#include <chrono>

namespace rdt {

MetricsLog::MetricsLog(const std::string &path) : m_path(path), m_out(path, std::ios::app)
{
    if (!m_out)
        throw TrainerError("open " + path + " for appending: failed");
}

double MetricsLog::now()
{
    using namespace std::chrono;
    return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

void MetricsLog::write(nlohmann::ordered_json event)
{
    if (!event.contains("time"))
        event["time"] = now();
    // Non-finite numbers have no JSON form; nlohmann writes null for them, which readers
    // can skip, rather than an invalid token.
    m_out << event.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    m_out.flush();
}

} // namespace rdt
