// The transfer commands of rdtctl: push, pull, diff, sync and md5. Folders are compared by
// MD5 on both sides at once and only what differs moves; each file is verified, resumable
// and never half-written under its final name.
#pragma once

#include "CliOptions.h"

namespace rdt {

int runPushCommand(const CliOptions &options);   // push LOCAL HOST:REMOTE [--dry-run] [--delete]
int runPullCommand(const CliOptions &options);   // pull HOST:REMOTE LOCAL [--dry-run] [--delete]
int runSyncCommand(const CliOptions &options);   // sync LOCAL HOST:REMOTE [--dry-run] [--delete]
int runDiffCommand(const CliOptions &options);   // diff LOCAL HOST:REMOTE [--json]
int runMd5Command(const CliOptions &options);    // md5 HOST:REMOTE...

} // namespace rdt
