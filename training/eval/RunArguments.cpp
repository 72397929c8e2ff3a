// run.yaml / .rdt/trainer-args -> TrainOptions through parseTrainOptions.
#include "eval/RunArguments.h"

#include "cli/Commands.h"
#include "model/TrainerError.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace rdt {
namespace fs = std::filesystem;
namespace {

// parseTrainOptions requires these; a record without them still tells the rest.
const std::vector<std::string> kRequiredPlaceholders = {"--config=-", "--dataset=-", "--output_dir=-"};

TrainOptions parseFlags(std::vector<std::string> flags)
{
    flags.insert(flags.begin(), kRequiredPlaceholders.begin(), kRequiredPlaceholders.end());
    flags.insert(flags.begin(), "train");
    std::vector<char *> argv;
    for (std::string &flag : flags)
        argv.push_back(flag.data());
    return parseTrainOptions(static_cast<int>(argv.size()), argv.data());
}

std::vector<std::string> flagsFromRunYaml(const fs::path &path)
{
    std::vector<std::string> flags;
    const YAML::Node train = YAML::LoadFile(path.string())["train"];
    if (!train || !train.IsMap())
        throw TrainerError(path.string() + " has no `train:` section");
    for (const auto &entry : train) {
        if (!entry.second.IsScalar())
            continue;
        const std::string value = entry.second.as<std::string>();
        if (!value.empty())
            flags.push_back("--" + entry.first.as<std::string>() + "=" + value);
    }
    return flags;
}

std::vector<std::string> flagsFromTrainerArgs(const fs::path &path)
{
    std::ifstream in(path);
    if (!in)
        throw TrainerError("read " + path.string() + ": cannot open");
    std::vector<std::string> flags;
    for (std::string line; std::getline(in, line);)
        flags.push_back(line);
    return flags;
}

} // namespace

RunArguments readRunArguments(const std::string &runFolder)
{
    const fs::path runYaml = fs::path(runFolder) / "run.yaml";
    const fs::path trainerArgs = fs::path(runFolder) / ".rdt" / "trainer-args";
    RunArguments args;
    try {
        if (fs::is_regular_file(runYaml)) {
            args.source = runYaml.string();
            args.options = parseFlags(flagsFromRunYaml(runYaml));
        } else if (fs::is_regular_file(trainerArgs)) {
            args.source = trainerArgs.string();
            args.options = parseFlags(flagsFromTrainerArgs(trainerArgs));
        }
    } catch (const YAML::Exception &error) {
        throw TrainerError("read the run's arguments from " + args.source + ": " + error.what());
    } catch (const TrainerError &error) {
        throw TrainerError("read the run's arguments from " + args.source + ": " + error.what());
    }
    return args;
}

} // namespace rdt
