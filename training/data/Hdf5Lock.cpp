// The global HDF5 lock and the translation of HDF5's error stack into one reason.
#include "data/Hdf5Lock.h"

#include <H5Cpp.h>

namespace rdt::data {
namespace {

std::recursive_mutex& hdf5Mutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}

void silenceOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { H5::Exception::dontPrint(); });
}

herr_t keepInnermost(unsigned, const H5E_error2_t* error, void* clientData)
{
    // The walk goes downward (outermost call first); the last description is the cause.
    auto* reason = static_cast<std::string*>(clientData);
    if (error->desc && *error->desc)
        *reason = error->desc;
    return 0;
}

}  // namespace

Hdf5Lock::Hdf5Lock()
    : m_guard(hdf5Mutex())
{
    silenceOnce();
}

bool Hdf5Lock::libraryThreadsafe()
{
    hbool_t threadsafe = 0;
    Hdf5Lock lock;
    if (H5is_library_threadsafe(&threadsafe) < 0)
        return false;
    return threadsafe != 0;
}

std::string Hdf5Lock::lastReason()
{
    std::string reason;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keepInnermost, &reason);
    return reason;
}

}  // namespace rdt::data
