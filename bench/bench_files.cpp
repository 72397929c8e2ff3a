// Random benchmark input, written a block at a time so a 2.3 GB model needs 1 MiB of memory.
#include "bench_files.h"

#include <QByteArray>
#include <QFile>
#include <QRandomGenerator>

bool writeRandomFile(const QString &path, qint64 bytes, quint32 seed)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(1 << 20, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qint64 written = 0; written < bytes; written += block.size()) {
        generator.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        const qint64 size = qMin<qint64>(block.size(), bytes - written);
        if (file.write(block.constData(), size) != size)
            return false;
    }
    return file.flush();
}
