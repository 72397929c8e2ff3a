// The trainer's re-execution with a short OpenMP spin: it happens once, with the variable
// set, and never overrides a policy the user chose.
#include "cli/OpenMpSpin.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <utility>
#include <vector>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {

// Runs execWithShortOpenMpSpin in a child with `environment` added, executing a shell that
// writes what it sees to a file. Returns that file's text, or "not executed" when the
// function returned instead of executing.
std::string childSees(const std::vector<std::pair<std::string, std::string>> &environment)
{
    char path[] = "/tmp/rdt-openmp-spin-XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    close(fd);
    const pid_t pid = fork();
    if (pid == 0) {
        unsetenv("GOMP_SPINCOUNT");
        unsetenv("OMP_WAIT_POLICY");
        for (const auto &[name, value] : environment)
            setenv(name.c_str(), value.c_str(), 1);
        const std::string script = std::string("printf 'spin=%s policy=%s' \"$GOMP_SPINCOUNT\" \"$OMP_WAIT_POLICY\" > ") + path;
        char *argv[] = {const_cast<char *>("sh"), const_cast<char *>("-c"), const_cast<char *>(script.c_str()), nullptr};
        rdt::execWithShortOpenMpSpin("/bin/sh", argv);
        std::ofstream(path) << "not executed";
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    unlink(path);
    return text.str();
}

} // namespace

TEST(OpenMpSpin, ExecutesOnceWithTheShortSpin)
{
    EXPECT_EQ(childSees({}), std::string("spin=") + rdt::kOpenMpSpinCount + " policy=");
}

TEST(OpenMpSpin, TheUsersSettingWins)
{
    EXPECT_EQ(childSees({{"GOMP_SPINCOUNT", "5"}}), "not executed");
    EXPECT_EQ(childSees({{"OMP_WAIT_POLICY", "active"}}), "not executed");
}

TEST(OpenMpSpin, AFailedExecLeavesTheEnvironmentAsItWas)
{
    const pid_t pid = fork();
    if (pid == 0) {
        unsetenv("GOMP_SPINCOUNT");
        unsetenv("OMP_WAIT_POLICY");
        char *argv[] = {const_cast<char *>("none"), nullptr};
        rdt::execWithShortOpenMpSpin("/nonexistent/rdt-trainer", argv);
        _exit(std::getenv("GOMP_SPINCOUNT") == nullptr ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}
