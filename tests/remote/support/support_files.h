// Small file helpers shared by the remote/ tests: deterministic random content and
// writing a file (with its folders) in one call.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

// `size` bytes from a generator seeded with `seed`: the same bytes on every run.
QByteArray randomBytes(qint64 size, quint32 seed);

// Creates the parent folders, then writes `data` over `path`; false on any failure.
bool writeFile(const QString &path, const QByteArray &data);

// Relative path -> MD5 (hex) of every file under `folder`, leaving out the sync's own
// checksum cache under .rdt/: what a downloaded copy is compared by.
QMap<QString, QByteArray> md5Tree(const QString &folder);
