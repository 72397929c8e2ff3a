// The server-side halves of deploying the trainer (TrainerDeployer): POSIX sh scripts
// that take every path and argument as a positional parameter, never pasted into their
// text. Each answers in "@word ..." lines, which TrainerDeployer reads; build output
// passes through unchanged between them.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace rdt {

class TrainerDeployScripts {
public:
    // What the server has, without changing anything. Prints
    //   @root ABS                       the root, "~/" expanded, symlinks resolved if it exists
    //   @trainer PATH                   the trainer the server check would use (ROOT/bin,
    //                                   ROOT/build/training, PATH), if any, then
    //   @trainer-info STATUS            its `info --json` exit status, and its output as "|LINE"s
    //   @installed-sha256 HEX           the source digest recorded beside ROOT/bin/rdt-trainer
    //   @cmake PATH VERSION | @no-cmake
    //   @generator Ninja|Unix Makefiles | @no-generator
    //   @missing TOOL                   for each of tar, gzip that is not there
    //   @libtorch named|python|system [CMAKE_DIR]   where LibTorch was found (system: left
    //                                   to find_package, CMAKE_DIR only if a usual place has it)
    //   @no-libtorch named              the named folder has no TorchConfig.cmake
    //   @looked TEXT                    each place looked at, for the error message
    //   @path PATH                      the PATH searched
    //   @end
    // libtorchFolder empty: look for an installed PyTorch, then the system's LibTorch.
    static QList<QByteArray> inspect(const QString &root, const QString &libtorchFolder);

    // Builds and installs (runs until the build ends; output streams). Arguments:
    // the absolute root, the uploaded archive, the CMake generator, the cmake argument
    // that picks LibTorch ("-DTorch_DIR=..." or "-UTorch_DIR"), the version the new
    // trainer must report, the stamp to record beside it, then extra cmake arguments.
    // Prints "@rdt-deploy-build 1", "@stage unpack|configure|build JOBS|install" as it goes,
    // and at the end one of
    //   @installed PATH / @info JSON    done: renamed into place after `info --json` ran
    //   @configure-failed STATUS        cmake's own output (above) says why
    //   @build-failed STATUS            the build's output (above) says why
    //   @verify-failed STATUS           followed by the new trainer's output as "|LINE"s
    //   @wrong-version JSON             it ran but reported another version
    //   @fail REASON                    anything else (lock held, unpack failed, ...)
    // The build runs in a session of its own whose id is in ROOT/.rdt/trainer/build.pid
    // while it runs; SIGTERM, SIGINT or SIGHUP to the script ends that session.
    static QList<QByteArray> build(const QString &absoluteRoot, const QString &archive, const QString &generator,
                                   const QString &libtorchArgument, const QString &version, const QByteArray &stamp,
                                   const QStringList &extraCmakeArguments);

    // Ends a build that is still running under `absoluteRoot` (its process group).
    static QList<QByteArray> stopBuild(const QString &absoluteRoot);

    // Where the deployer keeps its files under the root, and the installed trainer.
    static QString workFolder(const QString &absoluteRoot);      // ROOT/.rdt/trainer
    static QString installedTrainer(const QString &absoluteRoot);  // ROOT/bin/rdt-trainer
};

} // namespace rdt
