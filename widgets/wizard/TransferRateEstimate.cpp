// Samples older than the window are dropped, keeping one just before it so the average
// always spans the whole window once the upload is that old.
#include "TransferRateEstimate.h"

namespace rdt {

void TransferRateEstimate::start(double now)
{
    m_started = now;
    m_samples.clear();
    m_samples.push_back({now, 0});
}

void TransferRateEstimate::add(double now, qint64 bytesDone)
{
    if (m_samples.empty())
        start(now);
    m_samples.push_back({now, bytesDone});
    while (m_samples.size() > 2 && now - m_samples[1].time >= kWindow)
        m_samples.pop_front();
}

double TransferRateEstimate::bytesPerSecond() const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &last = m_samples.back();
    if (last.time - m_started < kFirstEstimateAfter)
        return 0;
    const Sample &first = m_samples.front();
    const double seconds = last.time - first.time;
    return seconds > 0 ? double(last.bytes - first.bytes) / seconds : 0;
}

double TransferRateEstimate::secondsLeft(qint64 bytesLeft) const
{
    if (bytesLeft <= 0)
        return 0;
    const double rate = bytesPerSecond();
    return rate > 0 ? double(bytesLeft) / rate : -1;
}

} // namespace rdt
