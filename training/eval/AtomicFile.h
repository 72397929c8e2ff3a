// Writes a whole file under a temporary name beside it, then renames it into place, so a
// reader (or a killed eval) never sees it half written.
#pragma once

#include <string>

namespace rdt {

// Throws TrainerError naming the file (the temporary one removed) when writing fails.
void writeFileAtomically(const std::string &path, const std::string &contents);

} // namespace rdt
