// What a deploy of the trainer is asked to do, how far it has got, and what it did
// (TrainerDeployer; `rdtctl deploy`; the server check's Install / Update trainer).
#pragma once

#include "ShellQuote.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace rdt {

struct DeployRequest {
    QString remoteRoot;            // "~/" = remote home; created when missing
    QString libtorchFolder;        // empty: an installed PyTorch's LibTorch, else the system's
    bool force = false;            // build and install even when the server's trainer is this version
    QStringList extraCmakeArguments;   // after the deployer's own, so they win (e.g. a compiler launcher)
    EnvironmentList environment;   // for the build's commands (e.g. CCACHE_DIR)
    int buildTimeoutSeconds = 3600;    // a cold build on a small server takes many minutes
};

struct DeployProgress {
    enum class Stage { Inspecting, Uploading, Unpacking, Configuring, Building, Installing };
    Stage stage = Stage::Inspecting;
    int done = 0;          // build steps (Ninja) or percent (make), bytes while uploading
    int total = 0;         // 0: unknown
    QString detail;        // the step being built, or what is being done

    static QString stageName(Stage stage);   // "inspecting", "uploading", ...
};

struct DeployOutcome {
    bool upToDate = false;     // nothing was built: the server's trainer is this version
    QString trainerPath;       // the trainer in use (the installed one after a build)
    QString version;           // what its `info --json` reports
    QString libtorch;          // LibTorch version it was built with (info's "libtorch")
    QString libtorchFrom;      // after a build: where LibTorch came from ("named", "python", "system") and its folder
    bool sourceDiffers = false;    // up to date by version, but built from other sources (--force rebuilds)
    int buildSteps = 0;        // steps the build ran (0: nothing needed recompiling)
    double seconds = 0;        // the whole deploy
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::DeployProgress)
