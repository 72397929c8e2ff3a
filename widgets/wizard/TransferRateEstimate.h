// The rate and time left of an upload, from a moving average over the last few seconds,
// and none at all in its first second: the first chunks land in socket buffers at memory
// speed or wait on the connection's start, so an early rate says nothing about the rest
// ("15 min 43 s" left for a 2 MiB upload that takes 2 s).
#pragma once

#include <QtGlobal>

#include <deque>

namespace rdt {

class TransferRateEstimate {
public:
    static constexpr double kFirstEstimateAfter = 1.0;   // seconds
    static constexpr double kWindow = 5.0;               // seconds the average spans

    // Starts over; `now` in seconds on any monotonic clock.
    void start(double now);
    void add(double now, qint64 bytesDone);
    // Bytes per second; 0 while there is no estimate yet.
    double bytesPerSecond() const;
    // Seconds left for `bytesLeft`; -1 while there is no estimate yet.
    double secondsLeft(qint64 bytesLeft) const;

private:
    struct Sample {
        double time;
        qint64 bytes;
    };
    double m_started = 0;
    std::deque<Sample> m_samples;
};

} // namespace rdt
