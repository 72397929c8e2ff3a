// How many session channels one connection may have open at once, and which waiting
// command opens next. OpenSSH refuses a connection's channel past its MaxSessions (10 by
// default), so commands past the budget wait here, first come first served, until a
// channel closes; a part of the budget is kept for commands that end on their own, so
// followers that run until cancelled never take the last channels from a listing or a hash.
#pragma once

#include "ChannelStats.h"

#include <QtGlobal>

#include <deque>
#include <optional>

namespace rdt {

class ChannelBudget {
public:
    // OpenSSH's default MaxSessions less a margin: a cancelled command keeps its server
    // session until its process has exited, a moment after our channel closed.
    static constexpr int kOpenSshMaxSessions = 10;
    static constexpr int kMargin = 2;
    static constexpr int kDefaultLimit = kOpenSshMaxSessions - kMargin;
    static_assert(kDefaultLimit == kDefaultChannelBudget);

    explicit ChannelBudget(int limit = kDefaultLimit);

    int limit() const { return m_limit; }
    int open() const { return m_open; }
    int openLongLived() const { return m_openLongLived; }
    int waiting() const { return int(m_waiting.size()); }
    int peakOpen() const { return m_peakOpen; }
    int peakWaiting() const { return m_peakWaiting; }
    // Channels only commands that end on their own may use: a third of the budget, 1 to 3.
    int reservedForShort() const;

    void enqueue(quint64 id, bool longLived);
    void putBack(quint64 id, bool longLived);   // at the front: a refused open keeps its turn
    bool remove(quint64 id);                    // a waiting command cancelled; false if not waiting
    // The first waiting command that the budget lets open now, taken off the queue.
    std::optional<quint64> takeNext();
    std::deque<quint64> takeAll();              // the connection ends: nothing opens any more

    void opened(bool longLived);
    void closed(bool longLived);
    // The server refused a channel with open() channels open: its limit is what it allowed.
    // Returns false when nothing is open, so that no lower budget can explain the refusal.
    bool lowerAfterRefusal();

private:
    struct Waiting {
        quint64 id;
        bool longLived;
    };
    bool mayOpen(bool longLived) const;

    int m_limit;
    int m_open = 0;
    int m_openLongLived = 0;
    int m_peakOpen = 0;
    int m_peakWaiting = 0;
    std::deque<Waiting> m_waiting;
};

} // namespace rdt
