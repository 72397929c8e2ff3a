// torchrun's environment contract, validated so a wrong launch fails at once with one line.
#include "dist/DistEnv.h"

#include "model/TrainerError.h"

#include <cstdlib>
#include <stdexcept>

namespace rdt::dist {
namespace {

const char *variable(const char *name)
{
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
}

long integerVariable(const char *name, long fallback, long lowest, long highest)
{
    const char *text = variable(name);
    if (!text)
        return fallback;
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < lowest || value > highest)
        throw TrainerError(std::string("environment ") + name + "='" + text + "' is not an integer in [" +
                           std::to_string(lowest) + ", " + std::to_string(highest) + "]");
    return value;
}

} // namespace

DistEnv readDistEnv()
{
    DistEnv env;
    env.world_size = static_cast<int>(integerVariable("WORLD_SIZE", 1, 1, 1 << 20));
    env.rank = static_cast<int>(integerVariable("RANK", 0, 0, 1 << 20));
    env.local_rank = static_cast<int>(integerVariable("LOCAL_RANK", 0, 0, 1 << 20));
    if (env.rank >= env.world_size)
        throw TrainerError("environment RANK=" + std::to_string(env.rank) + " is not below WORLD_SIZE=" +
                           std::to_string(env.world_size));
    if (const char *addr = variable("MASTER_ADDR"))
        env.master_addr = addr;
    env.master_port = static_cast<int>(integerVariable("MASTER_PORT", env.master_port, 1, 65535));
    const char *timeoutText = variable(kRdzvTimeoutVariable);
    if (timeoutText) {
        char *end = nullptr;
        const double seconds = std::strtod(timeoutText, &end);
        if (*end != '\0' || !(seconds > 0))
            throw TrainerError(std::string("environment ") + kRdzvTimeoutVariable + "='" + timeoutText +
                               "' is not a positive number of seconds");
        env.rdzv_timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    }
    return env;
}

} // namespace rdt::dist
