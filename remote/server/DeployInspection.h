// What the server has for building the trainer, read from the inspect script's answer
// (TrainerDeployScripts::inspect): the trainer already there and its version, cmake, the
// build tool, and where LibTorch is.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rdt {

struct DeployInspection {
    QString root;                  // absolute
    QString trainerPath;           // empty: none found
    int trainerInfoStatus = -1;    // `info --json` exit status
    QString trainerOutput;         // what it printed
    QString trainerVersion;        // from its JSON; empty when it did not run or said none
    QString trainerLibtorch;
    QString installedSha256;       // source digest recorded beside ROOT/bin/rdt-trainer
    QString cmakePath;             // empty: no cmake on PATH
    QString cmakeVersion;
    QString generator;             // "Ninja", "Unix Makefiles", or empty: neither
    QStringList missingTools;      // tar, gzip
    QString libtorchSource;        // "named", "python", "system"; empty: the named folder has none
    QString libtorchCMakeDir;      // the folder holding TorchConfig.cmake; may be empty for "system"
    QStringList looked;            // the places looked at for LibTorch
    QString path;                  // the PATH searched

    // An error when the answer is not the script's (no header or no end line).
    [[nodiscard]] static Result<DeployInspection> parse(const QByteArray &output);

    // "-DTorch_DIR=..." when a folder is known, else "-UTorch_DIR": the build's cache then
    // forgets a LibTorch an earlier deploy used and find_package looks again.
    QString libtorchCMakeArgument() const;
};

// "3.25.1" >= "3.25"; missing parts count as 0.
bool versionAtLeast(const QString &version, const QString &minimum);

} // namespace rdt
