// Recognises what an eval's log commonly dies of, beyond what a training run dies of: the
// servers' closed-loop LIBERO scripts fail first on headless MuJoCo rendering (no display,
// MUJOCO_GL unset or the wrong backend), on a Python environment without libero, robosuite
// or mujoco, and on being started outside the folder their relative paths assume. Training
// failures (CUDA out of memory, missing weights, a missing library) are recognised too.
#pragma once

#include "KnownFailures.h"

#include <QStringList>

#include <optional>

namespace rdt {

class EvalLogFailures {
public:
    [[nodiscard]] static std::optional<KnownFailure> recognise(const QString &line);
    // One per kind, in the order the kinds first appear.
    [[nodiscard]] static QList<KnownFailure> recogniseAll(const QStringList &lines);
    // "TITLE: EXPLANATION REMEDY" of the first failure the lines show, for an eval's error
    // message; empty when none is known.
    [[nodiscard]] static QString explain(const QStringList &lines);
};

} // namespace rdt
