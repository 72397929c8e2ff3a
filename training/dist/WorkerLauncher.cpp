// fork/exec workers, a 50 ms watch loop over waitpid and the stop signals, and the cleanup.
#include "dist/WorkerLauncher.h"

#include "model/TrainerError.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

namespace rdt::dist {
namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_lastSignal = 0;
volatile sig_atomic_t g_signalCount = 0;

void onSignal(int signalNumber)
{
    g_lastSignal = signalNumber;
    g_signalCount = g_signalCount + 1;
}

struct Worker {
    int rank = 0;
    int local_rank = 0;
    pid_t pid = -1;
    bool running = false;
    int status = 0;
};

std::string describeStatus(int status)
{
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char *name = sig == SIGKILL ? "SIGKILL" : sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT"
                         : sig == SIGSEGV ? "SIGSEGV" : sig == SIGABRT ? "SIGABRT" : sig == SIGBUS ? "SIGBUS" : nullptr;
        return std::string("was killed by ") + (name ? name : "signal " + std::to_string(sig));
    }
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

int exitCode(int status)
{
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

bool failed(int status) { return WIFSIGNALED(status) || WEXITSTATUS(status) != 0; }

[[noreturn]] void execWorker(const LaunchSpec &spec, const Worker &worker, pid_t launcher)
{
    setpgid(0, 0);
    // The worker gets SIGTERM (a graceful stop) when the launcher dies, even by SIGKILL.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != launcher)
        _exit(1);
    setenv("RANK", std::to_string(worker.rank).c_str(), 1);
    setenv("LOCAL_RANK", std::to_string(worker.local_rank).c_str(), 1);
    setenv("WORLD_SIZE", std::to_string(spec.nproc_per_node * spec.nnodes).c_str(), 1);
    setenv("LOCAL_WORLD_SIZE", std::to_string(spec.nproc_per_node).c_str(), 1);
    setenv("GROUP_RANK", std::to_string(spec.node_rank).c_str(), 1);
    setenv("MASTER_ADDR", spec.master_addr.c_str(), 1);
    setenv("MASTER_PORT", std::to_string(spec.master_port).c_str(), 1);
    if (spec.rdzv_timeout_s > 0)
        setenv("RDT_RDZV_TIMEOUT", std::to_string(spec.rdzv_timeout_s).c_str(), 1);
    // As torchrun: several processes on one node share its cores, one thread each unless told.
    if (spec.nproc_per_node > 1)
        setenv("OMP_NUM_THREADS", "1", 0);
    // Rank 0 speaks for the run on stdout; the others log to their train.rank<r>.log and
    // keep stderr, where their errors appear.
    if (worker.local_rank != 0 || spec.node_rank != 0) {
        const int devNull = open("/dev/null", O_WRONLY);
        if (devNull >= 0)
            dup2(devNull, STDOUT_FILENO);
    }
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(spec.executable.c_str()));
    for (const std::string &arg : spec.worker_args)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    execv(spec.executable.c_str(), argv.data());
    const std::string message = "rdt-trainer launch: cannot run " + spec.executable + ": " + std::strerror(errno) + "\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
}

void checkSpec(const LaunchSpec &spec)
{
    if (spec.nproc_per_node < 1 || spec.nnodes < 1)
        throw TrainerError("launch: --nproc_per_node and --nnodes must be at least 1");
    if (spec.node_rank < 0 || spec.node_rank >= spec.nnodes)
        throw TrainerError("launch: --node_rank " + std::to_string(spec.node_rank) + " is not in [0, --nnodes " +
                           std::to_string(spec.nnodes) + ")");
    if (spec.master_port < 0 || spec.master_port > 65535 || (spec.master_port == 0 && spec.nnodes > 1))
        throw TrainerError("launch: --master_port " + std::to_string(spec.master_port) +
                           " is not a port (0, a free port, only with --nnodes 1)");
    if (spec.worker_args.empty())
        throw TrainerError("launch: give the worker command after --, e.g. -- train --config CFG.yaml ...");
}

void signalAll(std::vector<Worker> &workers, int signalNumber)
{
    for (const Worker &worker : workers) {
        if (worker.running)
            kill(worker.pid, signalNumber);
    }
}

} // namespace

int freeLocalPort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw TrainerError(std::string("launch: cannot open a socket to find a free port: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        close(fd);
        throw TrainerError(std::string("launch: cannot find a free port: ") + std::strerror(errno));
    }
    close(fd);
    return ntohs(address.sin_port);
}

