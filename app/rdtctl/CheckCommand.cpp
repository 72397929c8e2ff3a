// Check: runs the server probe script in one remote command and prints its items.
#include "CheckCommand.h"

#include <cstdio>

namespace rdt {

int runCheckCommand(const CliOptions &)
{
    std::fprintf(stderr, "rdtctl check: not built yet\n");
    return 2;
}

} // namespace rdt
