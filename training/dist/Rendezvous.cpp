// Our check-in protocol on top of the store (keys under "rdt/"), before Gloo or NCCL use the
// same store for their own connection set-up. Rank 0 publishes its world size; every other
// rank compares and reports a mismatch under a key rank 0 watches while it waits.
#include "dist/Rendezvous.h"

#include "model/TrainerError.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <thread>

namespace rdt::dist {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds(std::chrono::milliseconds timeout)
{
    const double s = static_cast<double>(timeout.count()) / 1000.0;
    std::string text = std::to_string(s);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text + " s";
}

std::string toText(const std::vector<uint8_t> &bytes) { return std::string(bytes.begin(), bytes.end()); }
std::vector<uint8_t> toBytes(const std::string &text) { return std::vector<uint8_t>(text.begin(), text.end()); }

c10::intrusive_ptr<::c10d::Store> connect(const DistEnv &env)
{
    ::c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(env.master_port);
    options.isServer = env.rank == 0;
    options.waitWorkers = false; // we count the ranks ourselves, with a clear error
    options.timeout = env.rdzv_timeout;
    const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
    try {
        return c10::make_intrusive<::c10d::TCPStore>(env.master_addr, options);
    } catch (const std::exception &error) {
        const std::string what = firstLine(error.what());
        if (env.rank == 0 && what.find("in use") != std::string::npos)
            throw TrainerError("rank 0: MASTER_PORT " + std::to_string(env.master_port) +
                               " is already in use on this host; choose another --master_port");
        if (env.rank == 0)
            throw TrainerError("rank 0: cannot serve the rendezvous at " + where + ": " + what);
        throw TrainerError("rank " + std::to_string(env.rank) + ": could not reach the master at " + where +
                           " within " + seconds(env.rdzv_timeout) + " (is rank 0 running, are MASTER_ADDR and "
                           "MASTER_PORT right? " + kRdzvTimeoutVariable + " sets the wait)");
    }
}

void checkInAsWorker(::c10d::Store &store, const DistEnv &env)
{
    const std::string me = "rank " + std::to_string(env.rank);
    const std::vector<uint8_t> masterWorld = store.get("rdt/world_size"); // rank 0 sets it first
    const int expected = std::stoi(toText(masterWorld));
    if (expected != env.world_size) {
        const std::string message = me + " has WORLD_SIZE " + std::to_string(env.world_size) + " but rank 0 has " +
                                    std::to_string(expected);
        store.set("rdt/mismatch", toBytes(message));
        throw TrainerError("rendezvous: " + message);
    }
    if (store.add("rdt/rank/" + std::to_string(env.rank), 1) > 1) {
        const std::string message = "two processes claim RANK " + std::to_string(env.rank);
        store.set("rdt/mismatch", toBytes(message));
        throw TrainerError("rendezvous: " + message);
    }
    store.add("rdt/joined", 1);
    store.get("rdt/ready"); // rank 0 sets it once everyone has joined
}

void gatherAsMaster(::c10d::Store &store, const DistEnv &env)
{
    store.set("rdt/world_size", toBytes(std::to_string(env.world_size)));
    store.add("rdt/rank/0", 1);
    const int64_t others = env.world_size - 1;
    const auto deadline = Clock::now() + env.rdzv_timeout;
    for (;;) {
        if (store.check({"rdt/mismatch"}))
            throw TrainerError("rendezvous: " + toText(store.get("rdt/mismatch")));
        const int64_t joined = store.add("rdt/joined", 0);
        if (joined >= others)
            break;
        if (Clock::now() > deadline)
            throw TrainerError("rendezvous: only " + std::to_string(joined + 1) + " of WORLD_SIZE " +
                               std::to_string(env.world_size) + " ranks joined within " + seconds(env.rdzv_timeout) +
                               " (" + kRdzvTimeoutVariable + " sets the wait)");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    store.set("rdt/ready", toBytes("1"));
}

} // namespace

std::string firstLine(const std::string &text)
{
    const size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

c10::intrusive_ptr<::c10d::Store> rendezvous(const DistEnv &env)
{
    c10::intrusive_ptr<::c10d::Store> store = connect(env);
    try {
        if (env.rank == 0)
            gatherAsMaster(*store, env);
        else
            checkInAsWorker(*store, env);
    } catch (const TrainerError &) {
        throw;
    } catch (const std::exception &error) {
        // A store read that timed out, or the master that went away while we waited.
        throw TrainerError("rank " + std::to_string(env.rank) + ": rendezvous at " + env.master_addr + ":" +
                           std::to_string(env.master_port) + " failed within " + seconds(env.rdzv_timeout) + ": " +
                           firstLine(error.what()));
    }
    return store;
}

} // namespace rdt::dist
