// One eval episode's actions as `rdt-trainer eval` writes them (RUN/eval/checkpoint-N/
// actions/<episode>.json): the predicted and the demonstrated action per step, which the
// player plots under the episode's video. Qt Core only, so rdtctl and the GUI share it.
#pragma once

#include "Result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace rdt {

struct EvalActions {
    QString episode;                              // "demo_3"
    QString task;                                 // the language instruction
    double fps = 20.0;                            // video frames (= steps) per second
    int execHorizon = 0;                          // steps executed per predicted chunk
    QStringList dims;                             // "x", "y", ..., "gripper"
    std::vector<int> chunkStarts;                 // the step each predicted chunk starts at
    std::vector<std::vector<double>> predicted;   // [step][dim]
    std::vector<std::vector<double>> demonstrated;

    int steps() const { return int(predicted.size()); }
    // The step shown at `positionMs` into the video (step i spans [i, i+1) / fps seconds).
    int stepAt(qint64 positionMs) const;
    // The millisecond at or just before `step`'s frame starts (30 fps: step 1 -> 33 ms).
    // Seeking there shows that frame: Qt's FFmpeg backend shows the first frame that starts
    // at or after the position it is given.
    qint64 positionOf(int step) const;

    // `source` names the file in error messages.
    static Result<EvalActions> fromJson(const QByteArray &json, const QString &source);
    static Result<EvalActions> load(const QString &path);
};

} // namespace rdt
