// Process group set-up (rendezvous, then Gloo or NCCL) and the scalar collectives of the loop.
#include "dist/TrainingGroup.h"

#include "dist/ProcessGroupHandle.h"
#include "dist/Rendezvous.h"
#include "model/TrainerError.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/torch.h>

#include <cstdlib>

#ifdef RDT_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace rdt::dist {
namespace {

// How long one collective may wait for the others (a rank writing a big checkpoint while
// the rest wait at the barrier must fit); RDT_COLLECTIVE_TIMEOUT overrides, in seconds.
std::chrono::milliseconds collectiveTimeout()
{
    const char *text = std::getenv("RDT_COLLECTIVE_TIMEOUT");
    const double seconds = text && *text ? std::atof(text) : 1800.0;
    return std::chrono::milliseconds(static_cast<int64_t>((seconds > 0 ? seconds : 1800.0) * 1000));
}

bool isLoopback(const std::string &address)
{
    return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

} // namespace

void ProcessGroupHandle::wait(const c10::intrusive_ptr<::c10d::Work> &work, const std::string &what) const
{
    try {
        work->wait();
    } catch (const std::exception &error) {
        throw TrainerError("rank " + std::to_string(rank) + ": " + what + " with the other ranks failed (another "
                           "rank exited or was killed?): " + firstLine(error.what()));
    }
}

TrainingGroup::TrainingGroup(const std::string &device) : m_env(readDistEnv()), m_device(device)
{
    if (!m_env.distributed())
        return;
    const bool cuda = device == "cuda" || device.rfind("cuda:", 0) == 0;
    if (device == "cuda")
        m_device = "cuda:" + std::to_string(m_env.local_rank);
    auto group = std::make_shared<ProcessGroupHandle>();
    group->rank = m_env.rank;
    group->world_size = m_env.world_size;
    group->store = rendezvous(m_env);
    auto backendStore = c10::make_intrusive<::c10d::PrefixStore>("backend", group->store);
    try {
        if (cuda) {
            if (!torch::cuda::is_available())
                throw TrainerError("--device " + device + ": CUDA is not available in this LibTorch build or machine");
            group->scalar_device = torch::Device(m_device);
#ifdef RDT_WITH_CUDA
            // NCCL and every kernel launch of this rank go to its own GPU.
            c10::cuda::set_device(static_cast<c10::DeviceIndex>(group->scalar_device.index()));
#endif
            group->backend = makeNcclBackend(backendStore, m_env.rank, m_env.world_size, collectiveTimeout());
        } else {
            group->backend = makeGlooBackend(backendStore, m_env.rank, m_env.world_size,
                                             isLoopback(m_env.master_addr) ? "127.0.0.1" : "", collectiveTimeout());
        }
    } catch (const TrainerError &) {
        throw;
    } catch (const std::exception &error) {
        throw TrainerError("rank " + std::to_string(m_env.rank) + ": creating the " + (cuda ? "NCCL" : "Gloo") +
                           " process group failed: " + firstLine(error.what()));
    }
    m_group = std::move(group);
}

TrainingGroup::~TrainingGroup() = default;

void TrainingGroup::broadcastFromMain(const std::vector<at::Tensor> &tensors) const
{
    if (!m_group)
        return;
    torch::NoGradGuard noGrad;
    std::vector<c10::intrusive_ptr<::c10d::Work>> works;
    std::vector<std::vector<at::Tensor>> slots;
    slots.reserve(tensors.size());
    for (const at::Tensor &tensor : tensors) {
        slots.push_back({tensor});
        works.push_back(m_group->backend->broadcast(slots.back(), ::c10d::BroadcastOptions{}));
    }
    for (const auto &work : works)
        m_group->wait(work, "broadcasting rank 0's initial weights");
}

double TrainingGroup::mean(double value) const
{
    if (!m_group)
        return value;
    std::vector<at::Tensor> slot = {torch::full({1}, value, torch::TensorOptions().dtype(torch::kFloat64)
                                                             .device(m_group->scalar_device))};
    m_group->wait(m_group->backend->allreduce(slot), "averaging the loss");
    return slot[0].item<double>() / m_env.world_size;
}

bool TrainingGroup::anyRank(bool flag) const
{
    if (!m_group)
        return flag;
    std::vector<at::Tensor> slot = {torch::full({1}, flag ? 1.0f : 0.0f, torch::TensorOptions().device(m_group->scalar_device))};
    m_group->wait(m_group->backend->allreduce(slot), "agreeing on a stop");
    return slot[0].item<float>() > 0;
}

void TrainingGroup::barrier() const
{
    if (m_group)
        m_group->wait(m_group->backend->barrier(), "the checkpoint barrier");
}

std::unique_ptr<GradientReducer> TrainingGroup::gradientReducer(const std::vector<at::Tensor> &params) const
{
    return std::make_unique<GradientReducer>(m_group, params);
}

std::string TrainingGroup::rankFileName(const std::string &name) const
{
    if (m_env.rank == 0)
        return name;
    const size_t dot = name.find_last_of('.');
    const std::string suffix = ".rank" + std::to_string(m_env.rank);
    return dot == std::string::npos ? name + suffix : name.substr(0, dot) + suffix + name.substr(dot);
}

} // namespace rdt::dist
