// The gate's bookkeeping, and the wrappers that decline a question once it is closed.
#include "QuestionGate.h"

namespace rdt {

bool QuestionGate::enter()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_closed)
        return false;
    ++m_asking;
    return true;
}

void QuestionGate::leave()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    --m_asking;
}

bool QuestionGate::closeAndCheckAsking()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_closed = true;
    return m_asking > 0;
}

SshQuestions QuestionGate::guard(const std::shared_ptr<QuestionGate> &gate, SshQuestions questions)
{
    SshQuestions guarded;
    if (questions.unknownHostKey) {
        guarded.unknownHostKey = [gate, ask = std::move(questions.unknownHostKey)](const HostKeyQuestion &question) {
            if (!gate->enter())
                return HostKeyAnswer::Reject;
            const HostKeyAnswer answer = ask(question);
            gate->leave();
            return answer;
        };
    }
    if (questions.secret) {
        guarded.secret = [gate, ask = std::move(questions.secret)](const SecretPrompt &prompt) -> std::optional<QByteArray> {
            if (!gate->enter())
                return std::nullopt;
            std::optional<QByteArray> answer = ask(prompt);
            gate->leave();
            return answer;
        };
    }
    return guarded;
}

} // namespace rdt
