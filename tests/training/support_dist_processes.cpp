// posix_spawn with redirected output, a polling waitpid with a deadline, and /proc reads.
#include "support_dist_processes.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char **environ;

namespace rdt::trainertest {

pid_t spawnWithOutput(const std::vector<std::string> &args, const std::map<std::string, std::string> &extraEnv,
                      const std::string &outputFile)
{
    std::vector<std::string> envText;
    for (char **entry = environ; *entry; ++entry) {
        const std::string text = *entry;
        const std::string name = text.substr(0, text.find('='));
        if (!extraEnv.count(name))
            envText.push_back(text);
    }
    for (const auto &[name, value] : extraEnv)
        envText.push_back(name + "=" + value);
    std::vector<char *> env, argv;
    for (auto &text : envText)
        env.push_back(text.data());
    env.push_back(nullptr);
    for (const auto &arg : args)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int result = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    return result == 0 ? pid : -1;
}

std::optional<int> waitWithDeadline(pid_t pid, double seconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    for (;;) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string readWholeFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<pid_t> childrenWithRank(pid_t parent, int rank)
{
    std::vector<pid_t> found;
    DIR *proc = opendir("/proc");
    if (!proc)
        return found;
    while (dirent *entry = readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0)
            continue;
        const std::string stat = readWholeFile("/proc/" + std::to_string(pid) + "/stat");
        const size_t close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream fields(stat.substr(close + 2));
        std::string state;
        pid_t ppid = 0;
        fields >> state >> ppid;
        if (ppid != parent)
            continue;
        const std::string env = readWholeFile("/proc/" + std::to_string(pid) + "/environ");
        const std::string wanted = "RANK=" + std::to_string(rank);
        for (size_t at = 0; at < env.size();) {
            const size_t end = env.find('\0', at);
            if (env.compare(at, (end == std::string::npos ? env.size() : end) - at, wanted) == 0)
                found.push_back(pid);
            if (end == std::string::npos)
                break;
            at = end + 1;
        }
    }
    closedir(proc);
    return found;
}

} // namespace rdt::trainertest
