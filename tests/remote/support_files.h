// Small file helpers shared by the remote/ tests: deterministic random content and
// writing a file (with its folders) in one call.
#pragma once

#include <QByteArray>
#include <QString>

// `size` bytes from a generator seeded with `seed`: the same bytes on every run.
QByteArray randomBytes(qint64 size, quint32 seed);

// Creates the parent folders, then writes `data` over `path`; false on any failure.
bool writeFile(const QString &path, const QByteArray &data);
