// Input files for the benchmarks: random bytes (a file of zeros could be stored sparse and
// read faster than a real dataset), the same bytes for the same seed.
#pragma once

#include <QString>

// Writes `bytes` random bytes over `path` in 1 MiB blocks; false when it cannot.
bool writeRandomFile(const QString &path, qint64 bytes, quint32 seed);
