// One line of an eval's events.jsonl (the shared eval format): start, episode, error, done.
// What the eval follower, the eval list and `rdtctl eval` read progress from. Qt Core only.
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <limits>
#include <optional>

namespace rdt {

struct EvalEvent {
    enum class Kind { Start, Episode, Error, Done };

    Kind kind = Kind::Start;
    double time = 0;           // seconds since the epoch, as the trainer wrote it
    int episodes = -1;         // start: how many will run; done: how many ran
    QString checkpoint;        // start
    // episode:
    int index = -1;
    QString episode;           // "demo_3"
    QString task;
    int steps = 0;
    double mse = std::numeric_limits<double>::quiet_NaN();
    double l2err = std::numeric_limits<double>::quiet_NaN();
    double gripperAgreement = std::numeric_limits<double>::quiet_NaN();
    QString video;             // relative to the eval folder; empty: not recorded
    QString message;           // error

    // nullopt for a line that is not a JSON object with a known "event".
    static std::optional<EvalEvent> fromLine(const QByteArray &line);
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::EvalEvent)
