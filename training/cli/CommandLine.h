// The flags of one rdt-trainer subcommand: `--name value`, `--name=value` or a bare
// `--switch`, with RDT's underscore names; dashes are accepted and read as underscores.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace rdt {

class CommandLine {
public:
    // argv[0] is the subcommand. switches are the flags that take no value. Throws
    // TrainerError for an unknown or malformed flag.
    CommandLine(int argc, char **argv, const std::set<std::string> &valueFlags,
                const std::set<std::string> &switches);

    bool has(const std::string &name) const { return m_values.count(name) != 0; }
    std::string text(const std::string &name, const std::string &fallback = "") const;
    std::string required(const std::string &name) const;
    int64_t integer(const std::string &name, int64_t fallback) const;
    double real(const std::string &name, double fallback) const;

private:
    std::string m_command;
    std::map<std::string, std::string> m_values;
};

} // namespace rdt
