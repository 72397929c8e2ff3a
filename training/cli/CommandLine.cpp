// Flag parsing for the subcommands.
#include "cli/CommandLine.h"

#include "model/TrainerError.h"

#include <algorithm>

namespace rdt {

CommandLine::CommandLine(int argc, char **argv, const std::set<std::string> &valueFlags,
                         const std::set<std::string> &switches)
    : m_command(argc > 0 ? argv[0] : "")
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0)
            throw TrainerError(m_command + ": unexpected argument '" + arg + "' (flags start with --)");
        arg = arg.substr(2);
        std::string value;
        bool inlineValue = false;
        if (const size_t eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inlineValue = true;
        }
        std::replace(arg.begin(), arg.end(), '-', '_');
        if (switches.count(arg)) {
            m_values[arg] = inlineValue ? value : "true";
            continue;
        }
        if (!valueFlags.count(arg))
            throw TrainerError(m_command + ": unknown flag --" + arg);
        if (!inlineValue) {
            if (i + 1 >= argc)
                throw TrainerError(m_command + ": flag --" + arg + " needs a value");
            value = argv[++i];
        }
        m_values[arg] = value;
    }
}

std::string CommandLine::text(const std::string &name, const std::string &fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

std::string CommandLine::required(const std::string &name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        throw TrainerError(m_command + ": --" + name + " is required");
    return it->second;
}

int64_t CommandLine::integer(const std::string &name, int64_t fallback) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    try {
        size_t used = 0;
        const int64_t value = std::stoll(it->second, &used);
        if (used == it->second.size())
            return value;
    } catch (const std::exception &) {
    }
    throw TrainerError(m_command + ": --" + name + " '" + it->second + "' is not an integer");
}

double CommandLine::real(const std::string &name, double fallback) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    try {
        size_t used = 0;
        const double value = std::stod(it->second, &used);
        if (used == it->second.size())
            return value;
    } catch (const std::exception &) {
    }
    throw TrainerError(m_command + ": --" + name + " '" + it->second + "' is not a number");
}

} // namespace rdt
