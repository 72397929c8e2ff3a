// An authenticated SSH connection to a target host, directly or through a chain of jump
// hosts. Blocking; used by exactly one thread (the SshWorker's), which owns the target
// session; each jump session is owned by its JumpPump's thread. Only remote/ sees this.
#pragma once

#include "ConnectStep.h"
#include "LibsshHandles.h"
#include "Result.h"
#include "SshHost.h"
#include "SshKeepalive.h"
#include "SshQuestions.h"

#include <functional>
#include <memory>
#include <vector>

namespace rdt {

class JumpPump;
class ProxyCommandProcess;


class SshConnection {
public:
    [[nodiscard]] static Result<std::unique_ptr<SshConnection>> open(const SshRoute &route,
                                                                     const SshQuestions &questions,
                                                                     const ConnectStepCallback &onStep = {});
    ~SshConnection();

    SshConnection(const SshConnection &) = delete;
    SshConnection &operator=(const SshConnection &) = delete;

    ssh_session session() const { return m_session.get(); }
    const SshRoute &route() const { return m_route; }
    QString targetName() const { return m_route.target.displayName(); }

    // Why the connection broke, naming the hop that broke first: a dead jump host is
    // reported as the jump host, not as the target.
    Error lostError(const QString &operation) const;

    Keepalive &keepalive() { return m_keepalive; }

private:
    SshConnection(SshRoute route, std::unique_ptr<ProxyCommandProcess> proxy,
                  std::vector<std::unique_ptr<JumpPump>> pumps, SessionHandle session);

    SshRoute m_route;
    // The first hop's ProxyCommand, if it has one: it carries every hop behind it, so it
    // goes last.
    std::unique_ptr<ProxyCommandProcess> m_proxy;
    // Declared before m_session so they are destroyed after it: the target session still
    // says goodbye through the pumps, and a pump's hop outlives the hops behind it.
    std::vector<std::unique_ptr<JumpPump>> m_pumps;
    SessionHandle m_session;
    Keepalive m_keepalive;
};

} // namespace rdt
