// `rdt-trainer launch --nproc_per_node N [--nnodes M --node_rank R --master_addr A
// --master_port P --rdzv_timeout S --stop_timeout S] -- train ...`: torchrun's job for our
// trainer (dist/WorkerLauncher does the work).
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "dist/WorkerLauncher.h"
#include "model/TrainerError.h"

#include <cstring>
#include <limits.h>
#include <unistd.h>

namespace rdt {
namespace {

std::string thisExecutable()
{
    char path[PATH_MAX];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0)
        throw TrainerError("launch: cannot find this rdt-trainer's own path (/proc/self/exe)");
    return std::string(path, static_cast<size_t>(length));
}

} // namespace

int runLaunchCommand(int argc, char **argv)
{
    int separator = 1;
    while (separator < argc && std::strcmp(argv[separator], "--") != 0)
        ++separator;
    if (separator == argc)
        throw TrainerError("launch: give the worker command after --, e.g. launch --nproc_per_node 2 -- train "
                           "--config CFG.yaml ...");
    const CommandLine args(separator, argv,
                           {"nproc_per_node", "nnodes", "node_rank", "master_addr", "master_port", "rdzv_timeout",
                            "stop_timeout"},
                           {});
    dist::LaunchSpec spec;
    spec.nproc_per_node = static_cast<int>(args.integer("nproc_per_node", spec.nproc_per_node));
    spec.nnodes = static_cast<int>(args.integer("nnodes", spec.nnodes));
    spec.node_rank = static_cast<int>(args.integer("node_rank", spec.node_rank));
    spec.master_addr = args.text("master_addr", spec.master_addr);
    spec.master_port = static_cast<int>(args.integer("master_port", spec.master_port));
    spec.rdzv_timeout_s = args.real("rdzv_timeout", spec.rdzv_timeout_s);
    spec.stop_timeout_s = args.real("stop_timeout", spec.stop_timeout_s);
    spec.executable = thisExecutable();
    for (int i = separator + 1; i < argc; ++i)
        spec.worker_args.emplace_back(argv[i]);
    if (!spec.worker_args.empty() && spec.worker_args.front() != "train")
        throw TrainerError("launch: the worker command after -- must be `train ...`, not '" +
                           spec.worker_args.front() + "'");
    return dist::launchWorkers(spec);
}

} // namespace rdt
