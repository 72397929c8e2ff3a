// Shared helpers of the trainer tests (no LibTorch here, so every test links it cheaply).
#include "support_trainer_paths.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

namespace rdt::trainertest {
namespace fs = std::filesystem;

std::string trainerTestData(const std::string &name)
{
    return (fs::path(RDT_TRAINER_TEST_DIR) / "data" / name).string();
}

std::string referenceScript(const std::string &name)
{
    return (fs::path(RDT_TRAINER_TEST_DIR) / "python" / name).string();
}

std::string shellQuote(const std::string &argument)
{
    std::string quoted = "'";
    for (char c : argument)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

int runCommand(const std::string &commandLine, std::string &output)
{
    output.clear();
    FILE *pipe = popen((commandLine + " 2>&1").c_str(), "r");
    if (!pipe)
        return -1;
    std::array<char, 4096> buffer{};
    while (fgets(buffer.data(), buffer.size(), pipe))
        output += buffer.data();
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string pythonWithTorch()
{
    // Debian's python3-torch lives in the system Python; a pyenv or venv python3 earlier
    // on PATH usually lacks it, so the system one is tried first.
    for (const char *candidate : {"/usr/bin/python3", "python3"}) {
        std::string output;
        if (runCommand(std::string(candidate) + " -c 'import torch'", output) == 0)
            return candidate;
    }
    return "";
}

std::string scratchFolder(const std::string &testName)
{
    const fs::path folder = fs::temp_directory_path() / ("rdt-trainer-tests-" + std::to_string(getpid())) / testName;
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder.string();
}

} // namespace rdt::trainertest
