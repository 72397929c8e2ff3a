// What the user asks of an eval of one checkpoint: the choices of the Eval view and of
// `rdtctl eval`, turned into `rdt-trainer eval` flags (DESIGN.md contract 1) by the launcher.
#pragma once

#include <QMetaType>
#include <QString>

namespace rdt {

struct EvalLaunchOptions {
    QString checkpoint;        // "checkpoint-12000", a folder of the run
    QString episodes;          // "--episodes" as the trainer reads it ("0-9", "3,5,8"); empty: all
    int execHorizon = 16;      // steps executed per predicted chunk (RDT's default 64-step chunk, 16 run)
    QString weights = QStringLiteral("ema");   // "ema" or "raw"
    bool recordVideo = true;
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::EvalLaunchOptions)
