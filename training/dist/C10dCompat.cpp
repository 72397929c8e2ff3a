// Backend construction for both LibTorch generations. The c10d headers guard Gloo and NCCL
// behind USE_C10D_GLOO / USE_C10D_NCCL, which LibTorch's CMake package does not set for its
// users; training/CMakeLists.txt sets RDT_WITH_GLOO / RDT_WITH_NCCL when the headers (and
// gloo's or nccl's own) are there.
#if defined(RDT_WITH_GLOO) && !defined(USE_C10D_GLOO)
#define USE_C10D_GLOO
#endif
#if defined(RDT_WITH_NCCL) && !defined(USE_C10D_NCCL)
#define USE_C10D_NCCL
#endif

#include "dist/C10dCompat.h"

#include "model/TrainerError.h"

#include <cstdlib>

#ifdef RDT_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef RDT_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace rdt::dist {

bool glooAvailable()
{
#ifdef RDT_WITH_GLOO
    return true;
#else
    return false;
#endif
}

bool ncclAvailable()
{
#ifdef RDT_WITH_NCCL
    return true;
#else
    return false;
#endif
}

c10::intrusive_ptr<CollectiveBackend> makeGlooBackend(const c10::intrusive_ptr<::c10d::Store> &store, int rank,
                                                      int worldSize, const std::string &localAddress,
                                                      std::chrono::milliseconds timeout)
{
#ifdef RDT_WITH_GLOO
    auto options = ::c10d::ProcessGroupGloo::Options::create(timeout);
    const char *interface = std::getenv("GLOO_SOCKET_IFNAME");
    if (interface && *interface)
        options->devices.push_back(::c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    else if (!localAddress.empty())
        options->devices.push_back(::c10d::ProcessGroupGloo::createDeviceForHostname(localAddress));
    else
        options->devices.push_back(::c10d::ProcessGroupGloo::createDefaultDevice());
    // Gloo's default is two threads per device; the trainer's compute wants the cores.
    options->threads = 2;
    return c10::make_intrusive<::c10d::ProcessGroupGloo>(store, rank, worldSize, options);
#else
    (void)store, (void)rank, (void)worldSize, (void)localAddress, (void)timeout;
    throw TrainerError("this rdt-trainer was built without Gloo (c10d's CPU backend): rebuild against a LibTorch "
                       "with ProcessGroupGloo and gloo's headers (Debian: libgloo-dev)");
#endif
}

c10::intrusive_ptr<CollectiveBackend> makeNcclBackend(const c10::intrusive_ptr<::c10d::Store> &store, int rank,
                                                      int worldSize, std::chrono::milliseconds timeout)
{
#ifdef RDT_WITH_NCCL
    auto options = ::c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    return c10::make_intrusive<::c10d::ProcessGroupNCCL>(store, rank, worldSize, options);
#else
    (void)store, (void)rank, (void)worldSize, (void)timeout;
    throw TrainerError("this rdt-trainer was built without NCCL: multi-GPU training on CUDA needs a CUDA LibTorch "
                       "with ProcessGroupNCCL and nccl.h at build time");
#endif
}

} // namespace rdt::dist
