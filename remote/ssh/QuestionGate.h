// Stands between the connection thread and the questions it asks the user (host key,
// passphrase), which the GUI answers through a blocking call into the GUI thread. A client
// being destroyed on the GUI thread closes the gate: no new question is asked (each is
// declined), and the client learns whether one is being asked right now, in which case it
// must not wait for the connection thread, which waits for the GUI thread.
#pragma once

#include "SshQuestions.h"

#include <memory>
#include <mutex>

namespace rdt {

class QuestionGate {
public:
    // `questions` wrapped so that every call passes through `gate`.
    static SshQuestions guard(const std::shared_ptr<QuestionGate> &gate, SshQuestions questions);

    // Closes the gate for good; true when a question is being asked at this moment.
    bool closeAndCheckAsking();

private:
    bool enter();   // false once closed
    void leave();

    std::mutex m_mutex;
    bool m_closed = false;
    int m_asking = 0;
};

} // namespace rdt
