// `rdt-trainer stats`: flags, then DatasetStats::compute, then the JSON on stdout or merged
// into --out (other datasets' entries kept, as RDT's script does), via a temporary name.
#include "data/StatsCommand.h"

#include "data/DatasetStats.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace rdt::data {
namespace {

constexpr const char* kUsage =
    "usage: rdt-trainer stats --dataset PATH [--out dataset_stat.json] [--dataset_name NAME]";

// "--dataset-name" and "--dataset_name" are the same flag, as contract 1 asks.
std::string flagName(std::string flag)
{
    for (char& c : flag)
        if (c == '-')
            c = '_';
    return flag;
}

DataResult<std::map<std::string, std::string>> parseFlags(int argc, char** argv)
{
    std::map<std::string, std::string> flags;
    const std::map<std::string, bool> known = {{"__dataset", true}, {"__out", true}, {"__dataset_name", true}};
    for (int i = 1; i < argc; ++i) {
        std::string argument = argv[i];
        if (argument == "stats" && i == 1)
            continue;
        std::string value;
        bool hasValue = false;
        const size_t equals = argument.find('=');
        if (equals != std::string::npos) {
            value = argument.substr(equals + 1);
            argument = argument.substr(0, equals);
            hasValue = true;
        }
        const std::string name = flagName(argument);
        if (!known.count(name))
            return DataError{"stats: unknown argument " + argument + "; " + kUsage};
        if (!hasValue) {
            if (i + 1 >= argc)
                return DataError{"stats: " + argument + " needs a value; " + kUsage};
            value = argv[++i];
        }
        flags[name.substr(2)] = value;
    }
    if (!flags.count("dataset"))
        return DataError{std::string("stats: --dataset is required; ") + kUsage};
    return flags;
}

// Merges our entry into the file's JSON object (if any) and replaces it atomically.
DataResult<void> writeMerged(const std::string& out, const std::string& entryJson)
{
    nlohmann::ordered_json merged = nlohmann::ordered_json::object();
    std::error_code ec;
    if (std::filesystem::exists(out, ec)) {
        std::ifstream existing(out);
        merged = nlohmann::ordered_json::parse(existing, nullptr, false);
        if (merged.is_discarded() || !merged.is_object())
            return DataError{out + ": exists and is not a JSON object; not overwriting it"};
    }
    const nlohmann::ordered_json ours = nlohmann::ordered_json::parse(entryJson);
    for (const auto& [name, entry] : ours.items())
        merged[name] = entry;
    const std::string temporary = out + ".tmp";
    {
        std::ofstream file(temporary, std::ios::trunc);
        file << merged.dump(4) << '\n';
        file.flush();
        if (!file)
            return DataError{temporary + ": cannot write"};
    }
    std::filesystem::rename(temporary, out, ec);
    if (ec)
        return DataError{"rename " + temporary + " to " + out + ": " + ec.message()};
    return {};
}

}  // namespace

int runStatsCommand(int argc, char** argv)
{
    try {
        auto flags = parseFlags(argc, argv);
        if (!flags) {
            std::cerr << flags.error() << '\n';
            return 2;
        }
        const std::string dataset = flags->at("dataset");
        const std::string name = flags->count("dataset_name") ? flags->at("dataset_name") : "";
        auto stats = DatasetStats::compute(dataset, name);
        if (!stats) {
            std::cerr << "stats: " << stats.error() << '\n';
            return 1;
        }
        const std::string json = stats->toJson();
        if (!flags->count("out")) {
            std::cout << json << '\n';
        } else {
            auto written = writeMerged(flags->at("out"), json);
            if (!written) {
                std::cerr << "stats: " << written.error() << '\n';
                return 1;
            }
        }
        std::cerr << "stats: " << stats->dataset_name << ": " << stats->episodes << " episodes, "
                  << stats->steps << " steps in " << stats->files.size() << " file(s)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "stats: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace rdt::data
