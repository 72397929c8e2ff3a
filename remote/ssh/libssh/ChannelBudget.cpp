// The budget's bookkeeping: counts of open channels by kind and the queue of waiting
// commands. Pure logic, no libssh, so its rules are unit-tested without a server.
#include "ChannelBudget.h"

#include <algorithm>

namespace rdt {

ChannelBudget::ChannelBudget(int limit) : m_limit(std::max(1, limit)) {}

int ChannelBudget::reservedForShort() const
{
    if (m_limit <= 1)
        return 0;   // a single channel is shared by every command in turn
    return std::clamp(m_limit / 3, 1, 3);
}

bool ChannelBudget::mayOpen(bool longLived) const
{
    if (m_open >= m_limit)
        return false;
    return !longLived || m_openLongLived < m_limit - reservedForShort();
}

void ChannelBudget::enqueue(quint64 id, bool longLived)
{
    m_waiting.push_back({id, longLived});
    m_peakWaiting = std::max(m_peakWaiting, int(m_waiting.size()));
}

void ChannelBudget::putBack(quint64 id, bool longLived)
{
    m_waiting.push_front({id, longLived});
}

bool ChannelBudget::remove(quint64 id)
{
    const auto it = std::find_if(m_waiting.begin(), m_waiting.end(), [id](const Waiting &w) { return w.id == id; });
    if (it == m_waiting.end())
        return false;
    m_waiting.erase(it);
    return true;
}

std::optional<quint64> ChannelBudget::takeNext()
{
    // First come, first served within what the budget allows: a follower waiting for a
    // long-lived slot does not hold back the short commands queued behind it.
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        if (mayOpen(it->longLived)) {
            const quint64 id = it->id;
            m_waiting.erase(it);
            return id;
        }
        if (m_open >= m_limit)
            break;
    }
    return std::nullopt;
}

std::deque<quint64> ChannelBudget::takeAll()
{
    std::deque<quint64> ids;
    for (const Waiting &w : m_waiting)
        ids.push_back(w.id);
    m_waiting.clear();
    return ids;
}

void ChannelBudget::opened(bool longLived)
{
    ++m_open;
    if (longLived)
        ++m_openLongLived;
    m_peakOpen = std::max(m_peakOpen, m_open);
}

void ChannelBudget::closed(bool longLived)
{
    m_open = std::max(0, m_open - 1);
    if (longLived)
        m_openLongLived = std::max(0, m_openLongLived - 1);
}

bool ChannelBudget::lowerAfterRefusal()
{
    if (m_open == 0)
        return false;
    m_limit = std::min(m_limit, m_open);
    return true;
}

} // namespace rdt
