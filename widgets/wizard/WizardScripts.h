// The small POSIX sh programs the wizard runs on the server. Each takes its paths as
// positional arguments ($1, $2, ...), never pasted into the text, and expands a leading
// "~/" itself because the arguments reach sh quoted.
#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace rdt::wizardscripts {

// argv for `sh -c SCRIPT sh ARGS...`.
QList<QByteArray> shArgv(const char *script, const QStringList &arguments);

// $1 = root: creates ROOT/{datasets,checkpoints,configs,runs}.
extern const char kMakeFolders[];
// $1 = root: `df -Pk` of the root, or of its nearest existing parent.
extern const char kFreeDisk[];
// $1 = root, $2 = dataset, $3 = statistics file: `rdt-trainer stats` on the server.
extern const char kComputeStatistics[];

} // namespace rdt::wizardscripts
