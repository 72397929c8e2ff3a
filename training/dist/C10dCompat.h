// The one place where LibTorch 1.13 (Debian's libtorch-dev) and 2.x (a server's PyTorch)
// differ for us: in 1.13 ProcessGroupGloo/NCCL are c10d::ProcessGroup subclasses, in 2.x
// they are c10d::Backend subclasses wrapped by ProcessGroup. Both have the same
// allreduce/broadcast/barrier, so we hold the backend directly. Included by dist/*.cpp only.
#pragma once

#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#include <torch/version.h>

#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

#include <chrono>
#include <string>

namespace rdt::dist {

#if TORCH_VERSION_MAJOR >= 2
using CollectiveBackend = ::c10d::Backend;
#else
using CollectiveBackend = ::c10d::ProcessGroup;
#endif

// Whether this build of the trainer has the backend (decided when it was compiled).
bool glooAvailable();
bool ncclAvailable();

// Gloo over TCP, its sockets bound to localAddress ("" lets Gloo pick the host's address;
// GLOO_SOCKET_IFNAME, as in PyTorch, names an interface instead). timeout bounds each
// collective. Throws TrainerError when this build has no Gloo.
c10::intrusive_ptr<CollectiveBackend> makeGlooBackend(const c10::intrusive_ptr<::c10d::Store> &store, int rank,
                                                      int worldSize, const std::string &localAddress,
                                                      std::chrono::milliseconds timeout);

// NCCL on the current CUDA device. Throws TrainerError when this build has no NCCL.
c10::intrusive_ptr<CollectiveBackend> makeNcclBackend(const c10::intrusive_ptr<::c10d::Store> &store, int rank,
                                                      int worldSize, std::chrono::milliseconds timeout);

} // namespace rdt::dist
