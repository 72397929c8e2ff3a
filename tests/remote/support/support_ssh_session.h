// Helpers for tests that drive SshClient: connect and wait, run a command and collect
// everything it printed, with every wait bounded so a hang fails the test instead.
#pragma once

#include "CommandSpec.h"
#include "Result.h"
#include "SshClient.h"

#include <memory>

struct Connected {
    std::unique_ptr<rdt::SshClient> client;   // null on failure
    rdt::Error error;
    qint64 elapsedMs = 0;
};

// Connects and waits up to waitMs for connected() or connectFailed().
Connected connectRoute(const rdt::SshRoute &route, const rdt::SshQuestions &questions = {}, int waitMs = 30000);

struct CommandRun {
    bool finished = false;     // false: still running when the wait ended
    int exitStatus = -1;
    rdt::Error error;
    QByteArray out;
    QByteArray err;
    qint64 bytesOut = 0;       // counted even when keepOutput is false
    qint64 elapsedMs = 0;
};

CommandRun runCommand(rdt::SshClient &client, const rdt::CommandSpec &spec, int waitMs = 30000,
                      bool keepOutput = true);

rdt::CommandSpec commandOf(std::initializer_list<const char *> argv);
