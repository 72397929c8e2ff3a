// The one lock every HDF5 call in rdt-trainer runs under. Debian's HDF5 is built
// thread-safe, but that covers the C library only (by one global lock of its own), not the
// C++ API we use, so we serialise all HDF5 calls here and lose no parallelism doing so.
#pragma once

#include <mutex>
#include <string>

namespace rdt::data {

class Hdf5Lock {
public:
    // Takes the lock; the first lock in the process also turns off HDF5's printing of its
    // error stack, since we report errors ourselves.
    Hdf5Lock();
    Hdf5Lock(const Hdf5Lock&) = delete;
    Hdf5Lock& operator=(const Hdf5Lock&) = delete;

    // H5is_library_threadsafe(), for `info` and the report.
    static bool libraryThreadsafe();
    // The innermost message of this thread's HDF5 error stack (e.g. "truncated file: eof =
    // 4096, ..."), or "" when empty. Call it under the lock, right after the failing call.
    static std::string lastReason();

private:
    // Recursive: a file's handle is closed under the lock by owners that may hold it already.
    std::lock_guard<std::recursive_mutex> m_guard;
};

}  // namespace rdt::data
