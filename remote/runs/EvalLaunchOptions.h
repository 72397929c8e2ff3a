// What the user asks of an eval of one checkpoint: the choices of the Eval view and of
// `rdtctl eval`, turned into `rdt-trainer eval` flags (DESIGN.md contract 1) by
// EvalCommandLine.
#pragma once

#include "EvalCommandTemplate.h"

#include <QMetaType>
#include <QString>

namespace rdt {

struct EvalLaunchOptions {
    QString checkpoint;        // "checkpoint-12000", a folder of the run
    QString episodes;          // "--episodes" as the trainer reads it ("demo_3,demo_7"); empty: the held-out split
    int execHorizon = 16;      // steps executed per predicted chunk (RDT's default 64-step chunk, 16 run)
    QString weights = QStringLiteral("ema");   // "ema" or "raw"
    bool recordVideo = true;
    QString device;            // "--device" ("cpu", "cuda", "cuda:1"); empty: the trainer's default
    QString command;           // an eval preset's name (EvalCommandPresets); empty: the trainer's eval
    EvalCommandValues fieldValues;   // the user's values for that preset's own fields (rdt_repo, benchmark, ...)
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::EvalLaunchOptions)