int launchWorkers(const LaunchSpec &given)
{
    LaunchSpec spec = given;
    checkSpec(spec);
    if (spec.master_port == 0)
        spec.master_port = freeLocalPort();

    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    struct sigaction previousInt {}, previousTerm {}, previousHup {};
    sigaction(SIGINT, &action, &previousInt);
    sigaction(SIGTERM, &action, &previousTerm);
    sigaction(SIGHUP, &action, &previousHup);

    std::vector<Worker> workers(static_cast<size_t>(spec.nproc_per_node));
    const pid_t launcher = getpid();
    for (int i = 0; i < spec.nproc_per_node; ++i) {
        Worker &worker = workers[static_cast<size_t>(i)];
        worker.local_rank = i;
        worker.rank = spec.node_rank * spec.nproc_per_node + i;
        worker.pid = fork();
        if (worker.pid == 0)
            execWorker(spec, worker, launcher);
        if (worker.pid < 0) {
            signalAll(workers, SIGKILL);
            throw TrainerError(std::string("launch: cannot start worker rank ") + std::to_string(worker.rank) +
                               ": " + std::strerror(errno));
        }
        worker.running = true;
        setpgid(worker.pid, worker.pid); // also here, so no signal races the child's own call
    }
    std::cerr << "rdt-trainer launch: " << spec.nproc_per_node << " workers (ranks "
              << workers.front().rank << "-" << workers.back().rank << " of " << spec.nproc_per_node * spec.nnodes
              << "), master " << spec.master_addr << ":" << spec.master_port << std::endl;

    const Worker *firstFailure = nullptr;
    int stopSignal = 0;
    int forwardedSignals = 0;
    bool stopping = false;
    bool killed = false;
    Clock::time_point deadline{};
    size_t running = workers.size();
    while (running > 0) {
        // Reap every worker that ended; a worker killed by a signal is named before one that
        // exited with an error in the same round (that one most likely lost its peer).
        const Worker *failureThisRound = nullptr;
        for (;;) {
            int status = 0;
            const pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0)
                break;
            for (Worker &worker : workers) {
                if (worker.pid != pid || !worker.running)
                    continue;
                worker.running = false;
                worker.status = status;
                --running;
                if (failed(status) && !stopping &&
                    (!failureThisRound || (WIFSIGNALED(status) && !WIFSIGNALED(failureThisRound->status))))
                    failureThisRound = &worker;
            }
        }
        if (failureThisRound && !stopping) {
            firstFailure = failureThisRound;
            std::cerr << "rdt-trainer launch: rank " << firstFailure->rank << " (pid " << firstFailure->pid << ") "
                      << describeStatus(firstFailure->status) << "; stopping the other workers" << std::endl;
            stopping = true;
            signalAll(workers, SIGTERM);
            deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(
                std::min(spec.stop_timeout_s, 15.0) * 1000));
        }
        while (forwardedSignals < g_signalCount) {
            ++forwardedSignals;
            const int sig = g_lastSignal == SIGHUP ? SIGTERM : static_cast<int>(g_lastSignal);
            if (!stopping) {
                stopSignal = g_lastSignal;
                std::cerr << "rdt-trainer launch: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                          << ": stopping the workers (they finish the step and write a checkpoint)" << std::endl;
                stopping = true;
                deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(spec.stop_timeout_s * 1000));
            }
            signalAll(workers, sig); // a second signal ends them at once
        }
        if (stopping && !killed && running > 0 && Clock::now() > deadline) {
            std::cerr << "rdt-trainer launch: " << running << " worker(s) did not stop in time; killing them" << std::endl;
            signalAll(workers, SIGKILL);
            killed = true;
        }
        if (running > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Anything a worker started in its process group goes with it.
    for (const Worker &worker : workers)
        kill(-worker.pid, SIGKILL);
    sigaction(SIGINT, &previousInt, nullptr);
    sigaction(SIGTERM, &previousTerm, nullptr);
    sigaction(SIGHUP, &previousHup, nullptr);

    if (firstFailure)
        return exitCode(firstFailure->status);
    if (stopSignal != 0)
        return 128 + stopSignal;
    for (const Worker &worker : workers) {
        if (failed(worker.status))
            return exitCode(worker.status);
    }
    return 0;
}

} // namespace rdt::dist
