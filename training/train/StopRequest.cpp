// Graceful stop on SIGINT / SIGTERM.
#include "train/StopRequest.h"

#include <csignal>

namespace rdt {

namespace {

volatile std::sig_atomic_t g_stopSignal = 0;
struct sigaction g_previousInterrupt {};
struct sigaction g_previousTerminate {};

void onStopSignal(int signalNumber)
{
    g_stopSignal = signalNumber;
}

} // namespace

StopRequest::StopRequest()
{
    g_stopSignal = 0;
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    // One-shot: the handler resets to the default on delivery, so the next signal of that
    // kind ends the process.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &g_previousInterrupt);
    sigaction(SIGTERM, &action, &g_previousTerminate);
}

StopRequest::~StopRequest()
{
    sigaction(SIGINT, &g_previousInterrupt, nullptr);
    sigaction(SIGTERM, &g_previousTerminate, nullptr);
}

bool StopRequest::requested() const
{
    return g_stopSignal != 0;
}

int StopRequest::signalNumber() const
{
    return g_stopSignal;
}

std::string StopRequest::signalName() const
{
    switch (g_stopSignal) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    default:
        return g_stopSignal == 0 ? "" : "signal " + std::to_string(g_stopSignal);
    }
}

} // namespace rdt
