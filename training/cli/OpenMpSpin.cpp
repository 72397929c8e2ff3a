// Re-execution with a short OpenMP spin; see the header for why.
#include "cli/OpenMpSpin.h"

#include <cstdlib>

#include <unistd.h>

namespace rdt {

void execWithShortOpenMpSpin(const char *executable, char **argv)
{
    // A user's own setting wins; after our exec GOMP_SPINCOUNT is set, so this runs once.
    if (std::getenv("GOMP_SPINCOUNT") || std::getenv("OMP_WAIT_POLICY"))
        return;
    if (setenv("GOMP_SPINCOUNT", kOpenMpSpinCount, 1) != 0)
        return;
    execv(executable, argv);
    // The exec failed: run on as we are, and leave the environment as it was for children.
    unsetenv("GOMP_SPINCOUNT");
}

} // namespace rdt
