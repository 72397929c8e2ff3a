// Reads the prefix in 1 MiB blocks on Qt's global thread pool.
#include "LocalPrefixHasher.h"

#include <QFile>
#include <QPointer>
#include <QThreadPool>

namespace rdt {

void LocalPrefixHasher::start(QObject *receiver, std::weak_ptr<bool> alive, const QString &path,
                              qint64 bytes, Done then)
{
    QPointer<QObject> self = receiver;
    QThreadPool::globalInstance()->start([path, bytes, then, alive, self] {
        auto context = std::make_shared<Md5Context>();
        Error error;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            error = makeError(ErrorCode::LocalIo, QStringLiteral("reading %1: %2").arg(path, file.errorString()));
        } else {
            QByteArray buffer(1 << 20, Qt::Uninitialized);
            qint64 left = bytes;
            while (left > 0) {
                const qint64 n = file.read(buffer.data(), qMin<qint64>(left, buffer.size()));
                if (n <= 0) {
                    error = makeError(ErrorCode::LocalIo, QStringLiteral("reading %1: ended early").arg(path));
                    break;
                }
                context->update(buffer.constData(), n);
                left -= n;
            }
        }
        if (alive.expired())
            return;
        QMetaObject::invokeMethod(self, [then, context, error, alive] {
            if (alive.expired())
                return;
            if (error.code != ErrorCode::None)
                then(error);
            else
                then(context);
        }, Qt::QueuedConnection);
    });
}

} // namespace rdt
