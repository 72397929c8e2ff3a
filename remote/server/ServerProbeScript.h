// The server check's probe: one POSIX shell script that the workstation runs with a single
// remote command and whose output ServerProbe::parse turns into the checklist.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace rdt {

// Output format (format version 1), one marker or data line per line:
//   @@rdt-server-probe 1       header; lines before it (login banners) are ignored
//   @@section NAME             a section: os, cpu, memory, gpus, root, disk, trainer,
//                              trainer-info, model-search, model (repeated), tmux
//   |TEXT                      a line of the sub-command's stdout
//   !TEXT                      a line of its stderr
//   @@status N                 the sub-command's exit status (127: not installed,
//                              124: it ran past the probe's 30 s limit)
//   @@end                      the script ran to its end; without it the output was cut
// Every output line carries a prefix, so no file name or message can forge a marker.
// The script never exits non-zero and changes nothing on the server.
class ServerProbeScript {
public:
    static QByteArray script();

    // The argument vector to run on the server: sh -c SCRIPT rdt-server-probe ROOT [MODEL].
    // The root (and the pretrained model folder, absolute or relative to the root; empty:
    // every folder under ROOT/checkpoints and ROOT/models that holds a config.json or
    // weights) travel as positional parameters, never pasted into the script's text; quote
    // the vector with shellCommandLine() as for any other command. `~/` at their start means
    // the remote home, as a user typing it would expect.
    static QList<QByteArray> command(const QString &remoteRoot, const QString &modelFolder = {});
};

} // namespace rdt
