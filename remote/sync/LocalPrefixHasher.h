// The MD5 of a local file's first bytes, computed on a pool thread and handed back on the
// receiver's thread: a transfer resumes only where the part on the other side holds
// exactly those bytes.
#pragma once

#include "Md5Context.h"
#include "Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace rdt {

class LocalPrefixHasher {
public:
    using Done = std::function<void(Result<std::shared_ptr<Md5Context>>)>;

    // Hashes the first `bytes` of `path`; `then` runs on `receiver`'s thread with the context
    // (to go on hashing from there) or a LocalIo error naming the file. Nothing runs once
    // `alive` has expired or `receiver` is gone.
    static void start(QObject *receiver, std::weak_ptr<bool> alive, const QString &path,
                      qint64 bytes, Done then);
};

} // namespace rdt
